import { Badge, Button, Group, Input, Paper, Stack, Text } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';
import type { PatientSummary } from '../../../src-shared/contract/patients.js';
import { formatDate } from './format.js';
import { PatientSearchBox } from './PatientSearchBox.js';

export interface PickedPatient {
  id: string;
  mrn: string;
  name: string;
  birthDate?: string;
}

/**
 * Choose one patient record by searching for it; the choice then shows as a card with "Change".
 * The search's label names the field, so a screen reader hears the same question either way.
 */
export function PatientPicker({
  label,
  description,
  value,
  onChange,
  error,
  autoFocus = false,
}: {
  label: string;
  description?: ReactNode;
  value: PickedPatient | null;
  onChange: (patient: PickedPatient | null) => void;
  error?: ReactNode;
  autoFocus?: boolean;
}) {
  // After a pick the search box is gone; the focus moves to the choice rather than being lost.
  const changeRef = useRef<HTMLButtonElement>(null);
  const picked = value?.id;
  const initial = useRef(picked);
  useEffect(() => {
    if (picked && picked !== initial.current) changeRef.current?.focus();
  }, [picked]);
  if (!value) {
    return (
      <Stack gap={4}>
        <PatientSearchBox
          label={label}
          description={description}
          autoFocus={autoFocus}
          limit={8}
          size="sm"
          resultsMaxHeight={260}
          onPick={(patient: PatientSummary) => onChange({ id: patient.id, mrn: patient.mrn, name: patient.name, birthDate: patient.birthDate })}
          renderEmpty={(text) => (
            <Text fz="sm" c="dimmed">
              No patient matches “{text}”. Register the patient first, then link the record.
            </Text>
          )}
        />
        {error ? <Input.Error>{error}</Input.Error> : null}
      </Stack>
    );
  }
  return (
    <Input.Wrapper label={label} labelElement="div" error={error}>
      <Paper withBorder radius="md" p="sm" mt={4} data-testid="picked-patient">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="wrap">
            <Text fw={600}>{value.name}</Text>
            <Badge variant="light" color="gray" tt="none" ff="monospace">
              {value.mrn}
            </Badge>
            {value.birthDate ? (
              <Text fz="sm" c="dimmed">
                born {formatDate(value.birthDate)}
              </Text>
            ) : null}
          </Group>
          <Button ref={changeRef} variant="subtle" size="xs" onClick={() => onChange(null)} aria-label={`Change the ${label.toLowerCase()}`}>
            Change
          </Button>
        </Group>
      </Paper>
    </Input.Wrapper>
  );
}
