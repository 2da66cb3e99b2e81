import { Button, Group, Modal, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconBeach, IconPlus } from '@tabler/icons-react';
import { type FormEvent, useRef, useState } from 'react';
import { holidayName, localDate } from '../../../src-shared/schemas/appointments.js';
import { type ApiError, errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { ActionsHeader, EmptyPanel, QueryList } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinicToday } from '../../ui/useClinic.js';
import { formatDate } from './clinic.js';

type Holiday = { id: string; date: string; name: string };

function AddHolidayForm() {
  const today = useClinicToday();
  const add = useProcedureMutation('holidays.add');
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<{ date?: string; name?: string }>({});
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    const checkedDate = localDate.safeParse(date);
    const checkedName = holidayName.safeParse(name);
    const found = {
      date: date ? (checkedDate.success ? undefined : checkedDate.error.issues[0]?.message) : 'Choose the date',
      name: checkedName.success ? undefined : checkedName.error.issues[0]?.message,
    };
    setErrors(found);
    if (found.date) return dateRef.current?.focus();
    if (found.name || !checkedName.success) return nameRef.current?.focus();
    try {
      const saved = await add.mutateAsync({ date, name: checkedName.data });
      notifySuccess('Holiday added', `${formatDate(saved.date)}: ${saved.name}. Nobody can be booked that day.`);
      setDate('');
      setName('');
      dateRef.current?.focus();
    } catch (error) {
      const apiError = error as ApiError;
      const fields = { date: apiError.fields?.date, name: apiError.fields?.name };
      setErrors(fields);
      if (!fields.date && !fields.name) setRefusal(apiError);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="form" onSubmit={onSubmit} noValidate aria-label="Add a holiday">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm">
          <TextInput
            ref={dateRef}
            type="date"
            label="Date"
            min={today}
            value={date}
            onChange={(event) => {
              setDate(event.currentTarget.value);
              setErrors((current) => ({ ...current, date: undefined }));
            }}
            error={errors.date}
            w={200}
          />
          <TextInput
            ref={nameRef}
            label="Name"
            placeholder="E.g. New Year’s Day"
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setErrors((current) => ({ ...current, name: undefined }));
            }}
            error={errors.name}
            autoComplete="off"
            style={{ flex: 1, minWidth: 220 }}
          />
          <Button type="submit" mt={25} leftSection={<IconPlus size={16} aria-hidden />} loading={add.isPending}>
            Add holiday
          </Button>
        </Group>
        {refusal ? <ErrorAlert title="Holiday not added">{errorMessage(refusal)}</ErrorAlert> : null}
      </Stack>
    </Paper>
  );
}

function RemoveHoliday({ holiday, onDone }: { holiday: Holiday; onDone: () => void }) {
  const remove = useProcedureMutation('holidays.remove');
  return (
    <Stack gap="md">
      <Text>
        Withdraw <b>{holiday.name}</b> on {formatDate(holiday.date)}? The doctors’ working hours that day become bookable again. The record keeps it as
        withdrawn.
      </Text>
      {remove.isError ? <ErrorAlert title="Not withdrawn">{errorMessage(remove.error)}</ErrorAlert> : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onDone} data-autofocus>
          Keep it
        </Button>
        <Button
          color="red"
          loading={remove.isPending}
          onClick={() =>
            remove.mutate(
              { id: holiday.id },
              {
                onSuccess: () => {
                  notifySuccess('Holiday withdrawn', `${formatDate(holiday.date)} is a working day again.`);
                  onDone();
                },
              },
            )
          }
        >
          Withdraw holiday
        </Button>
      </Group>
    </Stack>
  );
}

/** Clinic holidays: no doctor can be booked on them. */
export function HolidaysPage() {
  useDocumentTitle('Holidays · Asclepia');
  const today = useClinicToday();
  const [showPast, setShowPast] = useState(false);
  const holidays = useProcedureQuery('holidays.list', showPast ? {} : { from: today });
  const [removing, setRemoving] = useState<Holiday | null>(null);
  const list = holidays.data ?? [];

  return (
    <Stack gap="lg" maw={900}>
      <div>
        <Title order={1}>Clinic holidays</Title>
        <Text c="dimmed" mt={4}>
          Days the clinic is closed: no appointments can be booked on them. A day with booked appointments cannot become a holiday until they are moved or
          cancelled.
        </Text>
      </div>
      <AddHolidayForm />
      <Stack gap="sm" component="section" aria-labelledby="holidays-title">
        <Group justify="space-between" align="center">
          <Title order={2} id="holidays-title" fz="h3">
            {showPast ? 'All holidays' : 'Coming holidays'}
          </Title>
          <Switch label="Show past holidays too" checked={showPast} onChange={(event) => setShowPast(event.currentTarget.checked)} />
        </Group>
        <QueryList
          query={holidays}
          count={list.length}
          loadingLabel="Loading the holidays"
          empty={
            <EmptyPanel
              icon={IconBeach}
              title={showPast ? 'No holidays recorded' : 'No holidays coming up'}
              description="Add the days the clinic will be closed, e.g. public holidays."
            />
          }
        >
          <Paper withBorder radius="md">
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-labelledby="holidays-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={200}>Date</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <ActionsHeader w={120} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((holiday) => {
                  const past = holiday.date < today;
                  return (
                    <Table.Tr key={holiday.id} c={past ? 'dimmed' : undefined}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(holiday.date)}</Table.Td>
                      <Table.Td>{holiday.name}</Table.Td>
                      <Table.Td>
                        {past ? null : (
                          <Button size="xs" variant="default" c="red.8" onClick={() => setRemoving(holiday)} aria-label={`Withdraw ${holiday.name}`}>
                            Withdraw
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Paper>
        </QueryList>
      </Stack>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title="Withdraw holiday">
        {removing ? <RemoveHoliday holiday={removing} onDone={() => setRemoving(null)} /> : null}
      </Modal>
    </Stack>
  );
}
