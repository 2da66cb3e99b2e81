import { Anchor, Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCalendarWeek, IconCheck, IconFileText, IconNotes } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { AppointmentOut } from '../../../src-shared/contract/appointments.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { ActionsHeader, EmptyPanel, TablePanel } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { VISIT_PARAM } from '../records/index.js';
import { formatDate } from '../schedules/clinic.js';
import { byStart, StatusBadge, timeRange } from './shared.js';

/**
 * Where "Write visit" goes: the patient's chart, asking it to open the encounter form for this
 * appointment.
 */
export function visitHref(appointment: Pick<AppointmentOut, 'id' | 'patient'>): string {
  return `/patients/${appointment.patient.id}?${VISIT_PARAM}=${encodeURIComponent(appointment.id)}`;
}

/** The doctor's patients for today, in time order, with the chart, the visit note and completion a click away. */
export function QueuePage() {
  useDocumentTitle('Today’s queue · Asclepia');
  const me = useMe();
  const today = useClinicToday();
  const { timeZone } = useClinic();
  const list = useProcedureQuery('appointments.list', { filter: { from: today, to: today, doctorId: me.id } });
  const complete = useProcedureMutation('appointments.complete');
  const queryClient = useQueryClient();
  const [refusal, setRefusal] = useState<{ appointment: AppointmentOut; error: ApiError } | null>(null);
  const rows = [...(list.data ?? [])].sort(byStart);
  const waiting = rows.filter((a) => a.status === 'checked_in').length;
  const toCome = rows.filter((a) => a.status === 'booked').length;

  const onComplete = (appointment: AppointmentOut) => {
    setRefusal(null);
    complete.mutate(
      { id: appointment.id, version: appointment.version },
      {
        onSuccess: (done) => notifySuccess('Appointment completed', `${done.patient.name}, ${timeRange(done, timeZone)}.`),
        onError: (error) => {
          setRefusal({ appointment, error });
          if (error.code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: ['appointments.list'] });
          document.getElementById('queue-refusal')?.focus();
        },
      },
    );
  };

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Today’s queue</Title>
          <Text c="dimmed" mt={4}>
            {formatDate(today)} · {list.data ? `${waiting} waiting, ${toCome} still to come` : 'Loading…'}
          </Text>
        </div>
        <Button component={Link} href="/my-week" variant="default" leftSection={<IconCalendarWeek size={16} aria-hidden />}>
          My week
        </Button>
      </Group>
      {refusal ? (
        <ErrorAlert
          title={`Not completed: ${refusal.appointment.patient.name}`}
          id="queue-refusal"
          tabIndex={-1}
          withCloseButton
          onClose={() => setRefusal(null)}
        >
          <Stack gap={6}>
            <Text fz="sm">{errorMessage(refusal.error)}</Text>
            {refusal.appointment.encounterId === null ? (
              <Anchor component={Link} href={visitHref(refusal.appointment)} fz="sm">
                Write the visit for {refusal.appointment.patient.name}
              </Anchor>
            ) : null}
          </Stack>
        </ErrorAlert>
      ) : null}
      {list.isError ? <ErrorAlert>{errorMessage(list.error)}</ErrorAlert> : null}
      {list.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading today’s queue">
          <Skeleton h={48} />
          <Skeleton h={48} />
          <Skeleton h={48} />
        </Stack>
      ) : rows.length === 0 && !list.isError ? (
        <EmptyPanel icon={IconCalendarWeek} title="No appointments today" description="Nobody is booked with you today. Your coming days are in My week." />
      ) : rows.length > 0 ? (
        <TablePanel highlightOnHover aria-label="Today’s appointments" miw={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={120}>Time</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th w={130}>Status</Table.Th>
              <ActionsHeader w={330} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((appointment) => {
              const open = appointment.status === 'booked' || appointment.status === 'checked_in';
              return (
                <Table.Tr key={appointment.id} data-status={appointment.status} opacity={open || appointment.status === 'completed' ? 1 : 0.6}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} fw={600}>
                    {timeRange(appointment, timeZone)}
                  </Table.Td>
                  <Table.Td>
                    <Text fw={500}>{appointment.patient.name}</Text>
                    <Text fz="xs" c="dimmed" ff="monospace">
                      {appointment.patient.mrn}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text fz="sm">{appointment.reason}</Text>
                    {appointment.notes ? (
                      <Text fz="xs" c="dimmed">
                        {appointment.notes}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      <StatusBadge status={appointment.status} />
                      {appointment.encounterId ? (
                        <Badge color="teal" variant="dot" size="xs" tt="none">
                          Visit written
                        </Badge>
                      ) : null}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        component={Link}
                        href={`/patients/${appointment.patient.id}`}
                        leftSection={<IconFileText size={14} aria-hidden />}
                        aria-label={`Open chart: ${appointment.patient.name}`}
                      >
                        Open chart
                      </Button>
                      {open && !appointment.encounterId ? (
                        <Button
                          size="xs"
                          variant="light"
                          component={Link}
                          href={visitHref(appointment)}
                          leftSection={<IconNotes size={14} aria-hidden />}
                          aria-label={`Write visit: ${appointment.patient.name}`}
                        >
                          Write visit
                        </Button>
                      ) : null}
                      {appointment.status === 'checked_in' ? (
                        <Button
                          size="xs"
                          leftSection={<IconCheck size={14} aria-hidden />}
                          onClick={() => onComplete(appointment)}
                          loading={complete.isPending && complete.variables?.id === appointment.id}
                          aria-label={`Complete: ${appointment.patient.name}`}
                        >
                          Complete
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </TablePanel>
      ) : null}
      <Text fz="xs" c="dimmed">
        A patient can be completed once the front desk has checked them in and their visit is written.
      </Text>
    </Stack>
  );
}
