import { Badge, Checkbox, Group, Paper, ScrollArea, Skeleton, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { OrderOut, TestOut } from '../../../../src-shared/contract/records.js';
import { errorMessage } from '../../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../../api/hooks.js';
import { ErrorAlert } from '../../../ui/ErrorAlert.js';
import { notifySuccess } from '../../../ui/notify.js';
import { referenceRange } from '../format.js';
import { FormButtons, RefusalAlert, submitOnCtrlEnter, useVisitOptions } from '../shared.js';
import { VisitSelect } from './VisitSelect.js';

function testLabel(test: TestOut): string {
  return `${test.name} (${test.code})`;
}

/** Tests and procedures from the catalog, ticked from a list that a few letters narrow down. */
export function OrderTestsForm({ patientId, onSaved, onCancel }: { patientId: string; onSaved: (orders: OrderOut[]) => void; onCancel: () => void }) {
  const catalog = useProcedureQuery('catalog.tests', {});
  const create = useProcedureMutation('orders.create');
  const visits = useVisitOptions(patientId);
  const [visitId, setVisitId] = useState<string | null>(null);
  const [visitTouched, setVisitTouched] = useState(false);
  useEffect(() => {
    if (!visitTouched && visits.loaded) setVisitId(visits.defaultId);
  }, [visits.defaultId, visits.loaded, visitTouched]);
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = catalog.data ?? [];
    return needle ? all.filter((test) => test.name.toLowerCase().includes(needle) || test.code.toLowerCase().includes(needle)) : all;
  }, [catalog.data, search]);
  const chosenTests = (catalog.data ?? []).filter((test) => chosen.includes(test.id));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) {
      setError('Choose at least one test or procedure');
      return;
    }
    setError(null);
    create.mutate(
      { patientId, testIds: chosen, ...(visitId ? { encounterId: visitId } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) },
      {
        onSuccess: (orders) => {
          notifySuccess(
            orders.length === 1 ? 'Test ordered' : `${orders.length} tests ordered`,
            `${orders.map((order) => order.test.name).join(', ')} ${orders.length === 1 ? 'is' : 'are'} on the nurses’ worklist.`,
          );
          onSaved(orders);
        },
        onError: (refusal) => {
          if (refusal.fields.testIds) setError(refusal.fields.testIds);
        },
      },
    );
  };

  const groups: { kind: TestOut['kind']; title: string }[] = [
    { kind: 'test', title: 'Tests' },
    { kind: 'procedure', title: 'Procedures' },
  ];

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Order tests">
      <Stack gap="md">
        <TextInput
          label="Find a test"
          placeholder="Name or code, e.g. HB"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter in the search box ticks the only match instead of submitting half a choice.
            if (event.key === 'Enter' && shown.length === 1 && shown[0]) {
              event.preventDefault();
              const only = shown[0].id;
              setChosen((current) => (current.includes(only) ? current : [...current, only]));
            }
          }}
          type="search"
          data-autofocus
        />
        {catalog.isError ? <ErrorAlert>{errorMessage(catalog.error)}</ErrorAlert> : null}
        {catalog.isPending ? (
          <Skeleton h={160} />
        ) : (
          <Checkbox.Group
            label="Tests and procedures"
            description={chosen.length > 0 ? `${chosen.length} chosen` : 'Tick one or more'}
            value={chosen}
            onChange={(value) => {
              setChosen(value);
              setError(null);
            }}
            error={error}
          >
            <Paper withBorder radius="md" mt="xs">
              <ScrollArea.Autosize mah={280} type="auto">
                <Stack gap="sm" p="sm">
                  {shown.length === 0 ? (
                    <Text c="dimmed" fz="sm">
                      {catalog.data?.length ? `No test matches “${search.trim()}”.` : 'The catalog has no tests yet; an administrator adds them.'}
                    </Text>
                  ) : (
                    groups.map((group) => {
                      const tests = shown.filter((test) => test.kind === group.kind);
                      if (tests.length === 0) return null;
                      return (
                        <Stack gap={6} key={group.kind}>
                          <Text fz="xs" fw={700} c="dimmed" tt="uppercase">
                            {group.title}
                          </Text>
                          {tests.map((test) => {
                            const range = referenceRange(test, test.unit);
                            return <Checkbox key={test.id} value={test.id} label={testLabel(test)} description={range ? `Reference ${range}` : undefined} />;
                          })}
                        </Stack>
                      );
                    })
                  )}
                </Stack>
              </ScrollArea.Autosize>
            </Paper>
          </Checkbox.Group>
        )}
        {chosenTests.length > 0 ? (
          <Group gap={6} aria-label="Chosen">
            {chosenTests.map((test) => (
              <Badge key={test.id} variant="light" tt="none">
                {test.name}
              </Badge>
            ))}
          </Group>
        ) : null}
        <VisitSelect
          options={visits.options}
          value={visitId}
          onChange={(value) => {
            setVisitTouched(true);
            setVisitId(value);
          }}
        />
        <Textarea
          label="Notes for the lab"
          description="Optional: clinical details, urgency"
          autosize
          minRows={2}
          maxLength={500}
          value={notes}
          onChange={(event) => setNotes(event.currentTarget.value)}
          onKeyDown={submitOnCtrlEnter}
        />
        <RefusalAlert error={create.error && !create.error.fields.testIds ? create.error : null} title="Not ordered" />
        <FormButtons onCancel={onCancel} submitLabel="Place order" busy={create.isPending} />
      </Stack>
    </form>
  );
}
