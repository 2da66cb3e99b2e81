import { ActionIcon, Alert, Button, Group, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCopy, IconDeviceFloppy, IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ScheduleOut } from '../../../src-shared/contract/appointments.js';
import { WEEKDAY_LABELS } from '../../../src-shared/schemas/appointments.js';
import { ApiError, call, errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation } from '../../api/hooks.js';
import { ConfirmWarning } from '../../ui/ConfirmWarning.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { TablePanel } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { checkWeek, copyMondayToWeekdays, type DraftBlock, fromDraft, sameHours, suggestBlock, toDraft, type WeekDraft } from './hours.js';

/** The server names a block by its place in the list sent ("hours.3.end"); put its sentence back on that block. */
function serverBlockErrors(error: ApiError, keys: readonly string[]): { byKey: Record<string, string>; rest: string[] } {
  const byKey: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(error.fields)) {
    const match = /^hours\.(\d+)/.exec(path);
    const key = match ? keys[Number(match[1])] : undefined;
    if (key && !byKey[key]) byKey[key] = message;
    else rest.push(message);
  }
  return { byKey, rest };
}

/**
 * A doctor's weekly working hours: one row per weekday with any number of start–end blocks,
 * saved as a whole. The server checks them again (overlaps, the 5-minute grid) and its sentences
 * land beside the block they are about.
 */
export function WeeklyHoursEditor({ doctorId, schedule, doctorName }: { doctorId: string; schedule: ScheduleOut; doctorName: string }) {
  const [week, setWeek] = useState<WeekDraft>(() => toDraft(schedule.hours));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [extra, setExtra] = useState<string[]>([]);
  /** The server's question when the new hours leave booked appointments outside them, and which ones it means. */
  const [outside, setOutside] = useState<{ message: string; ids: string[] } | null>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const base = useRef(schedule);
  const save = useProcedureMutation('schedules.setHours');
  const queryClient = useQueryClient();
  const saved = toDraft(schedule.hours);
  const dirty = !sameHours(week, saved);

  // Another desk saved: take their hours when nothing here was changed.
  useEffect(() => {
    if (schedule.hoursVersion === base.current.hoursVersion) return;
    const previous = toDraft(base.current.hours);
    base.current = schedule;
    setWeek((current) => (sameHours(current, previous) ? toDraft(schedule.hours) : current));
  }, [schedule]);

  const update = (day: number, change: (blocks: DraftBlock[]) => DraftBlock[]) => {
    setWeek((current) => current.map((blocks, index) => (index === day ? change(blocks) : blocks)));
    setRefusal(null);
    setOutside(null);
  };
  const setTime = (day: number, key: string, field: 'start' | 'end', value: string) => {
    update(day, (blocks) => blocks.map((block) => (block.key === key ? { ...block, [field]: value } : block)));
    setErrors((current) => {
      const { [key]: _gone, ...rest } = current;
      return rest;
    });
  };
  const addBlock = (day: number) => {
    const block = suggestBlock(week[day] ?? []);
    update(day, (blocks) => [...blocks, block]);
    // Focus the new block's start time so typing can go on.
    setTimeout(() => document.getElementById(`${block.key}-start`)?.focus(), 0);
  };
  const removeBlock = (day: number, key: string) => {
    update(day, (blocks) => blocks.filter((block) => block.key !== key));
    setTimeout(() => document.getElementById(`add-block-${day}`)?.focus(), 0);
  };

  const reload = async () => {
    const key = queryKey('schedules.get', { doctorId });
    await queryClient.invalidateQueries({ queryKey: key });
    const fresh = queryClient.getQueryData<ScheduleOut>(key) ?? schedule;
    base.current = fresh;
    setWeek(toDraft(fresh.hours));
    setErrors({});
    setExtra([]);
    setRefusal(null);
    setOutside(null);
  };

  const onSave = async (acknowledgedOutsideHours: string[] = []) => {
    setRefusal(null);
    setExtra([]);
    const local = checkWeek(week);
    setErrors(local);
    const firstBad = Object.keys(local)[0];
    if (firstBad) {
      document.getElementById(`${firstBad}-start`)?.focus();
      return;
    }
    const { hours, keys } = fromDraft(week);
    try {
      const result = await save.mutateAsync({
        doctorId,
        hoursVersion: schedule.hoursVersion,
        hours,
        ...(acknowledgedOutsideHours.length > 0 ? { acknowledgedOutsideHours } : {}),
      });
      setOutside(null);
      base.current = result;
      setWeek(toDraft(result.hours));
      queryClient.setQueryData(queryKey('schedules.get', { doctorId }), result);
      const blocks = `${doctorName}: ${hours.length} ${hours.length === 1 ? 'block' : 'blocks'} a week.`;
      notifySuccess('Working hours saved', acknowledgedOutsideHours.length > 0 ? `${blocks} Move the appointments left outside from the day board.` : blocks);
    } catch (error) {
      const question = error instanceof ApiError ? error.fields.acknowledgedOutsideHours : undefined;
      if (question) {
        // Confirming names exactly the appointments the question is about; one booked meanwhile is asked about again.
        try {
          const listed = await call('schedules.outsideHours', { doctorId, hours });
          setOutside({ message: question, ids: listed.map((appointment) => appointment.id) });
        } catch (listError) {
          setOutside(null);
          setRefusal(listError instanceof ApiError ? listError : new ApiError('INTERNAL', errorMessage(listError)));
        }
        return;
      }
      setOutside(null);
      if (error instanceof ApiError) {
        const { byKey, rest } = serverBlockErrors(error, keys);
        setErrors(byKey);
        setExtra(rest);
        const first = Object.keys(byKey)[0];
        if (first) document.getElementById(`${first}-start`)?.focus();
        if (Object.keys(byKey).length === 0 || error.code !== 'VALIDATION') setRefusal(error);
      } else {
        setRefusal(new ApiError('INTERNAL', errorMessage(error)));
      }
    }
  };

  const empty = week.every((blocks) => blocks.length === 0);

  return (
    <Stack gap="sm" component="section" aria-labelledby="hours-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} id="hours-title" fz="h3">
            Weekly working hours
          </Title>
          <Text fz="sm" c="dimmed">
            Patients can be booked inside these blocks. Times are the clinic’s, on a 5-minute mark; an end of 00:00 means midnight.
          </Text>
        </div>
        <Group gap="xs">
          <Tooltip label="Give Tuesday to Friday the same blocks as Monday">
            <Button
              variant="default"
              leftSection={<IconCopy size={16} aria-hidden />}
              onClick={() => {
                setWeek((current) => copyMondayToWeekdays(current));
                setRefusal(null);
                setOutside(null);
              }}
              disabled={(week[0] ?? []).length === 0}
            >
              Copy Monday to weekdays
            </Button>
          </Tooltip>
          <Button
            leftSection={<IconDeviceFloppy size={16} aria-hidden />}
            ref={saveButton}
            onClick={() => onSave()}
            loading={save.isPending && !outside}
            disabled={(!dirty && !refusal) || outside !== null}
          >
            Save hours
          </Button>
        </Group>
      </Group>
      {empty ? (
        <Alert color="blue" variant="light" title="No working hours yet">
          Add a block for each day the doctor sees patients. Until then nobody can be booked with {doctorName}.
        </Alert>
      ) : null}
      {refusal ? (
        <ErrorAlert title="Hours not saved">
          <Stack gap="xs">
            <Text fz="sm">{errorMessage(refusal)}</Text>
            {refusal.code === 'CONFLICT' ? (
              <Group>
                <Button size="xs" variant="default" leftSection={<IconRefresh size={14} aria-hidden />} onClick={reload}>
                  Load the hours saved elsewhere
                </Button>
              </Group>
            ) : null}
          </Stack>
        </ErrorAlert>
      ) : null}
      {extra.length > 0 && !refusal ? <ErrorAlert title="Hours not saved">{extra.join(' ')}</ErrorAlert> : null}
      {outside ? (
        <ConfirmWarning
          title="Booked appointments fall outside these hours"
          message={outside.message}
          confirmLabel="Save hours anyway"
          backLabel="Keep editing"
          onConfirm={() => onSave(outside.ids)}
          onBack={() => {
            setOutside(null);
            setTimeout(() => saveButton.current?.focus(), 0);
          }}
          busy={save.isPending}
        />
      ) : null}
      <TablePanel aria-label="Working hours by weekday" miw={640}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={130}>Day</Table.Th>
            <Table.Th>Blocks</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {WEEKDAY_LABELS.map((label, day) => {
            const blocks = week[day] ?? [];
            return (
              <Table.Tr key={label} data-weekday={day + 1}>
                <Table.Td style={{ verticalAlign: 'top', paddingTop: 18 }}>
                  <Text fw={600}>{label}</Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap="xs">
                    {blocks.length === 0 ? (
                      <Text fz="sm" c="dimmed">
                        Not working
                      </Text>
                    ) : null}
                    {blocks.map((block, index) => (
                      <Group key={block.key} gap="xs" align="flex-start" wrap="nowrap" role="group" aria-label={`${label} block ${index + 1}`}>
                        <TextInput
                          id={`${block.key}-start`}
                          type="time"
                          step={300}
                          label={index === 0 ? 'From' : undefined}
                          aria-label={`${label} block ${index + 1} from`}
                          value={block.start}
                          onChange={(event) => setTime(day, block.key, 'start', event.currentTarget.value)}
                          w={130}
                          size="sm"
                          error={errors[block.key] ? true : undefined}
                        />
                        <TextInput
                          type="time"
                          step={300}
                          label={index === 0 ? 'To' : undefined}
                          aria-label={`${label} block ${index + 1} to`}
                          value={block.end}
                          onChange={(event) => setTime(day, block.key, 'end', event.currentTarget.value)}
                          w={130}
                          size="sm"
                          error={errors[block.key] ? true : undefined}
                        />
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          size="lg"
                          mt={index === 0 ? 24 : 0}
                          aria-label={`Remove ${label} block ${index + 1}`}
                          onClick={() => removeBlock(day, block.key)}
                        >
                          <IconTrash size={18} aria-hidden />
                        </ActionIcon>
                        {errors[block.key] ? (
                          <Text fz="sm" c="red.8" mt={index === 0 ? 30 : 6} role="alert">
                            {errors[block.key]}
                          </Text>
                        ) : null}
                      </Group>
                    ))}
                    <div>
                      <Button
                        id={`add-block-${day}`}
                        size="xs"
                        variant="subtle"
                        leftSection={<IconPlus size={14} aria-hidden />}
                        onClick={() => addBlock(day)}
                        aria-label={`Add a block on ${label}`}
                      >
                        Add block
                      </Button>
                    </div>
                  </Stack>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </TablePanel>
      {dirty ? (
        <Text fz="sm" c="orange.8">
          Unsaved changes: press “Save hours” to keep them.
        </Text>
      ) : null}
    </Stack>
  );
}
