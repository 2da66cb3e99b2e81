import { Button, Group, Modal, Paper, Select, Skeleton, Stack, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import type { BookingTarget } from './BookingDialog.js';
import { formatDay } from './format.js';

const ALL = '';

/**
 * The earliest free slot of each doctor in a department (or the whole clinic), soonest first.
 * Choosing one hands it back to the board, which shows that day and opens the booking.
 */
export function NextAvailableDialog({
  opened,
  onClose,
  initialDepartmentId,
  fromDate,
  onPick,
}: {
  opened: boolean;
  onClose: () => void;
  initialDepartmentId: string | null;
  fromDate: string;
  onPick: (target: BookingTarget) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Next available slots" size="lg">
      {opened ? <NextAvailableList initialDepartmentId={initialDepartmentId} fromDate={fromDate} onPick={onPick} /> : null}
    </Modal>
  );
}

function NextAvailableList({
  initialDepartmentId,
  fromDate,
  onPick,
}: {
  initialDepartmentId: string | null;
  fromDate: string;
  onPick: (target: BookingTarget) => void;
}) {
  const [departmentId, setDepartmentId] = useState(initialDepartmentId ?? ALL);
  const departments = useProcedureQuery('departments.list', {});
  const next = useProcedureQuery('appointments.nextAvailable', { fromDate, limit: 20, ...(departmentId ? { departmentId } : {}) });
  const options = [{ value: ALL, label: 'All departments' }, ...(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))];
  return (
    <Stack gap="md">
      <Select
        label="Department"
        data={options}
        value={departmentId}
        onChange={(value) => setDepartmentId(value ?? ALL)}
        allowDeselect={false}
        data-autofocus
        w={320}
      />
      {next.isError ? <ErrorAlert>{errorMessage(next.error)}</ErrorAlert> : null}
      {next.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Looking for free slots">
          <Skeleton h={52} />
          <Skeleton h={52} />
        </Stack>
      ) : next.data?.length === 0 ? (
        <Text c="dimmed" fz="sm">
          No doctor{departmentId ? ' in this department' : ''} has a free slot in the coming weeks. Check the doctors’ working hours under Schedules.
        </Text>
      ) : (
        <Stack gap={6} role="list" aria-label="Earliest free slot of each doctor">
          {(next.data ?? []).map((entry) => (
            <Paper key={`${entry.doctor.userId}-${entry.slot.startAt}`} withBorder radius="md" role="listitem">
              <UnstyledButton
                onClick={() => onPick({ doctor: entry.doctor, slot: entry.slot, date: entry.date })}
                w="100%"
                px="md"
                py="sm"
                aria-label={`Book ${entry.doctor.name}, ${formatDay(entry.date)} at ${entry.slot.label}`}
                className="appt-next-option"
              >
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text fw={600} fz="sm">
                      {entry.doctor.name}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {[entry.doctor.specialization, entry.doctor.departmentName].filter(Boolean).join(' · ')}
                    </Text>
                  </div>
                  <Group gap="sm" wrap="nowrap">
                    <Text fz="sm" fw={500}>
                      {formatDay(entry.date)}, {entry.slot.label}
                    </Text>
                    <Button component="span" size="xs" variant="light" tabIndex={-1} aria-hidden>
                      Book
                    </Button>
                  </Group>
                </Group>
              </UnstyledButton>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
