import {
  Anchor,
  Button,
  Checkbox,
  EmptyState,
  Group,
  Input,
  Kbd,
  NativeSelect,
  Pagination,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { IconDownload, IconFileImport, IconFilterOff, IconUserPlus, IconUserSearch, IconUsers } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { PatientListFilter, PatientSummary } from '../../../src-shared/contract/patients.js';
import { SEX_LABELS, SEXES } from '../../../src-shared/schemas/patient.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { downloadTextFile } from '../../ui/download.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { ActiveBadge, EmptyPanel, LoadingRows, TablePanel } from '../../ui/lists.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { useClinicToday } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { describeAge, formatDate, plural, sexLabel } from './format.js';
import { PatientSearchBox } from './PatientSearchBox.js';
import { onPatientSearchFocusRequest } from './searchShortcut.js';

const PAGE_SIZE = 25;
type Status = NonNullable<PatientListFilter['status']>;

interface Filters {
  status: Status;
  sex: string;
  registeredFrom: string;
  registeredTo: string;
  text: string;
}
const NO_FILTERS: Filters = { status: 'active', sex: '', registeredFrom: '', registeredTo: '', text: '' };

/** Front desk's first screen: find a patient (or register one), and the whole list with filters and CSV. */
export function PatientsPage() {
  useDocumentTitle('Patients · Asclepia');
  const me = useMe();
  const [, navigate] = useLocation();
  const canWrite = me.permissions.includes('patients.write');
  const canExport = me.permissions.includes('reports.all') || me.permissions.includes('reports.lists');
  const [includeInactive, setIncludeInactive] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  // "/" or Ctrl+K while this screen is open: back to the search box, its text selected to type over.
  useEffect(
    () =>
      onPatientSearchFocusRequest(() => {
        searchRef.current?.focus();
        searchRef.current?.select();
      }),
    [],
  );

  return (
    <Stack gap="xl" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Patients</Title>
          <Text c="dimmed" mt={4}>
            Find a patient before registering one: most “new” patients have been here before.
          </Text>
        </div>
        <Group gap="sm">
          {canWrite ? (
            <Button component={Link} href="/patients/import" variant="default" leftSection={<IconFileImport size={16} aria-hidden />}>
              Import CSV
            </Button>
          ) : null}
          {canWrite ? (
            <Button component={Link} href="/patients/new" leftSection={<IconUserPlus size={16} aria-hidden />}>
              Register patient
            </Button>
          ) : null}
        </Group>
      </Group>

      <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="find-patient-title">
        <Stack gap="sm">
          <Group justify="space-between" align="center">
            <Title order={2} fz="h3" id="find-patient-title">
              Find a patient
            </Title>
            <Checkbox label="Include inactive records" checked={includeInactive} onChange={(event) => setIncludeInactive(event.currentTarget.checked)} />
          </Group>
          <PatientSearchBox
            label="Search patients"
            description={
              <>
                Any part of a name (spelling mistakes are forgiven), an MRN, a phone number, a national id or a date of birth. <Kbd size="xs">↑</Kbd>{' '}
                <Kbd size="xs">↓</Kbd> choose, <Kbd size="xs">Enter</Kbd> opens. From any screen, <Kbd size="xs">/</Kbd> or <Kbd size="xs">Ctrl</Kbd>+
                <Kbd size="xs">K</Kbd> comes back here.
              </>
            }
            autoFocus
            inputRef={searchRef}
            includeInactive={includeInactive}
            onPick={(patient) => navigate(`/patients/${patient.id}`)}
            renderEmpty={(text) => (
              <Paper withBorder radius="md" p="lg" bg="gray.0">
                <EmptyState
                  icon={<IconUserSearch size={28} aria-hidden />}
                  title={`No patient matches “${text}”`}
                  description={
                    includeInactive
                      ? 'Check the spelling, or try the phone number or date of birth.'
                      : 'Check the spelling, try the phone number or date of birth, or include inactive records.'
                  }
                >
                  {canWrite ? (
                    <EmptyState.Actions>
                      <Button component={Link} href="/patients/new" leftSection={<IconUserPlus size={16} aria-hidden />}>
                        Register a new patient
                      </Button>
                    </EmptyState.Actions>
                  ) : null}
                </EmptyState>
              </Paper>
            )}
          />
        </Stack>
      </Paper>

      <PatientList canExport={canExport} />
    </Stack>
  );
}

function toListFilter(filters: Filters, text: string): PatientListFilter {
  const filter: PatientListFilter = { status: filters.status };
  if (filters.sex) filter.sex = filters.sex as PatientListFilter['sex'];
  if (filters.registeredFrom) filter.registeredFrom = filters.registeredFrom;
  if (filters.registeredTo) filter.registeredTo = filters.registeredTo;
  if (text) filter.query = text;
  return filter;
}

function PatientList({ canExport }: { canExport: boolean }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [typed] = useDebouncedValue(filters.text.trim(), 300);
  const today = useClinicToday();
  const rangeBackwards = Boolean(filters.registeredFrom && filters.registeredTo && filters.registeredTo < filters.registeredFrom);
  const filter = useMemo(() => toListFilter(filters, typed), [filters, typed]);
  const list = useProcedureQuery('patients.list', { filter, page, pageSize: PAGE_SIZE }, { enabled: !rangeBackwards, placeholderData: keepPreviousData });
  const exportCsv = useProcedureMutation('patients.exportCsv');

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((all) => ({ ...all, [key]: value }));
    setPage(1);
  };
  const hasFilters = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // After a filter shrinks the list, a page past the end shows the last one.
  useEffect(() => {
    if (list.data && page > pages) setPage(pages);
  }, [list.data, page, pages]);

  const onExport = () =>
    exportCsv.mutate(
      { filter },
      {
        onSuccess: ({ fileName, csv, rows }) => {
          downloadTextFile(fileName, csv, 'text/csv;charset=utf-8');
          notifySuccess('Patient list exported', `${plural(rows, 'patient')} saved as ${fileName}.`);
        },
        onError: (error) => notifyError('Not exported', errorMessage(error)),
      },
    );

  const first = (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(page * PAGE_SIZE, total);

  return (
    <Stack gap="md" component="section" aria-labelledby="patient-list-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} fz="h3" id="patient-list-title">
            Patient list
          </Title>
          <Text c="dimmed" fz="sm" mt={2}>
            Newest registrations first. The export contains every patient that matches the filters.
          </Text>
        </div>
        {canExport ? (
          <Button
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
            onClick={onExport}
            loading={exportCsv.isPending}
            disabled={rangeBackwards}
          >
            Export CSV
          </Button>
        ) : null}
      </Group>

      <Paper withBorder radius="md" p="md" component="section" aria-label="Filters">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="sm">
          <TextInput
            label="Filter by name, MRN or phone"
            placeholder="Any patient"
            value={filters.text}
            onChange={(event) => set('text', event.currentTarget.value)}
            maxLength={80}
            spellCheck={false}
          />
          <Input.Wrapper label="Status" labelElement="div" labelProps={{ id: 'patient-status-label' }}>
            <div>
              <SegmentedControl
                aria-labelledby="patient-status-label"
                fullWidth
                data={[
                  { value: 'active', label: 'Active' },
                  { value: 'inactive', label: 'Inactive' },
                  { value: 'all', label: 'All' },
                ]}
                value={filters.status}
                onChange={(value) => set('status', value as Status)}
              />
            </div>
          </Input.Wrapper>
          <NativeSelect
            label="Sex"
            data={[{ value: '', label: 'Any' }, ...SEXES.map((sex) => ({ value: sex, label: SEX_LABELS[sex] }))]}
            value={filters.sex}
            onChange={(event) => set('sex', event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label="Registered from"
            value={filters.registeredFrom}
            max={today}
            onChange={(event) => set('registeredFrom', event.currentTarget.value)}
          />
          <TextInput
            type="date"
            label="Registered to"
            value={filters.registeredTo}
            max={today}
            onChange={(event) => set('registeredTo', event.currentTarget.value)}
            error={rangeBackwards ? 'The end date is before the start date' : undefined}
          />
          <Stack justify="flex-end">
            <Button
              variant="subtle"
              leftSection={<IconFilterOff size={16} aria-hidden />}
              onClick={() => {
                setFilters(NO_FILTERS);
                setPage(1);
              }}
              disabled={!hasFilters}
            >
              Clear filters
            </Button>
          </Stack>
        </SimpleGrid>
      </Paper>

      {list.isError ? <ErrorAlert>{errorMessage(list.error)}</ErrorAlert> : null}
      {list.isPending && !rangeBackwards ? (
        <LoadingRows label="Loading patients" rows={3} />
      ) : list.data && list.data.rows.length === 0 ? (
        <EmptyPanel
          icon={IconUsers}
          title="No patients to show"
          description={hasFilters ? 'No patient matches these filters. Clear them to see everyone.' : 'No patient has been registered yet.'}
        />
      ) : list.data ? (
        <>
          <PatientTable rows={list.data.rows} today={today} busy={list.isFetching} />
          <Group justify="space-between">
            <Text fz="sm" c="dimmed" aria-live="polite">
              {total > 0 ? `Showing ${first}–${last} of ${total}` : ''}
            </Text>
            {pages > 1 ? (
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                aria-label="Pages of the patient list"
                getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
                getControlProps={(control) => ({ 'aria-label': `${control[0]?.toUpperCase()}${control.slice(1)} page` })}
              />
            ) : null}
          </Group>
        </>
      ) : null}
    </Stack>
  );
}

function PatientTable({ rows, today, busy }: { rows: PatientSummary[]; today: string; busy: boolean }) {
  return (
    <TablePanel highlightOnHover aria-label="Patients" aria-busy={busy} miw={760}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>MRN</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Sex</Table.Th>
          <Table.Th>Age</Table.Th>
          <Table.Th>Date of birth</Table.Th>
          <Table.Th>Phone</Table.Th>
          <Table.Th>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((patient) => (
          <Table.Tr key={patient.id}>
            <Table.Td>
              <Text ff="monospace" fz="sm">
                {patient.mrn}
              </Text>
            </Table.Td>
            <Table.Td>
              <Anchor component={Link} href={`/patients/${patient.id}`} fw={600}>
                {patient.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{sexLabel(patient.sex)}</Table.Td>
            <Table.Td>{describeAge(patient.birthDate, today)}</Table.Td>
            <Table.Td>{formatDate(patient.birthDate)}</Table.Td>
            <Table.Td>{patient.phone ?? '—'}</Table.Td>
            <Table.Td>
              <ActiveBadge active={patient.active} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </TablePanel>
  );
}
