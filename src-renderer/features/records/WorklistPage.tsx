import { Button, Group, Modal, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconChecklist, IconFlask, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { OrderOut } from '../../../src-shared/contract/records.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { EmptyPanel, LoadingRows, PatientCell, TablePanel } from '../../ui/lists.js';
import { useClinic } from '../../ui/useClinic.js';
import { formatWhen, referenceRange } from './format.js';
import { ResultForm } from './forms/ResultForm.js';

/** The nurses' list: every ordered test still waiting for its result, the longest-waiting first. */
export function WorklistPage() {
  useDocumentTitle('Worklist · Asclepia');
  const worklist = useProcedureQuery('orders.worklist', {});
  const { timeZone } = useClinic();
  const [search, setSearch] = useState('');
  const [enteringId, setEnteringId] = useState<string | null>(null);
  // Held while the modal is open, so the saved result stays on screen after the order leaves the list.
  const [entering, setEntering] = useState<OrderOut | null>(null);

  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = worklist.data ?? [];
    if (!needle) return all;
    return all.filter((order) =>
      [order.patient.name, order.patient.mrn, order.test.name, order.test.code, order.orderedBy.name].some((text) => text.toLowerCase().includes(needle)),
    );
  }, [worklist.data, search]);

  const open = (order: OrderOut) => {
    setEnteringId(order.id);
    setEntering(order);
  };
  const close = () => {
    setEnteringId(null);
    setEntering(null);
  };

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1}>Worklist</Title>
        <Text c="dimmed" mt={4}>
          Ordered tests waiting for results, the longest-waiting first.
        </Text>
      </div>
      <TextInput
        label="Filter the worklist"
        placeholder="Patient, MRN, test or doctor"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        type="search"
        w={340}
      />
      {worklist.isError ? <ErrorAlert>{errorMessage(worklist.error)}</ErrorAlert> : null}
      {worklist.isPending ? (
        <LoadingRows label="Loading the worklist" />
      ) : rows.length === 0 && !worklist.isError ? (
        <EmptyPanel
          icon={IconChecklist}
          title={search.trim() && worklist.data?.length ? 'Nothing matches' : 'No tests are waiting for results'}
          description={
            search.trim() && worklist.data?.length
              ? `No waiting test matches “${search.trim()}”.`
              : 'Tests a doctor orders appear here until their result is entered.'
          }
        />
      ) : (
        <TablePanel highlightOnHover aria-label="Tests awaiting results" miw={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Test</Table.Th>
              <Table.Th>Ordered</Table.Th>
              <Table.Th w={160}>
                <VisuallyHidden>Action</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((order) => {
              const range = referenceRange(order.test, order.test.unit);
              return (
                <Table.Tr key={order.id} data-order-id={order.id}>
                  <PatientCell patient={order.patient} />
                  <Table.Td>
                    <Text fw={500} fz="sm">
                      {order.test.name} ({order.test.code})
                    </Text>
                    {range ? (
                      <Text fz="xs" c="dimmed">
                        Reference {range}
                      </Text>
                    ) : null}
                    {order.notes ? (
                      <Text fz="xs" fs="italic">
                        {order.notes}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text fz="sm">{formatWhen(order.orderedAt, timeZone)}</Text>
                    <Text fz="xs" c="dimmed">
                      by {order.orderedBy.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <Button
                        size="xs"
                        leftSection={<IconFlask size={14} aria-hidden />}
                        onClick={() => open(order)}
                        aria-label={`Enter result: ${order.test.name} for ${order.patient.name}`}
                      >
                        Enter result
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </TablePanel>
      )}
      <Modal
        opened={enteringId !== null}
        onClose={close}
        title={entering ? `Result: ${entering.test.name}` : 'Enter result'}
        size="lg"
        closeOnClickOutside={false}
      >
        {entering ? <ResultForm order={entering} onDone={close} /> : null}
      </Modal>
    </Stack>
  );
}
