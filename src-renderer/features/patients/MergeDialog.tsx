import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconArrowsLeftRight, IconGitMerge, IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { PatientRecord, PatientSummary } from '../../../src-shared/contract/patients.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { errorMessage, queryKey } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinicToday } from '../../ui/useClinic.js';
import { describeAge, formatDate, SEVERITY_LABELS, sexLabel } from './format.js';
import { PatientSearchBox } from './PatientSearchBox.js';

/**
 * Merge two records of one person (administrators): find the duplicate, compare both side by side,
 * give a reason, confirm. Everything recorded under the duplicate moves to the kept record; the
 * duplicate stays as a pointer, so its MRN still finds the kept record.
 */
export function MergeForm({ current, onMerged, onClose }: { current: PatientRecord; onMerged: (kept: PatientRecord) => void; onClose: () => void }) {
  const [other, setOther] = useState<PatientSummary | null>(null);
  if (!other) {
    return (
      <Stack gap="md">
        <Text>
          Find the other record of {patientDisplayName(current)} ({current.mrn}): search by name, MRN, phone, national id or date of birth. You compare both
          before anything changes.
        </Text>
        <PatientSearchBox
          label="Find the duplicate record"
          autoFocus
          includeInactive
          excludeIds={[current.id]}
          onPick={setOther}
          resultsMaxHeight={320}
          limit={10}
          renderEmpty={(text) => <Text c="dimmed">No other record matches “{text}”.</Text>}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    );
  }
  return <MergeReview current={current} otherId={other.id} onBack={() => setOther(null)} onMerged={onMerged} onClose={onClose} />;
}

function MergeReview({
  current,
  otherId,
  onBack,
  onMerged,
  onClose,
}: {
  current: PatientRecord;
  otherId: string;
  onBack: () => void;
  onMerged: (kept: PatientRecord) => void;
  onClose: () => void;
}) {
  const other = useProcedureQuery('patients.get', { id: otherId });
  const merge = useProcedureMutation('patients.merge');
  const queryClient = useQueryClient();
  const today = useClinicToday();
  const [keepCurrent, setKeepCurrent] = useState(true);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const short = reason.trim().length < 5;
  // The search box that had the focus is gone: the reason is the next thing to give.
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const loaded = other.isSuccess;
  useEffect(() => {
    if (loaded) reasonRef.current?.focus();
  }, [loaded]);
  const fieldError = merge.error?.fields.reason ?? (touched && short ? 'Say why these are the same person (at least 5 characters)' : undefined);

  if (other.isPending) return <Skeleton h={320} aria-label="Loading the other record" />;
  if (other.isError) {
    return (
      <Stack gap="md">
        <ErrorAlert>{errorMessage(other.error)}</ErrorAlert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onBack}>
            Choose another record
          </Button>
        </Group>
      </Stack>
    );
  }
  const kept = keepCurrent ? current : other.data;
  const duplicate = keepCurrent ? other.data : current;
  // The kept record's details stay as they are: allergies known only to the other record must not be lost from sight.
  const keptSubstances = new Set(kept.allergies.map((allergy) => allergy.substance.trim().toLowerCase()));
  const allergiesOnlyOnDuplicate = duplicate.allergies.filter((allergy) => !keptSubstances.has(allergy.substance.trim().toLowerCase()));

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (short) return;
    merge.mutate(
      { keepId: kept.id, duplicateId: duplicate.id, reason: reason.trim() },
      {
        onSuccess: async (saved) => {
          queryClient.setQueryData(queryKey('patients.get', { id: saved.id }), saved);
          await queryClient.invalidateQueries({ queryKey: queryKey('patients.get', { id: duplicate.id }) });
          notifySuccess('Records merged', `${duplicate.mrn} was merged into ${saved.mrn}; searching ${duplicate.mrn} now finds ${saved.mrn}.`);
          onMerged(saved);
        },
      },
    );
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Merge records">
      <Stack gap="md">
        <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="xs" horizontalSpacing="md" aria-label="The two records side by side" miw={560} layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={150}>
                  <VisuallyHidden>Field</VisuallyHidden>
                </Table.Th>
                <Table.Th>
                  <RecordHeading label="Keep" record={kept} color="teal" />
                </Table.Th>
                <Table.Th>
                  <RecordHeading label="Merge and retire" record={duplicate} color="orange" />
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {comparisonRows(kept, duplicate, today).map((row) => (
                <Table.Tr key={row.label} bg={row.differs ? 'yellow.0' : undefined}>
                  <Table.Th scope="row" fw={600} fz="sm">
                    {row.label}
                  </Table.Th>
                  <Table.Td fz="sm">
                    {row.kept || (
                      <Text span fz="sm" c="dimmed">
                        Not recorded
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td fz="sm">
                    {row.duplicate || (
                      <Text span fz="sm" c="dimmed">
                        Not recorded
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />} style={{ flex: '1 1 380px' }}>
            Visits, vitals, results, prescriptions and the patient’s sign-in move from <Mrn>{duplicate.mrn}</Mrn> to <Mrn>{kept.mrn}</Mrn>.{' '}
            <Mrn>{duplicate.mrn}</Mrn> stays as a pointer, so its MRN still finds <Mrn>{kept.mrn}</Mrn>. The details of <Mrn>{kept.mrn}</Mrn> stay as they are:
            edit them afterwards if the other record had better ones. Highlighted rows differ.
          </Alert>
          <Button variant="default" leftSection={<IconArrowsLeftRight size={16} aria-hidden />} onClick={() => setKeepCurrent((value) => !value)}>
            Keep {duplicate.mrn} instead
          </Button>
        </Group>
        {allergiesOnlyOnDuplicate.length > 0 ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Allergies recorded only on the record being retired">
            {duplicate.mrn} lists {allergiesOnlyOnDuplicate.map((allergy) => allergy.substance).join(', ')}, which {kept.mrn} does not. After the merge, edit{' '}
            {kept.mrn} and add {allergiesOnlyOnDuplicate.length === 1 ? 'it' : 'them'}, or keep {duplicate.mrn} instead.
          </Alert>
        ) : null}
        <Textarea
          ref={reasonRef}
          label="Reason for the merge"
          description="Why these are the same person, e.g. “same person registered twice: phone and date of birth match”"
          autosize
          minRows={2}
          maxLength={300}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          onBlur={() => setTouched(true)}
          error={fieldError}
          required
        />
        {merge.isError && !merge.error.fields.reason ? <ErrorAlert title="Not merged">{errorMessage(merge.error)}</ErrorAlert> : null}
        <Group justify="space-between" gap="sm">
          <Button variant="subtle" onClick={onBack}>
            Choose another record
          </Button>
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" leftSection={<IconGitMerge size={16} aria-hidden />} loading={merge.isPending}>
              Merge {duplicate.mrn} into {kept.mrn}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** An MRN never breaks across lines at its dash. */
function Mrn({ children }: { children: string }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}

function RecordHeading({ label, record, color }: { label: string; record: PatientRecord; color: string }) {
  return (
    <Stack gap={2}>
      <Badge color={color} variant="light" tt="none" w="fit-content">
        {label}
      </Badge>
      <Text fw={700} ff="monospace">
        {record.mrn}
      </Text>
      {record.active ? null : (
        <Text fz="xs" c="dimmed">
          Inactive
        </Text>
      )}
    </Stack>
  );
}

function comparisonRows(kept: PatientRecord, duplicate: PatientRecord, today: string) {
  const describe = (record: PatientRecord) => ({
    Name: patientDisplayName(record),
    Sex: sexLabel(record.sex),
    'Date of birth': `${formatDate(record.birthDate)} (${describeAge(record.birthDate, today)})`,
    Phone: record.phone ?? '',
    Email: record.email ?? '',
    Address: record.address ?? '',
    'National id': record.nationalId ?? '',
    'Blood group': record.bloodGroup ?? '',
    Allergies: record.allergies.map((allergy) => `${allergy.substance} (${SEVERITY_LABELS[allergy.severity].toLowerCase()})`).join('; '),
    'Emergency contact': record.emergencyContact
      ? `${record.emergencyContact.name}${record.emergencyContact.relationship ? ` (${record.emergencyContact.relationship})` : ''}, ${record.emergencyContact.phone}`
      : '',
    Registered: formatDate(record.createdAt.slice(0, 10)),
  });
  const left = describe(kept);
  const right = describe(duplicate);
  return (Object.keys(left) as (keyof typeof left)[]).map((label) => ({
    label,
    kept: left[label],
    duplicate: right[label],
    differs: left[label] !== right[label] && label !== 'Registered',
  }));
}
