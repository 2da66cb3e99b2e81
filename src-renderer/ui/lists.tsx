import { Anchor, Badge, Button, EmptyState, Paper, Skeleton, Stack, Table, type TableProps, Text, VisuallyHidden } from '@mantine/core';
import { IconEdit, type TablerIcon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { type ApiError, errorMessage } from '../api/client.js';
import { ErrorAlert } from './ErrorAlert.js';

/** A list screen's table in its frame; a wide table scrolls inside the frame, not the page. */
export function TablePanel({ children, ...props }: TableProps) {
  return (
    <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
      <Table verticalSpacing="sm" horizontalSpacing="md" {...props}>
        {children}
      </Table>
    </Paper>
  );
}

/** The header of the row-buttons column: no visible text, but a screen reader still names the column. */
export function ActionsHeader({ w }: { w: number }) {
  return (
    <Table.Th w={w}>
      <VisuallyHidden>Actions</VisuallyHidden>
    </Table.Th>
  );
}

/** A row's Edit button; `name` says which row, since every row's button reads "Edit". */
export function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  return (
    <Button size="xs" variant="default" leftSection={<IconEdit size={14} aria-hidden />} onClick={onClick} aria-label={`Edit ${name}`}>
      Edit
    </Button>
  );
}

/** Placeholder rows while a list loads, announced as busy under `label`. */
export function LoadingRows({ label, rows = 2 }: { label: string; rows?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, row) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: identical placeholders that never reorder
        <Skeleton key={row} h={44} />
      ))}
    </Stack>
  );
}

/** An empty list (or a search that found nothing) in the frame its table would have had. */
export function EmptyPanel({ icon: Icon, title, description }: { icon: TablerIcon; title: ReactNode; description: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="xl">
      <EmptyState icon={<Icon size={28} aria-hidden />} title={title} description={description} />
    </Paper>
  );
}

/** Whether a record (department, doctor, test, user, patient) is in use or retired. */
export function ActiveBadge({ active }: { active: boolean }) {
  return (
    <Badge variant={active ? 'light' : 'outline'} color={active ? 'teal' : 'gray'} tt="none">
      {active ? 'Active' : 'Inactive'}
    </Badge>
  );
}

/**
 * A fetched list as it stands: the refusal, if any; placeholder rows while loading; then the
 * empty state or the list itself. A failed refetch keeps showing the rows it already had.
 */
export function QueryList({
  query,
  count,
  loadingLabel,
  empty,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: ApiError | null };
  count: number;
  loadingLabel: string;
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      {query.isError && query.error ? <ErrorAlert>{errorMessage(query.error)}</ErrorAlert> : null}
      {query.isPending ? <LoadingRows label={loadingLabel} /> : count === 0 && !query.isError ? empty : count > 0 ? children : null}
    </>
  );
}

/** A patient in a list row: the name opens their page, the MRN beneath tells namesakes apart. */
export function PatientCell({ patient }: { patient: { id: string; name: string; mrn: string } }) {
  return (
    <Table.Td>
      <Anchor component={Link} href={`/patients/${patient.id}`} fw={500}>
        {patient.name}
      </Anchor>
      <Text fz="xs" c="dimmed" ff="monospace">
        {patient.mrn}
      </Text>
    </Table.Td>
  );
}

/** A doctor in a list row, with their department beneath. */
export function DoctorCell({ name, department }: { name: string; department: string }) {
  return (
    <Table.Td>
      <Text fz="sm">{name}</Text>
      <Text fz="xs" c="dimmed">
        {department}
      </Text>
    </Table.Td>
  );
}
