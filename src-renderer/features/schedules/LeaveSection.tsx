import { Button, Group, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconBeach, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ScheduleOut } from '../../../src-shared/contract/appointments.js';
import { leaveReason, localTime } from '../../../src-shared/schemas/appointments.js';
import { type ApiError, errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { ActionsHeader, TablePanel } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinic, useClinicToday } from '../../ui/useClinic.js';
import { clinicInstant, formatPeriod, wholeDays } from './clinic.js';

type Leave = ScheduleOut['leave'][number];

interface LeaveDraft {
  kind: 'days' | 'hours';
  fromDate: string;
  toDate: string;
  fromTime: string;
  toTime: string;
  reason: string;
}

type LeaveErrors = Partial<Record<keyof LeaveDraft, string>>;

/** The form's values as the instants the server takes, or the sentences to show beside its fields. */
function toPeriod(draft: LeaveDraft, zone: string): { ok: true; startAt: string; endAt: string; reason: string } | { ok: false; errors: LeaveErrors } {
  const errors: LeaveErrors = {};
  if (!draft.fromDate) errors.fromDate = 'Choose the first day';
  if (!draft.toDate) errors.toDate = 'Choose the last day';
  if (draft.kind === 'hours') {
    const from = localTime.safeParse(draft.fromTime);
    const to = localTime.safeParse(draft.toTime);
    if (!from.success) errors.fromTime = draft.fromTime ? (from.error.issues[0]?.message ?? 'Check the time') : 'Enter the time the leave starts';
    if (!to.success) errors.toTime = draft.toTime ? (to.error.issues[0]?.message ?? 'Check the time') : 'Enter the time the leave ends';
  }
  const reason = leaveReason.safeParse(draft.reason);
  if (!reason.success) errors.reason = reason.error.issues[0]?.message ?? 'Say what the leave is for';
  if (draft.fromDate && draft.toDate && draft.toDate < draft.fromDate) errors.toDate = 'The last day cannot be before the first';
  if (Object.keys(errors).length > 0 || !reason.success) return { ok: false, errors };
  const period =
    draft.kind === 'days'
      ? wholeDays(draft.fromDate, draft.toDate, zone)
      : { startAt: clinicInstant(draft.fromDate, draft.fromTime, zone), endAt: clinicInstant(draft.toDate, draft.toTime, zone) };
  if (period.endAt <= period.startAt) return { ok: false, errors: { toTime: 'The leave must end after it starts' } };
  return { ok: true, ...period, reason: reason.data };
}

function AddLeaveForm({ doctorId, onDone }: { doctorId: string; onDone: () => void }) {
  const today = useClinicToday();
  const { timeZone } = useClinic();
  const add = useProcedureMutation('schedules.addLeave');
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<LeaveDraft>({ kind: 'days', fromDate: today, toDate: today, fromTime: '09:00', toTime: '13:00', reason: '' });
  const [errors, setErrors] = useState<LeaveErrors>({});
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const set = (field: keyof LeaveDraft, value: string) => {
    setDraft((current) => ({ ...current, [field]: value, ...(field === 'fromDate' && current.toDate < value ? { toDate: value } : {}) }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    const period = toPeriod(draft, timeZone);
    if (!period.ok) {
      setErrors(period.errors);
      const first = (['fromDate', 'fromTime', 'toDate', 'toTime', 'reason'] as const).find((field) => period.errors[field]);
      if (first) document.getElementById(`leave-${first}`)?.focus();
      return;
    }
    try {
      const result = await add.mutateAsync({ doctorId, startAt: period.startAt, endAt: period.endAt, reason: period.reason });
      queryClient.setQueryData(queryKey('schedules.get', { doctorId }), result);
      notifySuccess('Leave recorded', `${formatPeriod(period.startAt, period.endAt, timeZone)}: no bookings in this time.`);
      onDone();
    } catch (error) {
      const apiError = error as ApiError;
      const fields = apiError.fields ?? {};
      const mapped: LeaveErrors = {};
      if (fields.startAt) mapped[draft.kind === 'days' ? 'fromDate' : 'fromTime'] = fields.startAt;
      if (fields.endAt) mapped[draft.kind === 'days' ? 'toDate' : 'toTime'] = fields.endAt;
      if (fields.reason) mapped.reason = fields.reason;
      setErrors(mapped);
      if (Object.keys(mapped).length === 0) setRefusal(apiError);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add leave">
      <Stack gap="md">
        <SegmentedControl
          aria-label="Whole days or hours"
          data={[
            { value: 'days', label: 'Whole days' },
            { value: 'hours', label: 'Part of a day' },
          ]}
          value={draft.kind}
          onChange={(value) => setDraft((current) => ({ ...current, kind: value as LeaveDraft['kind'] }))}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            id="leave-fromDate"
            type="date"
            label={draft.kind === 'days' ? 'First day' : 'From (date)'}
            value={draft.fromDate}
            min={today}
            onChange={(event) => set('fromDate', event.currentTarget.value)}
            error={errors.fromDate}
            data-autofocus
          />
          {draft.kind === 'hours' ? (
            <TextInput
              id="leave-fromTime"
              type="time"
              step={300}
              label="From (time)"
              value={draft.fromTime}
              onChange={(event) => set('fromTime', event.currentTarget.value)}
              error={errors.fromTime}
            />
          ) : (
            <TextInput
              id="leave-toDate"
              type="date"
              label="Last day"
              description="Included"
              value={draft.toDate}
              min={draft.fromDate || today}
              onChange={(event) => set('toDate', event.currentTarget.value)}
              error={errors.toDate}
            />
          )}
        </SimpleGrid>
        {draft.kind === 'hours' ? (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
            <TextInput
              id="leave-toDate"
              type="date"
              label="Until (date)"
              value={draft.toDate}
              min={draft.fromDate || today}
              onChange={(event) => set('toDate', event.currentTarget.value)}
              error={errors.toDate}
            />
            <TextInput
              id="leave-toTime"
              type="time"
              step={300}
              label="Until (time)"
              value={draft.toTime}
              onChange={(event) => set('toTime', event.currentTarget.value)}
              error={errors.toTime}
            />
          </SimpleGrid>
        ) : null}
        <TextInput
          id="leave-reason"
          label="Reason"
          description="E.g. annual leave, conference"
          value={draft.reason}
          onChange={(event) => set('reason', event.currentTarget.value)}
          error={errors.reason}
          autoComplete="off"
        />
        <Text fz="xs" c="dimmed">
          Times are the clinic’s ({timeZone}). Leave is refused while booked appointments fall inside it: move or cancel them first.
        </Text>
        {refusal ? <ErrorAlert title="Leave not recorded">{errorMessage(refusal)}</ErrorAlert> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Record leave
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function WithdrawLeave({ leave, onDone }: { leave: Leave; onDone: () => void }) {
  const { timeZone } = useClinic();
  const remove = useProcedureMutation('schedules.removeLeave');
  const queryClient = useQueryClient();
  const onConfirm = () =>
    remove.mutate(
      { id: leave.id, version: leave.version },
      {
        onSuccess: (result) => {
          queryClient.setQueryData(queryKey('schedules.get', { doctorId: result.doctorId }), result);
          notifySuccess('Leave withdrawn', 'Those times can be booked again.');
          onDone();
        },
      },
    );
  return (
    <Stack gap="md">
      <Text>
        Withdraw the leave <b>{formatPeriod(leave.startAt, leave.endAt, timeZone)}</b> ({leave.reason})? The working hours in it become bookable again. The
        record keeps it as withdrawn.
      </Text>
      {remove.isError ? <ErrorAlert title="Not withdrawn">{errorMessage(remove.error)}</ErrorAlert> : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onDone} data-autofocus>
          Keep it
        </Button>
        <Button color="red" onClick={onConfirm} loading={remove.isPending}>
          Withdraw leave
        </Button>
      </Group>
    </Stack>
  );
}

/** The doctor's coming leave, soonest first, with adding and withdrawing. */
export function LeaveSection({ doctorId, schedule }: { doctorId: string; schedule: ScheduleOut }) {
  const { timeZone } = useClinic();
  const [adding, setAdding] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Leave | null>(null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="leave-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} id="leave-title" fz="h3">
            Leave
          </Title>
          <Text fz="sm" c="dimmed">
            Coming and current leave. Nobody can be booked with the doctor during it.
          </Text>
        </div>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)}>
          Add leave
        </Button>
      </Group>
      {schedule.leave.length === 0 ? (
        <Paper withBorder radius="md" p="lg">
          <Group gap="sm" wrap="nowrap">
            <IconBeach size={22} aria-hidden color="var(--mantine-color-dimmed)" />
            <Text c="dimmed">No leave coming up.</Text>
          </Group>
        </Paper>
      ) : (
        <TablePanel aria-label="Coming leave" miw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Reason</Table.Th>
              <ActionsHeader w={120} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {schedule.leave.map((leave) => (
              <Table.Tr key={leave.id}>
                <Table.Td>{formatPeriod(leave.startAt, leave.endAt, timeZone)}</Table.Td>
                <Table.Td>{leave.reason}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    c="red.8"
                    onClick={() => setWithdrawing(leave)}
                    aria-label={`Withdraw leave: ${leave.reason}`}
                  >
                    Withdraw
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </TablePanel>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add leave" size="lg" closeOnClickOutside={false}>
        {adding ? <AddLeaveForm doctorId={doctorId} onDone={() => setAdding(false)} /> : null}
      </Modal>
      <Modal opened={withdrawing !== null} onClose={() => setWithdrawing(null)} title="Withdraw leave">
        {withdrawing ? <WithdrawLeave leave={withdrawing} onDone={() => setWithdrawing(null)} /> : null}
      </Modal>
    </Stack>
  );
}
