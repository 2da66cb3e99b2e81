import { Accordion, Badge, Button, Code, DataList, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconEdit, IconFlask } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Encounter, OrderOut, TimelineKind } from '../../../src-shared/contract/records.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { useClinic } from '../../ui/useClinic.js';
import { AttachmentView } from './Attachments.js';
import { formatNumber, formatWhen, routeLabel } from './format.js';
import { EncounterForm } from './forms/EncounterForm.js';
import { OrderSummary, ResultForm } from './forms/ResultForm.js';
import { PrescriptionPrintButtons } from './PrintButtons.js';
import { FlagBadge, useCan } from './shared.js';

export interface OpenEntry {
  kind: TimelineKind;
  id: string;
}

function Loading() {
  return (
    <Stack gap="sm" aria-busy="true" aria-label="Loading">
      <Skeleton h={24} w="60%" />
      <Skeleton h={80} />
      <Skeleton h={80} />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" fw={700} c="dimmed" tt="uppercase">
        {label}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap' }}>{children}</Text>
    </Stack>
  );
}

function Diagnoses({ diagnoses }: { diagnoses: Encounter['diagnoses'] }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" fw={700} c="dimmed" tt="uppercase">
        {diagnoses.length === 1 ? 'Diagnosis' : 'Diagnoses'}
      </Text>
      <Stack gap={4} component="ul" m={0} pl="md">
        {diagnoses.map((diagnosis, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a saved version's list never reorders
          <Text component="li" key={`${diagnosis.text}-${index}`}>
            {diagnosis.text} {diagnosis.icd10 ? <Code>{diagnosis.icd10}</Code> : null}
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}

function EncounterBody({ version }: { version: Pick<Encounter, 'complaint' | 'findings' | 'diagnoses' | 'plan'> }) {
  return (
    <Stack gap="sm">
      <Field label="Presenting complaint">{version.complaint}</Field>
      <Field label="Findings">{version.findings}</Field>
      <Diagnoses diagnoses={version.diagnoses} />
      <Field label="Plan">{version.plan}</Field>
    </Stack>
  );
}

/** The current version, then every version oldest first with who changed it, when and why. */
export function EncounterDetail({ id, onEditing }: { id: string; onEditing?: (editing: boolean) => void }) {
  const encounter = useProcedureQuery('encounters.get', { id });
  const { timeZone } = useClinic();
  const canAmend = useCan('clinical.write');
  const queryClient = useQueryClient();
  const [amending, setAmending] = useState(false);
  const setEditing = (editing: boolean) => {
    setAmending(editing);
    onEditing?.(editing);
  };
  if (encounter.isError) return <ErrorAlert>{errorMessage(encounter.error)}</ErrorAlert>;
  if (!encounter.data) return <Loading />;
  const current = encounter.data;

  if (amending) {
    return (
      <Stack gap="md">
        <Title order={3}>Amend this encounter</Title>
        <EncounterForm
          patientId={current.patientId}
          amend={current}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            queryClient.setQueryData(queryKey('encounters.get', { id }), saved);
            void queryClient.invalidateQueries({ queryKey: ['records.timeline'] });
            setEditing(false);
          }}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text fz="sm">
            {formatWhen(current.occurredAt, timeZone)} · {current.doctor.name}
          </Text>
          {current.revision > 1 ? (
            <Badge color="yellow" c="yellow.9" variant="light" tt="none">
              Amended ({current.revision - 1} {current.revision === 2 ? 'time' : 'times'})
            </Badge>
          ) : null}
        </Stack>
        {canAmend ? (
          <Button variant="default" leftSection={<IconEdit size={16} aria-hidden />} onClick={() => setEditing(true)}>
            Amend
          </Button>
        ) : null}
      </Group>
      <section aria-label="Current version">
        <EncounterBody version={current} />
      </section>
      {current.revisions.length > 1 ? (
        <Stack gap="xs" component="section" aria-labelledby="revision-history">
          <Title order={3} fz="h5" id="revision-history">
            Revision history
          </Title>
          <Accordion variant="separated" multiple>
            {current.revisions.map((revision) => (
              <Accordion.Item key={revision.revision} value={String(revision.revision)}>
                <Accordion.Control>
                  <Text fz="sm" fw={500}>
                    {revision.revision === 1 ? 'Original' : `Amendment ${revision.revision - 1}`} · {formatWhen(revision.at, timeZone)} · {revision.by.name}
                  </Text>
                  {revision.amendmentReason ? (
                    <Text fz="xs" c="dimmed">
                      Reason: {revision.amendmentReason}
                    </Text>
                  ) : null}
                </Accordion.Control>
                <Accordion.Panel>
                  <EncounterBody version={revision} />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        </Stack>
      ) : null}
    </Stack>
  );
}

function ResultBlock({ order }: { order: OrderOut }) {
  const { timeZone } = useClinic();
  const result = order.result;
  if (!result) return null;
  return (
    <Stack gap="sm">
      <Group gap="sm" align="center">
        <Text fw={700} fz="xl" data-testid="result-value">
          {result.valueNumeric !== null ? `${formatNumber(result.valueNumeric)}${result.unit ? ` ${result.unit}` : ''}` : (result.valueText ?? 'See the files')}
        </Text>
        <FlagBadge flag={result.flag} size="md" />
      </Group>
      {result.valueNumeric !== null && result.valueText ? <Text style={{ whiteSpace: 'pre-wrap' }}>{result.valueText}</Text> : null}
      <Text fz="sm" c="dimmed">
        Resulted {formatWhen(result.resultedAt, timeZone)} by {result.by.name}
      </Text>
      {result.attachments.length > 0 ? (
        <Stack gap="xs" component="section" aria-labelledby="result-files">
          <Title order={3} fz="h5" id="result-files">
            Files
          </Title>
          {result.attachments.map((attachment) => (
            <AttachmentView key={attachment.id} attachment={attachment} />
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** An order with its result and files; the nurse can enter the result from here. */
export function OrderDetail({ id }: { id: string }) {
  const order = useProcedureQuery('orders.get', { id });
  const canEnter = useCan('results.write');
  const [entering, setEntering] = useState(false);
  if (order.isError) return <ErrorAlert>{errorMessage(order.error)}</ErrorAlert>;
  if (!order.data) return <Loading />;
  if (entering) return <ResultForm order={order.data} onDone={() => setEntering(false)} />;
  const status = order.data.status;
  return (
    <Stack gap="md">
      <OrderSummary order={order.data} />
      {status === 'ordered' ? (
        <Group justify="space-between">
          <Badge variant="light" color="blue" tt="none">
            Awaiting result
          </Badge>
          {canEnter ? (
            <Button leftSection={<IconFlask size={16} aria-hidden />} onClick={() => setEntering(true)}>
              Enter result
            </Button>
          ) : null}
        </Group>
      ) : status === 'cancelled' ? (
        <Badge variant="light" color="gray" tt="none">
          Cancelled
        </Badge>
      ) : (
        <ResultBlock order={order.data} />
      )}
    </Stack>
  );
}

export function PrescriptionDetail({ id }: { id: string }) {
  const prescription = useProcedureQuery('prescriptions.get', { id });
  const { timeZone } = useClinic();
  if (prescription.isError) return <ErrorAlert>{errorMessage(prescription.error)}</ErrorAlert>;
  if (!prescription.data) return <Loading />;
  const data = prescription.data;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text fz="sm">
          {formatWhen(data.prescribedAt, timeZone)} · {data.prescriber.name}
        </Text>
        <PrescriptionPrintButtons prescriptionId={data.id} />
      </Group>
      <div style={{ overflowX: 'auto' }}>
        <Table aria-label="Prescribed drugs" verticalSpacing="xs" miw={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Drug and dose</Table.Th>
              <Table.Th>Route</Table.Th>
              <Table.Th>Frequency</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Qty</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((item, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a saved prescription's items never reorder
              <Table.Tr key={`${item.drug}-${index}`}>
                <Table.Td>
                  <Text fw={500} fz="sm">
                    {item.drug} {item.dose}
                  </Text>
                  {item.instructions ? (
                    <Text fz="xs" c="dimmed">
                      {item.instructions}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>{routeLabel(item.route)}</Table.Td>
                <Table.Td>{item.frequency}</Table.Td>
                <Table.Td>{item.duration}</Table.Td>
                <Table.Td>{item.quantity}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      {data.notes ? <Field label="Notes">{data.notes}</Field> : null}
    </Stack>
  );
}

const VITAL_ROWS: { key: 'bp' | 'pulse' | 'temperatureC' | 'respiratoryRate' | 'spo2' | 'weightKg' | 'heightCm' | 'bmi' | 'glucoseMmolL'; label: string }[] = [
  { key: 'bp', label: 'Blood pressure (mmHg)' },
  { key: 'pulse', label: 'Pulse (beats/min)' },
  { key: 'temperatureC', label: 'Temperature (°C)' },
  { key: 'respiratoryRate', label: 'Respiratory rate (breaths/min)' },
  { key: 'spo2', label: 'SpO₂ (%)' },
  { key: 'weightKg', label: 'Weight (kg)' },
  { key: 'heightCm', label: 'Height (cm)' },
  { key: 'bmi', label: 'BMI' },
  { key: 'glucoseMmolL', label: 'Glucose (mmol/L)' },
];

export function VitalsDetail({ patientId, id }: { patientId: string; id: string }) {
  const series = useProcedureQuery('vitals.series', { patientId });
  const { timeZone } = useClinic();
  if (series.isError) return <ErrorAlert>{errorMessage(series.error)}</ErrorAlert>;
  if (!series.data) return <Loading />;
  const vitals = series.data.find((entry) => entry.id === id);
  if (!vitals) return <Text>These vitals are older than the 200 readings the chart loads.</Text>;
  const rows = VITAL_ROWS.map((row) => {
    const value =
      row.key === 'bp' ? (vitals.systolic !== null && vitals.diastolic !== null ? `${vitals.systolic}/${vitals.diastolic}` : null) : vitals[row.key];
    return { label: row.label, value: value === null ? null : typeof value === 'number' ? formatNumber(value) : value };
  }).filter((row) => row.value !== null);
  return (
    <Stack gap="md">
      <Text fz="sm">
        {formatWhen(vitals.takenAt, timeZone)} · {vitals.by.name}
      </Text>
      <DataList>
        {rows.map((row) => (
          <DataList.Item key={row.label}>
            <DataList.ItemLabel>{row.label}</DataList.ItemLabel>
            <DataList.ItemValue>{row.value}</DataList.ItemValue>
          </DataList.Item>
        ))}
      </DataList>
    </Stack>
  );
}

export function AttachmentDetail({ id }: { id: string }) {
  const file = useProcedureQuery('attachments.get', { id });
  if (file.isError) return <ErrorAlert>{errorMessage(file.error)}</ErrorAlert>;
  if (!file.data) return <Loading />;
  return <AttachmentView attachment={{ id, fileName: file.data.fileName, mimeType: file.data.mimeType }} />;
}
