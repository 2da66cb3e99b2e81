import { Anchor, Badge, Group, Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCalendarUser } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'wouter';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useMe } from '../auth/session.js';
import { LeaveSection } from './LeaveSection.js';
import { WeeklyHoursEditor } from './WeeklyHoursEditor.js';

function DoctorSchedule({ doctorId, doctorName }: { doctorId: string; doctorName: string }) {
  const schedule = useProcedureQuery('schedules.get', { doctorId });
  if (schedule.isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading the schedule">
        <Skeleton h={36} w={300} />
        <Skeleton h={320} />
      </Stack>
    );
  }
  if (schedule.isError) {
    return <ErrorAlert title="The schedule could not be opened">{errorMessage(schedule.error)}</ErrorAlert>;
  }
  return (
    <Stack gap="xl">
      <WeeklyHoursEditor key={doctorId} doctorId={doctorId} schedule={schedule.data} doctorName={doctorName} />
      <LeaveSection doctorId={doctorId} schedule={schedule.data} />
    </Stack>
  );
}

/** Admin and front desk: any doctor's weekly hours and leave, chosen from the doctor list. */
export function SchedulesPage() {
  useDocumentTitle('Schedules · Asclepia');
  const doctors = useProcedureQuery('doctors.list', { includeInactive: true });
  const canManageCatalogs = useMe().permissions.includes('catalogs.manage');
  const [doctorId, setDoctorId] = useState<string | null>(null);
  const list = doctors.data ?? [];
  const chosen = list.find((doctor) => doctor.userId === doctorId) ?? null;
  const options = [
    { group: 'Active', items: list.filter((d) => d.active).map((d) => ({ value: d.userId, label: `${d.name} · ${d.departmentName}` })) },
    { group: 'Inactive', items: list.filter((d) => !d.active).map((d) => ({ value: d.userId, label: `${d.name} · ${d.departmentName}` })) },
  ].filter((group) => group.items.length > 0);

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>Schedules</Title>
        <Text c="dimmed" mt={4}>
          Each doctor’s weekly working hours and leave. Free slots for booking come from these, minus holidays and booked time.
        </Text>
      </div>
      {doctors.isError ? <ErrorAlert>{errorMessage(doctors.error)}</ErrorAlert> : null}
      {doctors.isPending ? <Skeleton h={60} w={420} /> : null}
      {doctors.data && list.length === 0 ? (
        <Paper withBorder radius="md" p="lg">
          <Text>
            No doctor profiles yet.{' '}
            {canManageCatalogs ? (
              <>
                Add them under{' '}
                <Anchor component={Link} href="/departments">
                  Departments & doctors
                </Anchor>
                .
              </>
            ) : (
              'The administrator adds them under Departments & doctors.'
            )}
          </Text>
        </Paper>
      ) : null}
      {list.length > 0 ? (
        <Group align="flex-end" gap="md">
          <Select
            label="Doctor"
            placeholder="Choose a doctor"
            data={options}
            value={doctorId}
            onChange={setDoctorId}
            searchable
            nothingFoundMessage="No doctor by that name"
            w={420}
            maxDropdownHeight={320}
            leftSection={<IconCalendarUser size={16} aria-hidden />}
          />
          {chosen ? (
            <Group gap="xs" pb={6}>
              <Text fz="sm" c="dimmed">
                {chosen.specialization || 'No specialization given'} · {chosen.slotMinutes}-minute slots
              </Text>
              {chosen.active ? null : (
                <Badge color="gray" variant="outline" tt="none">
                  Inactive: cannot be booked
                </Badge>
              )}
            </Group>
          ) : null}
        </Group>
      ) : null}
      {chosen ? (
        <DoctorSchedule key={chosen.userId} doctorId={chosen.userId} doctorName={chosen.name} />
      ) : list.length > 0 ? (
        <Text c="dimmed">Choose a doctor to see and change their working hours and leave.</Text>
      ) : null}
    </Stack>
  );
}

/** A doctor's own weekly hours and leave: their user id is their doctor id. */
export function MySchedulePage() {
  useDocumentTitle('My schedule · Asclepia');
  const me = useMe();
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>My schedule</Title>
        <Text c="dimmed" mt={4}>
          Your weekly working hours and leave. Patients and the front desk can book you only inside your hours.
        </Text>
      </div>
      <DoctorSchedule doctorId={me.id} doctorName={me.displayName} />
    </Stack>
  );
}
