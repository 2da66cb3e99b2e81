import { Badge, Button, Group, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconBell, IconCalendarOff, IconCalendarSearch, IconFileExport } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { EmptyPanel } from '../../ui/lists.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { useNow } from '../../ui/useNow.js';
import { useMe } from '../auth/session.js';
import { useCan } from '../records/shared.js';
import { AppointmentDrawer } from './AppointmentDrawer.js';
import { BoardGrid } from './BoardGrid.js';
import { BookingDialog, type BookingTarget } from './BookingDialog.js';
import { type BoardGridModel, buildBoardGrid } from './boardGrid.js';
import { DayListMenu } from './DayListMenu.js';
import { DayNavigator } from './DayNavigator.js';
import { formatDay } from './format.js';
import { NextAvailableDialog } from './NextAvailableDialog.js';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ALL = '';

/** The front desk's day: every doctor's hours, free slots and appointments, and booking on the grid. */
export function BoardPage() {
  useDocumentTitle('Appointments · Asclepia');
  const { timeZone } = useClinic();
  const today = useClinicToday();
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const asked = params.get('day');
  const date = asked && LOCAL_DATE.test(asked) ? asked : today;
  const departmentId = params.get('department') ?? ALL;
  const canBook = useCan('appointments.manage');
  const me = useMe();
  const canExport = me.permissions.includes('reports.all') || me.permissions.includes('reports.lists');
  const board = useProcedureQuery('appointments.board', { date, ...(departmentId ? { departmentId } : {}) }, { placeholderData: keepPreviousData });
  const departments = useProcedureQuery('departments.list', {});
  const model = useMemo(() => (board.data ? buildBoardGrid(board.data.doctors, now) : null), [board.data, now]);
  const [booking, setBooking] = useState<BookingTarget | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [findingNext, setFindingNext] = useState(false);

  // The app routes by the URL's hash, and wouter keeps the query beside it across screens; the board
  // uses its own names (?day=&department=) and always writes both, since an empty query is not written.
  const show = (next: { date?: string; department?: string }) =>
    setParams({ day: next.date ?? date, department: next.department ?? departmentId }, { replace: true });

  const departmentOptions = [
    { value: ALL, label: 'All departments' },
    ...(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name })),
  ];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={1}>Appointments</Title>
          <Group gap="xs" mt={4}>
            <Text c="dimmed" fz="lg" data-testid="board-date">
              {formatDay(date)}
            </Text>
            {date === today ? (
              <Badge variant="light" tt="none">
                Today
              </Badge>
            ) : null}
          </Group>
        </div>
        <Group gap="xs">
          {canBook ? (
            <Button variant="light" leftSection={<IconCalendarSearch size={16} aria-hidden />} onClick={() => setFindingNext(true)}>
              Next available…
            </Button>
          ) : null}
          {model ? <DayListMenu doctors={model.columns.filter((column) => hasBookings(column)).map((column) => column.doctor)} date={date} /> : null}
          {canBook ? (
            <Button component={Link} href="/appointments/reminders" variant="default" leftSection={<IconBell size={16} aria-hidden />}>
              Reminders
            </Button>
          ) : null}
          {canExport ? (
            <Button component={Link} href="/appointments/export" variant="default" leftSection={<IconFileExport size={16} aria-hidden />}>
              Export
            </Button>
          ) : null}
        </Group>
      </Group>

      <Group gap="md" align="flex-end" wrap="wrap">
        <DayNavigator date={date} today={today} onChange={(next) => show({ date: next })} />
        <Select
          aria-label="Department"
          data={departmentOptions}
          value={departmentId}
          onChange={(value) => show({ department: value ?? ALL })}
          allowDeselect={false}
          w={240}
        />
        {board.isFetching && !board.isPending ? (
          <Text fz="xs" c="dimmed" role="status">
            Updating…
          </Text>
        ) : null}
      </Group>

      {board.isError ? <ErrorAlert title="The board could not be loaded">{errorMessage(board.error)}</ErrorAlert> : null}
      {board.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading the board">
          <Skeleton h={60} />
          <Skeleton h={320} />
        </Stack>
      ) : null}
      {model ? (
        <BoardBody
          model={model}
          date={board.data?.date ?? date}
          timeZone={timeZone}
          canBook={canBook}
          filtered={Boolean(departmentId)}
          onBook={(column, segment) => setBooking({ doctor: column.doctor, slot: segment.slot, date: board.data?.date ?? date })}
          onOpenAppointment={setOpenId}
        />
      ) : null}

      <BookingDialog target={booking} onClose={() => setBooking(null)} />
      <AppointmentDrawer appointmentId={openId} onClose={() => setOpenId(null)} />
      <NextAvailableDialog
        opened={findingNext}
        onClose={() => setFindingNext(false)}
        initialDepartmentId={departmentId || null}
        fromDate={today}
        onPick={(target) => {
          setFindingNext(false);
          // The doctor must be on the board that opens: drop a filter that would hide them.
          show({ date: target.date, department: departmentId && departmentId !== target.doctor.departmentId ? ALL : undefined });
          setBooking(target);
        }}
      />
    </Stack>
  );
}

function hasBookings(column: BoardGridModel['columns'][number]): boolean {
  return column.segments.some((segment) => segment.kind !== 'outside' && segment.kind !== 'closed');
}

function BoardBody({
  model,
  date,
  timeZone,
  canBook,
  filtered,
  onBook,
  onOpenAppointment,
}: {
  model: BoardGridModel;
  date: string;
  timeZone: string;
  canBook: boolean;
  filtered: boolean;
  onBook: Parameters<typeof BoardGrid>[0]['onBook'];
  onOpenAppointment: (id: string) => void;
}) {
  const everyone = [...model.columns.map((column) => column.closedReason), ...model.offToday.map((entry) => entry.reason)];
  const holiday = everyone.length > 0 && everyone.every((reason) => reason?.startsWith('Holiday')) ? everyone[0] : null;
  const off =
    model.offToday.length > 0 ? (
      <Text fz="sm" c="dimmed">
        Not working this day: {model.offToday.map((entry) => entry.doctor.name).join(', ')}.
      </Text>
    ) : null;

  if (model.columns.length === 0 && model.offToday.length === 0) {
    return (
      <EmptyPanel
        icon={IconCalendarOff}
        title={filtered ? 'No doctors in this department' : 'No doctors yet'}
        description={
          filtered
            ? 'Choose “All departments”, or ask an administrator to add doctors to this department under Schedules.'
            : 'An administrator adds doctor profiles and their working hours under Schedules.'
        }
      />
    );
  }
  if (model.rows.length === 0) {
    return (
      <Stack gap="sm">
        <EmptyPanel
          icon={IconCalendarOff}
          title={holiday ? `${holiday} — the clinic is closed` : 'No doctors have working hours on this day'}
          description={
            holiday
              ? 'Nothing can be booked on a clinic holiday. Use “Next available…” or pick another day.'
              : 'An administrator sets doctors’ working hours under Schedules. Use “Next available…” or pick another day.'
          }
        />
        {holiday ? null : off}
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <BoardGrid key={date} model={model} date={date} timeZone={timeZone} canBook={canBook} onBook={onBook} onOpenAppointment={onOpenAppointment} />
      <Text fz="xs" c="dimmed">
        Use the arrow keys to move around the board; Enter books a free slot or opens an appointment. Times are the clinic’s ({timeZone}).
      </Text>
      {off}
    </Stack>
  );
}
