import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Input, Modal, NumberInput, SegmentedControl, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconFlask, IconPlus, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import type { TestOut } from '../../../src-shared/contract/records.js';
import { testCatalogFields } from '../../../src-shared/schemas/records.js';
import type { ApiError } from '../../api/client.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { ActionsHeader, ActiveBadge, EditButton, EmptyPanel, LoadingRows, TablePanel } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { applyServerFieldErrors } from '../../ui/serverErrors.js';
import { useClinic } from '../../ui/useClinic.js';
import { referenceRange } from './format.js';
import { formatMoney, minorDigits, minorToMajorText, parseMajorToMinor } from './money.js';
import { FormButtons, RefusalAlert } from './shared.js';

interface TestValues {
  code: string;
  name: string;
  kind: 'test' | 'procedure';
  /** The price as typed, in major units ("1250.50"); the schema turns it into minor units. */
  priceMinor: string;
  unit: string;
  refLow: number | string;
  refHigh: number | string;
  refText: string;
  active: boolean;
}
type TestOutput = z.output<typeof testCatalogFields>;

const blankToNull = (value: number | string) => (value === '' ? null : typeof value === 'string' ? Number(value) : value);

function testSchema(currency: string) {
  const digits = minorDigits(currency);
  const example = digits > 0 ? `1250 or 1250.${'5'.padEnd(digits, '0')}` : '1250';
  return z.preprocess(
    (values: TestValues) => ({
      ...values,
      priceMinor: values.priceMinor.trim() === '' ? undefined : (parseMajorToMinor(values.priceMinor, digits) ?? Number.NaN),
      refLow: blankToNull(values.refLow),
      refHigh: blankToNull(values.refHigh),
    }),
    testCatalogFields.safeExtend({
      priceMinor: z.number(`Enter the price in ${currency}, e.g. ${example}`).pipe(testCatalogFields.shape.priceMinor),
      refLow: z.number('The low end must be a number').nullable(),
      refHigh: z.number('The high end must be a number').nullable(),
    }),
  );
}

const FIELDS = ['code', 'name', 'kind', 'priceMinor', 'unit', 'refLow', 'refHigh', 'refText', 'active'] as const;

function TestForm({ test, onDone }: { test: TestOut | null; onDone: () => void }) {
  const { currency } = useClinic();
  const digits = minorDigits(currency);
  const save = useProcedureMutation('catalog.saveTest');
  const queryClient = useQueryClient();
  const [formRefusal, setFormRefusal] = useState<ApiError | null>(null);
  const schema = useMemo(() => testSchema(currency), [currency]);
  const form = useForm<TestValues, unknown, TestOutput>({
    resolver: zodResolver(schema) as never,
    defaultValues: test
      ? {
          code: test.code,
          name: test.name,
          kind: test.kind,
          priceMinor: minorToMajorText(test.priceMinor, digits),
          unit: test.unit ?? '',
          refLow: test.refLow ?? '',
          refHigh: test.refHigh ?? '',
          refText: test.refText ?? '',
          active: test.active,
        }
      : { code: '', name: '', kind: 'test', priceMinor: '', unit: '', refLow: '', refHigh: '', refText: '', active: true },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(
    async (values) => {
      setFormRefusal(null);
      try {
        const saved = await save.mutateAsync(test ? { id: test.id, version: test.version, test: values } : { test: values });
        notifySuccess(test ? 'Test updated' : 'Test added', `${saved.name} (${saved.code}) is ${saved.active ? 'in the catalog' : 'inactive'}.`);
        onDone();
      } catch (error) {
        const map = Object.fromEntries(FIELDS.map((field) => [`test.${field}`, field]));
        if (!applyServerFieldErrors(error, form.setError, FIELDS, map)) setFormRefusal(error as ApiError);
        if ((error as ApiError).code === 'CONFLICT') void queryClient.invalidateQueries({ queryKey: ['catalog.tests'] });
      }
    },
    () => setFormRefusal(null),
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label={test ? `Edit ${test.code}` : 'New test'}>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <TextInput
            label="Code"
            description="Short, e.g. HB"
            autoCapitalize="characters"
            spellCheck={false}
            autoComplete="off"
            data-autofocus
            {...form.register('code')}
            error={errors.code?.message}
          />
          <TextInput label="Name" autoComplete="off" {...form.register('name')} error={errors.name?.message} style={{ gridColumn: 'span 2' }} />
        </SimpleGrid>
        <Controller
          control={form.control}
          name="kind"
          render={({ field }) => (
            <Input.Wrapper label="Kind" labelElement="div" labelProps={{ id: 'test-kind-label' }}>
              <div>
                <SegmentedControl
                  aria-labelledby="test-kind-label"
                  data={[
                    { value: 'test', label: 'Test' },
                    { value: 'procedure', label: 'Procedure' },
                  ]}
                  value={field.value}
                  onChange={field.onChange}
                />
              </div>
            </Input.Wrapper>
          )}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label={`Price (${currency})`}
            description={digits > 0 ? `In ${currency}, e.g. 500 or 500.50` : `In ${currency}`}
            inputMode="decimal"
            autoComplete="off"
            {...form.register('priceMinor')}
            error={errors.priceMinor?.message}
          />
          <TextInput label="Unit" description="Of the result, e.g. g/dL" autoComplete="off" {...form.register('unit')} error={errors.unit?.message} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          {(['refLow', 'refHigh'] as const).map((name) => (
            <Controller
              key={name}
              control={form.control}
              name={name}
              render={({ field, fieldState }) => (
                <NumberInput
                  ref={field.ref}
                  name={field.name}
                  label={name === 'refLow' ? 'Reference low' : 'Reference high'}
                  description="Results below/above are flagged"
                  value={field.value}
                  onChange={field.onChange}
                  onBlur={field.onBlur}
                  decimalScale={4}
                  hideControls
                  error={fieldState.error?.message}
                />
              )}
            />
          ))}
        </SimpleGrid>
        <TextInput
          label="Reference text"
          description="For results in words, e.g. Negative"
          autoComplete="off"
          {...form.register('refText')}
          error={errors.refText?.message}
        />
        <Controller
          control={form.control}
          name="active"
          render={({ field }) => (
            <Switch
              label="Offered (doctors can order it)"
              checked={field.value}
              onChange={(event) => field.onChange(event.currentTarget.checked)}
              ref={field.ref}
            />
          )}
        />
        <RefusalAlert error={formRefusal} />
        <FormButtons onCancel={onDone} submitLabel={test ? 'Save changes' : 'Add to catalog'} busy={form.formState.isSubmitting} extra="Enter saves" />
      </Stack>
    </form>
  );
}

type Status = 'active' | 'inactive' | 'all';

/** The administrator's list of tests and procedures: what doctors can order, at what price, read against which range. */
export function CatalogPage() {
  useDocumentTitle('Test catalog · Asclepia');
  const catalog = useProcedureQuery('catalog.tests', { includeInactive: true });
  const { currency } = useClinic();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<Status>('all');
  const [editing, setEditing] = useState<TestOut | 'new' | null>(null);
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (catalog.data ?? []).filter(
      (test) =>
        (status === 'all' || test.active === (status === 'active')) &&
        (!needle || test.name.toLowerCase().includes(needle) || test.code.toLowerCase().includes(needle)),
    );
  }, [catalog.data, search, status]);

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Test catalog</Title>
          <Text c="dimmed" mt={4}>
            The tests and procedures doctors can order, with their prices and reference ranges. Retire one by making it inactive; past orders keep it.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
          Add test
        </Button>
      </Group>
      <Group gap="md" align="flex-end">
        <TextInput
          label="Search the catalog"
          placeholder="Name or code"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          type="search"
          w={300}
        />
        <Input.Wrapper label="Status" labelElement="div" labelProps={{ id: 'catalog-status-label' }}>
          <div>
            <SegmentedControl
              aria-labelledby="catalog-status-label"
              data={[
                { value: 'all', label: 'All' },
                { value: 'active', label: 'Active' },
                { value: 'inactive', label: 'Inactive' },
              ]}
              value={status}
              onChange={(value) => setStatus(value as Status)}
            />
          </div>
        </Input.Wrapper>
      </Group>
      {catalog.isError ? <ErrorAlert>{errorMessage(catalog.error)}</ErrorAlert> : null}
      {catalog.isPending ? (
        <LoadingRows label="Loading the catalog" />
      ) : rows.length === 0 && !catalog.isError ? (
        <EmptyPanel
          icon={IconFlask}
          title={catalog.data?.length ? 'Nothing matches' : 'The catalog is empty'}
          description={catalog.data?.length ? 'No test matches this search and status.' : 'Add the tests and procedures this clinic offers.'}
        />
      ) : (
        <TablePanel highlightOnHover aria-label="Tests and procedures" miw={820}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Code</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Price</Table.Th>
              <Table.Th>Reference</Table.Th>
              <Table.Th>Status</Table.Th>
              <ActionsHeader w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((test) => (
              <Table.Tr key={test.id} data-code={test.code}>
                <Table.Td>
                  <Text ff="monospace" fz="sm" fw={600}>
                    {test.code}
                  </Text>
                </Table.Td>
                <Table.Td>{test.name}</Table.Td>
                <Table.Td>{test.kind === 'test' ? 'Test' : 'Procedure'}</Table.Td>
                <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{formatMoney(test.priceMinor, currency)}</Table.Td>
                <Table.Td>{referenceRange(test, test.unit) ?? (test.unit ? `Unit ${test.unit}` : '—')}</Table.Td>
                <Table.Td>
                  <ActiveBadge active={test.active} />
                </Table.Td>
                <Table.Td>
                  <EditButton name={test.code} onClick={() => setEditing(test)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </TablePanel>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'Add a test or procedure' : editing ? `Edit ${editing.name}` : ''}
        size="lg"
        closeOnClickOutside={false}
      >
        {editing ? <TestForm test={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </Stack>
  );
}
