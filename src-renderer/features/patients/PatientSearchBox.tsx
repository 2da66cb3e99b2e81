import { Badge, Box, Group, Loader, Paper, Stack, Text, TextInput, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useId, useMergedRef } from '@mantine/hooks';
import { IconSearch, IconX } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { type KeyboardEvent, type ReactNode, type Ref, useEffect, useRef, useState } from 'react';
import type { PatientSummary } from '../../../src-shared/contract/patients.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinicToday } from '../../ui/useClinic.js';
import { describeAge, formatDate, plural, sexLabel } from './format.js';

export interface PatientSearchBoxProps {
  label: string;
  description?: ReactNode;
  placeholder?: string;
  /** Enter, or a click, on a result. */
  onPick: (patient: PatientSummary) => void;
  /** Records not to offer (e.g. the record a duplicate is merged into). */
  excludeIds?: readonly string[];
  includeInactive?: boolean;
  autoFocus?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** What to show when nothing matches the text. */
  renderEmpty?: (text: string) => ReactNode;
  /** What to show before anything is typed. */
  idleHint?: ReactNode;
  limit?: number;
  /** Scroll the results in a box of this height rather than growing the page. */
  resultsMaxHeight?: number;
  size?: 'sm' | 'md';
}

/**
 * One box for a name (any part, typos forgiven), an MRN (also a merged record's old one), a phone
 * number, a national id or a date of birth. Results come as you type; ↑/↓ choose one and Enter
 * opens it (the first one when none is chosen). An ARIA combobox with an always-visible list.
 */
export function PatientSearchBox({
  label,
  description,
  placeholder = 'Name, MRN, phone, national id or date of birth',
  onPick,
  excludeIds = [],
  includeInactive = false,
  autoFocus = false,
  inputRef,
  renderEmpty,
  idleHint,
  limit = 20,
  resultsMaxHeight,
  size = 'md',
}: PatientSearchBoxProps) {
  const [text, setText] = useState('');
  const trimmed = text.trim();
  const [debounced] = useDebouncedValue(trimmed, 200);
  const search = useProcedureQuery(
    'patients.search',
    { query: debounced, includeInactive, limit },
    { enabled: debounced.length > 0, placeholderData: keepPreviousData },
  );
  const results = debounced ? (search.data ?? []).filter((patient) => !excludeIds.includes(patient.id)) : [];
  // Results still answering an earlier text are shown, but Enter waits for the current one.
  const fresh = trimmed === debounced && !search.isPlaceholderData && !search.isFetching;
  const [active, setActive] = useState(-1);
  const listId = useId();
  const ownRef = useRef<HTMLInputElement>(null);
  const ref = useMergedRef(ownRef, inputRef);
  const today = useClinicToday();

  // A new list starts with nothing chosen; Enter then opens the first result.
  const resultKey = results.map((patient) => patient.id).join(',');
  const [lastKey, setLastKey] = useState(resultKey);
  if (resultKey !== lastKey) {
    setLastKey(resultKey);
    setActive(-1);
  }

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, listId]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (results.length > 0) setActive((index) => Math.min(index + 1, results.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (results.length > 0) setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === 'Home' && active >= 0) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End' && active >= 0) {
      event.preventDefault();
      setActive(results.length - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = active >= 0 ? results[active] : fresh ? results[0] : undefined;
      if (chosen) onPick(chosen);
    } else if (event.key === 'Escape' && text) {
      event.preventDefault();
      event.stopPropagation();
      setText('');
    }
  };

  const showList = debounced.length > 0 && search.data !== undefined;
  const activeId = active >= 0 && results[active] ? `${listId}-${active}` : undefined;
  const status = !trimmed
    ? ''
    : search.isError
      ? ''
      : !showList || !fresh
        ? 'Searching…'
        : results.length === 0
          ? 'No patient found'
          : `${plural(results.length, 'patient')} found. Use the up and down arrows to choose, Enter to open.`;

  return (
    <Stack gap="xs">
      <TextInput
        ref={ref}
        label={label}
        description={description}
        placeholder={placeholder}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        autoFocus={autoFocus}
        maxLength={80}
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList && results.length > 0}
        aria-controls={listId}
        aria-activedescendant={activeId}
        leftSection={search.isFetching ? <Loader size={16} aria-hidden /> : <IconSearch size={18} aria-hidden />}
        rightSection={
          text ? (
            <UnstyledButton
              aria-label="Clear the search"
              onClick={() => {
                setText('');
                ownRef.current?.focus();
              }}
              style={{ display: 'flex', color: 'var(--mantine-color-dimmed)' }}
            >
              <IconX size={16} aria-hidden />
            </UnstyledButton>
          ) : null
        }
        size={size}
      />
      <VisuallyHidden role="status" aria-live="polite">
        {status}
      </VisuallyHidden>
      {search.isError ? <ErrorAlert>{errorMessage(search.error)}</ErrorAlert> : null}
      <Box
        id={listId}
        role="listbox"
        aria-label="Search results"
        style={resultsMaxHeight ? { maxHeight: resultsMaxHeight, overflowY: 'auto' } : undefined}
        hidden={!showList || results.length === 0}
      >
        <Stack gap={4}>
          {results.map((patient, index) => (
            <ResultOption
              key={patient.id}
              id={`${listId}-${index}`}
              patient={patient}
              today={today}
              active={index === active}
              onPick={() => onPick(patient)}
              onHover={() => setActive(index)}
            />
          ))}
        </Stack>
      </Box>
      {showList && fresh && results.length === 0 && !search.isError ? (renderEmpty?.(debounced) ?? null) : null}
      {!trimmed && idleHint ? idleHint : null}
    </Stack>
  );
}

function ResultOption({
  id,
  patient,
  today,
  active,
  onPick,
  onHover,
}: {
  id: string;
  patient: PatientSummary;
  today: string;
  active: boolean;
  onPick: () => void;
  onHover: () => void;
}) {
  const age = describeAge(patient.birthDate, today);
  return (
    <Paper
      id={id}
      role="option"
      aria-selected={active}
      withBorder
      radius="md"
      px="md"
      py="sm"
      onClick={onPick}
      onMouseMove={active ? undefined : onHover}
      // Keep focus in the search box when an option is clicked.
      onMouseDown={(event) => event.preventDefault()}
      style={{
        cursor: 'pointer',
        borderColor: active ? 'var(--mantine-color-blue-6)' : undefined,
        background: active ? 'var(--mantine-color-blue-0)' : undefined,
        boxShadow: active ? '0 0 0 1px var(--mantine-color-blue-6)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
        <Stack gap={2} miw={0}>
          <Group gap="xs" wrap="wrap">
            <Text fw={700} fz="md">
              {patient.name}
            </Text>
            <Badge variant="light" color="gray" tt="none" ff="monospace" fz="xs">
              {patient.mrn}
            </Badge>
            {patient.active ? null : (
              <Badge variant="outline" color="gray" tt="none">
                Inactive
              </Badge>
            )}
          </Group>
          <Text fz="sm" c="gray.7">
            {sexLabel(patient.sex)}
            {age ? ` · ${age}` : ''} · born {formatDate(patient.birthDate)}
            {patient.phone ? ` · ${patient.phone}` : ''}
          </Text>
          {patient.foundByMrn ? (
            <Text fz="sm" c="orange.8">
              Found by old MRN {patient.foundByMrn} (merged into this record)
            </Text>
          ) : null}
        </Stack>
        {active ? (
          <Text fz="xs" c="blue.8" fw={600} aria-hidden>
            Enter to open
          </Text>
        ) : null}
      </Group>
    </Paper>
  );
}
