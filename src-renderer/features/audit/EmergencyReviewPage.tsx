import { Badge, Button, Group, Modal, Paper, SegmentedControl, Skeleton, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconShieldCheck, IconUrgent } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'wouter';
import type { EmergencyGrant } from '../../../src-shared/contract/emergency.js';
import { errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { formatClinicTimestamp } from '../../ui/clinicTime.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { EmptyPanel } from '../../ui/lists.js';
import { notifySuccess } from '../../ui/notify.js';
import { useClinic } from '../../ui/useClinic.js';

/**
 * Every emergency ("break glass") opening of a clinical record, for an administrator to review:
 * who, which patient, why, and when it ended. Reviewing records who looked and what they noted.
 */
export function EmergencyReviewPage() {
  useDocumentTitle('Emergency access · Asclepia');
  const [status, setStatus] = useState<'unreviewed' | 'all'>('unreviewed');
  const grants = useProcedureQuery('emergency.list', { status });
  const { timeZone: zone } = useClinic();
  const [reviewing, setReviewing] = useState<EmergencyGrant | null>(null);

  return (
    <Stack gap="lg" maw={1200}>
      <Stack gap={4}>
        <Title order={1}>Emergency access</Title>
        <Text c="dimmed" maw={760}>
          Each time someone without clinical access opened a patient’s record in an emergency. Check that the reason fits what happened, then mark it reviewed.
        </Text>
      </Stack>
      <SegmentedControl
        aria-label="Show"
        w="fit-content"
        value={status}
        onChange={(value) => setStatus(value as 'unreviewed' | 'all')}
        data={[
          { value: 'unreviewed', label: 'Waiting for review' },
          { value: 'all', label: 'All' },
        ]}
      />
      {grants.isPending ? (
        <Skeleton h={160} aria-label="Loading emergency accesses" />
      ) : grants.isError ? (
        <ErrorAlert>{errorMessage(grants.error)}</ErrorAlert>
      ) : grants.data.length === 0 ? (
        <EmptyPanel
          icon={IconShieldCheck}
          title={status === 'unreviewed' ? 'Nothing waiting for review' : 'No emergency access yet'}
          description={status === 'unreviewed' ? 'Every emergency access has been reviewed.' : 'Nobody has used emergency access to a clinical record.'}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table aria-label="Emergency accesses" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Opened</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Reason</Table.Th>
                  <Table.Th>Review</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {grants.data.map((grant) => (
                  <Table.Tr key={grant.id}>
                    <Table.Td>
                      <Text fz="sm">{formatClinicTimestamp(grant.grantedAt, zone)}</Text>
                      <Text fz="xs" c="dimmed">
                        until {formatClinicTimestamp(grant.expiresAt, zone)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text fz="sm" fw={600}>
                        {grant.user.displayName}
                      </Text>
                      <Text fz="xs" c="dimmed">
                        {grant.user.username} · {grant.user.roleLabel}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Link href={`/patients/${grant.patient.id}`}>{grant.patient.name}</Link>
                      <Text fz="xs" c="dimmed" ff="monospace">
                        {grant.patient.mrn}
                      </Text>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text fz="sm">{grant.reason}</Text>
                    </Table.Td>
                    <Table.Td>
                      {grant.review ? (
                        <Stack gap={2}>
                          <Badge color="teal" variant="light">
                            Reviewed
                          </Badge>
                          <Text fz="xs" c="dimmed">
                            {grant.review.by}, {formatClinicTimestamp(grant.review.at, zone)}
                          </Text>
                          {grant.review.note ? <Text fz="xs">{grant.review.note}</Text> : null}
                        </Stack>
                      ) : (
                        <Button size="xs" variant="light" leftSection={<IconUrgent size={14} aria-hidden />} onClick={() => setReviewing(grant)}>
                          Review access by {grant.user.username}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <Modal opened={reviewing !== null} onClose={() => setReviewing(null)} title="Review emergency access" size="lg">
        {reviewing ? <ReviewForm grant={reviewing} onDone={() => setReviewing(null)} /> : null}
      </Modal>
    </Stack>
  );
}

function ReviewForm({ grant, onDone }: { grant: EmergencyGrant; onDone: () => void }) {
  const review = useProcedureMutation('emergency.review');
  const [note, setNote] = useState('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        review.mutate(
          { id: grant.id, note: note.trim() || undefined },
          {
            onSuccess: () => {
              notifySuccess('Reviewed', `The emergency access by ${grant.user.displayName} is marked reviewed.`);
              onDone();
            },
          },
        );
      }}
    >
      <Stack gap="md">
        <Text>
          {grant.user.displayName} ({grant.user.roleLabel}) opened the record of {grant.patient.name} ({grant.patient.mrn}) giving this reason:
        </Text>
        <Paper withBorder p="sm" bg="gray.0">
          <Text>{grant.reason}</Text>
        </Paper>
        <Textarea
          label="Review note"
          description="Optional: what you checked, e.g. “confirmed with the ward”."
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
          data-autofocus
        />
        {review.isError ? <ErrorAlert>{errorMessage(review.error)}</ErrorAlert> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={review.isPending}>
            Mark reviewed
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
