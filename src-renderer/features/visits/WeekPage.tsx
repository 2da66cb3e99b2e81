import { Anchor, Button, Group, Paper, ScrollArea, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconChevronLeft, IconChevronRight, IconListCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'wouter';
import type { SlotOut } from '../../../src-shared/contract/appointments.js';
import { addDays, clinicLocalDate, clinicLocalTime } from '../../../src-shared/time.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { useMe } from '../auth/session.js';
import { formatDate, mondayOf } from '../schedules/clinic.js';
import { byStart, STATUS_COLORS, StatusBadge, timeRange } from './shared.js';

/** Back-to-back free slots as one run ("Free 08:00–12:00, 16 slots"), so a day fits on screen. */
function freeRuns(slots: readonly SlotOut[], zone: string): { at: string; from: string; to: string; count: number }[] {
  const runs: { at: string; endAt: string; from: string; count: number }[] = [];
  for (const slot of slots) {
    const last = runs.at(-1);
    if (last && last.endAt === slot.startAt) {
      last.endAt = slot.endAt;
      last.count += 1;
    } else runs.push({ at: slot.startAt, endAt: slot.endAt, from: slot.label, count: 1 });
  }
  return runs.map((run) => ({ at: run.at, from: run.from, to: clinicLocalTime(new Date(run.endAt), zone), count: run.count }));
}

/** The doctor's week, Monday to Sunday: appointments and the free slots between them. */
export function WeekPage() {
  useDocumentTitle('My week · Asclepia');
  const me = useMe();
  const today = useClinicToday();
  const { timeZone } = useClinic();
  const [monday, setMonday] = useState(() => mondayOf(today));
  const sunday = addDays(monday, 6);
  const appointments = useProcedureQuery('appointments.list', { filter: { from: monday, to: sunday, doctorId: me.id } });
  const availability = useProcedureQuery('appointments.availability', { doctorId: me.id, from: monday, to: sunday });
  const days = Array.from({ length: 7 }, (_, index) => addDays(monday, index));
  const thisWeek = mondayOf(today) === monday;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>My week</Title>
          <Text c="dimmed" mt={4}>
            {formatDate(monday, { year: false })} – {formatDate(sunday)}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconChevronLeft size={16} aria-hidden />} onClick={() => setMonday(addDays(monday, -7))}>
            Previous week
          </Button>
          <Button variant="default" onClick={() => setMonday(mondayOf(today))} disabled={thisWeek}>
            This week
          </Button>
          <Button variant="default" rightSection={<IconChevronRight size={16} aria-hidden />} onClick={() => setMonday(addDays(monday, 7))}>
            Next week
          </Button>
          <Button component={Link} href="/queue" variant="light" leftSection={<IconListCheck size={16} aria-hidden />}>
            Today’s queue
          </Button>
        </Group>
      </Group>
      {appointments.isError ? <ErrorAlert>{errorMessage(appointments.error)}</ErrorAlert> : null}
      {availability.isError ? <ErrorAlert title="Free slots unavailable">{errorMessage(availability.error)}</ErrorAlert> : null}
      <ScrollArea type="auto" offsetScrollbars>
        <SimpleGrid cols={7} spacing="xs" miw={1050} role="list" aria-label="Days of the week">
          {days.map((date) => {
            const day = availability.data?.find((entry) => entry.date === date);
            const booked = (appointments.data ?? []).filter((a) => clinicLocalDate(new Date(a.startAt), timeZone) === date).sort(byStart);
            const isToday = date === today;
            type Item =
              | { at: string; kind: 'appointment'; appointment: (typeof booked)[number] }
              | { at: string; kind: 'free'; from: string; to: string; count: number };
            const items: Item[] = [
              ...booked.map((appointment) => ({ at: appointment.startAt, kind: 'appointment' as const, appointment })),
              ...freeRuns(day?.slots ?? [], timeZone).map((run) => ({ ...run, kind: 'free' as const })),
            ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
            return (
              <Paper
                key={date}
                withBorder
                radius="md"
                p="xs"
                role="listitem"
                aria-label={`${formatDate(date)}${isToday ? ', today' : ''}`}
                style={isToday ? { borderColor: 'var(--mantine-color-teal-6)', borderWidth: 2 } : undefined}
              >
                <Stack gap={6}>
                  <div>
                    <Text fw={700} fz="sm" c={isToday ? 'teal.8' : undefined}>
                      {formatDate(date, { year: false })}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {appointments.isPending
                        ? ' '
                        : `${booked.filter((a) => a.status !== 'cancelled').length} booked${day ? ` · ${day.slots.length} free` : ''}`}
                    </Text>
                  </div>
                  {appointments.isPending || availability.isPending ? <Skeleton h={60} /> : null}
                  {day?.closedReason && booked.length === 0 ? (
                    <Text fz="xs" c="dimmed" fs="italic">
                      {day.closedReason}
                    </Text>
                  ) : null}
                  {items.map((item) =>
                    item.kind === 'appointment' ? (
                      <Paper
                        key={item.appointment.id}
                        p={6}
                        radius="sm"
                        bg={`${STATUS_COLORS[item.appointment.status]}.0`}
                        style={{ borderLeft: `3px solid var(--mantine-color-${STATUS_COLORS[item.appointment.status]}-6)` }}
                        opacity={item.appointment.status === 'cancelled' ? 0.6 : 1}
                      >
                        <Text fz="xs" fw={700}>
                          {timeRange(item.appointment, timeZone)}
                        </Text>
                        <Anchor component={Link} href={`/patients/${item.appointment.patient.id}`} fz="xs" fw={500} display="block">
                          {item.appointment.patient.name}
                        </Anchor>
                        <Text fz="xs" c="dimmed" lineClamp={2}>
                          {item.appointment.reason}
                        </Text>
                        <StatusBadge status={item.appointment.status} size="xs" />
                      </Paper>
                    ) : (
                      <Text key={item.at} fz="xs" c="dimmed" px={6} py={2} style={{ border: '1px dashed var(--mantine-color-gray-4)', borderRadius: 4 }}>
                        Free {item.from}–{item.to} ({item.count} {item.count === 1 ? 'slot' : 'slots'})
                      </Text>
                    ),
                  )}
                </Stack>
              </Paper>
            );
          })}
        </SimpleGrid>
      </ScrollArea>
    </Stack>
  );
}
