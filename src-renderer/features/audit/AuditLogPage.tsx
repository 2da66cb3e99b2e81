import { Alert, Autocomplete, Badge, Button, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { IconCircleCheck, IconDownload, IconFilterOff, IconListSearch, IconShieldCheck } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { AuditFilter, AuditRow } from '../../../src-shared/contract/audit.js';
import { contract, type OutputOf } from '../../../src-shared/contract/index.js';
import { addDays, clinicDayStart, clinicLocalDate } from '../../../src-shared/time.js';
import { type ApiError, call, errorMessage } from '../../api/client.js';
import { useProcedureMutation, useProcedureQuery } from '../../api/hooks.js';
import { formatClinicTimestamp } from '../../ui/clinicTime.js';
import { downloadTextFile } from '../../ui/download.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { EmptyPanel } from '../../ui/lists.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { useMe } from '../auth/session.js';

const PAGE_SIZE = 50;
const PROCEDURE_NAMES = Object.keys(contract).sort();

interface Filters {
  userId: string;
  patientId: string;
  procedure: string;
  outcome: string;
  severity: string;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = { userId: '', patientId: '', procedure: '', outcome: '', severity: '', from: '', to: '' };

/** The filter the server takes: clinic-local days become a half-open range of UTC instants. */
function toAuditFilter(filters: Filters, timeZone: string): AuditFilter {
  const filter: AuditFilter = {};
  if (filters.userId) filter.userId = filters.userId;
  if (filters.patientId.trim()) filter.patientId = filters.patientId.trim();
  if (filters.procedure.trim()) filter.procedure = filters.procedure.trim();
  if (filters.outcome) filter.outcome = filters.outcome as AuditFilter['outcome'];
  if (filters.severity) filter.severity = filters.severity as AuditFilter['severity'];
  if (filters.from) filter.from = clinicDayStart(filters.from, timeZone);
  if (filters.to) filter.to = clinicDayStart(addDays(filters.to, 1), timeZone);
  return filter;
}

export function AuditLogPage() {
  useDocumentTitle('Audit log · Asclepia');
  const me = useMe();
  const canListUsers = me.permissions.includes('users.manage');
  const settings = useProcedureQuery('settings.get', {});
  const users = useProcedureQuery('users.list', { status: 'all' }, { enabled: canListUsers });
  const timeZone = settings.data?.timeZone;

  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const set = (key: keyof Filters) => (value: string) => setFilters((all) => ({ ...all, [key]: value }));
  // Typed filters apply once typing pauses; chosen ones at once.
  const [typed] = useDebouncedValue({ patientId: filters.patientId, procedure: filters.procedure }, 300);
  const rangeBackwards = Boolean(filters.from && filters.to && filters.to < filters.from);
  const filter = useMemo(
    () => (timeZone && !rangeBackwards ? toAuditFilter({ ...filters, ...typed }, timeZone) : null),
    [filters, typed, timeZone, rangeBackwards],
  );

  const log = useInfiniteQuery<OutputOf<'audit.list'>, ApiError>({
    queryKey: ['audit.list', { filter }],
    queryFn: ({ pageParam }) => call('audit.list', { filter: filter ?? {}, before: pageParam as number | undefined, limit: PAGE_SIZE }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    enabled: filter !== null,
  });
  const rows = useMemo(() => log.data?.pages.flatMap((page) => page.rows) ?? [], [log.data]);
  const roles = useProcedureQuery('roles.list', {}, { enabled: canListUsers });
  // With users.manage the viewer can name users and roles instead of showing their ids.
  const names = useMemo(
    () => ({ user: new Map(users.data?.map((user) => [user.id, user.username])), role: new Map(roles.data?.map((role) => [role.id, role.label])) }),
    [users.data, roles.data],
  );

  const verify = useMutation<OutputOf<'audit.verify'>, ApiError>({ mutationFn: () => call('audit.verify', {}) });
  const exportCsv = useProcedureMutation('audit.exportCsv');
  const onExport = () => {
    if (!filter) return;
    exportCsv.mutate(
      { filter },
      {
        onSuccess: ({ fileName, csv, rows: count }) => {
          downloadTextFile(fileName, csv, 'text/csv;charset=utf-8');
          notifySuccess('Audit log exported', `${count} ${count === 1 ? 'entry' : 'entries'} saved as ${fileName}.`);
        },
        onError: (error) => notifyError('Not exported', errorMessage(error)),
      },
    );
  };

  const hasFilters = Object.values(filters).some(Boolean);
  const today = timeZone ? clinicLocalDate(new Date(), timeZone) : undefined;

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Audit log</Title>
          <Text c="dimmed" mt={4} maw={720}>
            Every change, sign-in and read of a clinical record, newest first. Entries cannot be edited; each is chained to the one before, so any alteration
            shows up in the integrity check.
          </Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconShieldCheck size={16} aria-hidden />} onClick={() => verify.mutate()} loading={verify.isPending}>
            Check integrity
          </Button>
          <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={onExport} loading={exportCsv.isPending} disabled={!filter}>
            Export CSV
          </Button>
        </Group>
      </Group>

      <IntegrityResult verify={verify} timeZone={timeZone ?? 'UTC'} />

      <Paper withBorder radius="md" p="md" component="section" aria-label="Filters">
        <SimpleGrid cols={{ base: 1, xs: 2, md: canListUsers ? 4 : 3 }} spacing="sm" verticalSpacing="sm">
          {canListUsers ? (
            <Select
              label="User"
              placeholder="Anyone"
              searchable
              clearable
              data={(users.data ?? []).map((user) => ({ value: user.id, label: `${user.displayName} (${user.username})` }))}
              value={filters.userId || null}
              onChange={(value) => set('userId')(value ?? '')}
              nothingFoundMessage="No user matches"
            />
          ) : null}
          <TextInput
            label="Patient id"
            placeholder="Any patient"
            value={filters.patientId}
            onChange={(event) => set('patientId')(event.currentTarget.value)}
            maxLength={64}
            spellCheck={false}
          />
          <Autocomplete
            label="Action"
            placeholder="Any action, e.g. users.create"
            data={PROCEDURE_NAMES}
            value={filters.procedure}
            onChange={set('procedure')}
            maxLength={80}
            limit={12}
            spellCheck={false}
          />
          <Select
            label="Outcome"
            placeholder="Any outcome"
            clearable
            data={[
              { value: 'ok', label: 'OK' },
              { value: 'denied', label: 'Denied' },
              { value: 'error', label: 'Error' },
            ]}
            value={filters.outcome || null}
            onChange={(value) => set('outcome')(value ?? '')}
          />
          <Select
            label="Severity"
            placeholder="Any severity"
            clearable
            data={[
              { value: 'normal', label: 'Normal' },
              { value: 'high', label: 'High' },
            ]}
            value={filters.severity || null}
            onChange={(value) => set('severity')(value ?? '')}
          />
          <TextInput type="date" label="From" value={filters.from} max={today} onChange={(event) => set('from')(event.currentTarget.value)} />
          <TextInput
            type="date"
            label="To"
            value={filters.to}
            max={today}
            onChange={(event) => set('to')(event.currentTarget.value)}
            error={rangeBackwards ? 'The end date is before the start date' : undefined}
          />
          <Stack justify="flex-end">
            <Button variant="subtle" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={() => setFilters(NO_FILTERS)} disabled={!hasFilters}>
              Clear filters
            </Button>
          </Stack>
        </SimpleGrid>
        {timeZone ? (
          <Text fz="xs" c="dimmed" mt="sm">
            Dates and times are clinic time ({timeZone.replaceAll('_', ' ')}).
          </Text>
        ) : null}
      </Paper>

      {settings.isError ? <ErrorAlert>{errorMessage(settings.error)}</ErrorAlert> : null}
      {log.isError ? <ErrorAlert>{errorMessage(log.error)}</ErrorAlert> : null}
      {log.isPending && filter ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading the audit log">
          <Skeleton h={40} />
          <Skeleton h={40} />
          <Skeleton h={40} />
        </Stack>
      ) : log.isSuccess ? (
        rows.length === 0 ? (
          <EmptyPanel
            icon={IconListSearch}
            title="No entries to show"
            description={hasFilters ? 'No audit entries match these filters. Widen the dates or clear a filter.' : 'The audit log is empty.'}
          />
        ) : (
          <Stack gap="sm">
            <AuditTable rows={rows} timeZone={timeZone ?? 'UTC'} names={names} busy={log.isFetching} />
            <Group justify="space-between">
              <Text fz="sm" c="dimmed" aria-live="polite">
                Showing {rows.length} {rows.length === 1 ? 'entry' : 'entries'}
                {log.hasNextPage ? '; older entries follow' : ''}.
              </Text>
              {log.hasNextPage ? (
                <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                  Load more
                </Button>
              ) : null}
            </Group>
          </Stack>
        )
      ) : null}
    </Stack>
  );
}

function IntegrityResult({ verify, timeZone }: { verify: ReturnType<typeof useMutation<OutputOf<'audit.verify'>, ApiError>>; timeZone: string }) {
  if (verify.isError) return <ErrorAlert title="The check did not run">{errorMessage(verify.error)}</ErrorAlert>;
  if (!verify.data) return null;
  const { intact, checked, firstBroken } = verify.data;
  if (intact || !firstBroken) {
    return (
      <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status" title="Integrity check passed">
        The audit log is intact ({checked} {checked === 1 ? 'entry' : 'entries'} checked).
      </Alert>
    );
  }
  return (
    <ErrorAlert title="Integrity check failed" role="alert">
      The audit log was altered at entry #{firstBroken.seq} ({formatClinicTimestamp(firstBroken.at, timeZone)}): {firstBroken.problem}. The {checked}{' '}
      {checked === 1 ? 'entry' : 'entries'} before it are intact. Keep this workstation as it is and tell whoever is responsible for the clinic’s data.
    </ErrorAlert>
  );
}

const OUTCOME_BADGE: Record<AuditRow['outcome'], { label: string; color: string }> = {
  ok: { label: 'OK', color: 'teal' },
  denied: { label: 'Denied', color: 'orange' },
  error: { label: 'Error', color: 'red' },
};

interface Names {
  user: Map<string, string>;
  role: Map<string, string>;
}

function describeEntity(row: AuditRow, names: Names): string {
  if (!row.entity) return '—';
  if (!row.entityId) return row.entity;
  const name = row.entity === 'user' ? names.user.get(row.entityId) : row.entity === 'role' ? names.role.get(row.entityId) : undefined;
  return `${row.entity} ${name ?? row.entityId}`;
}

function describeDetails(details: Record<string, unknown>, names: Names): string {
  return Object.entries(details)
    .map(([key, value]) => {
      if (key === 'roleId' && typeof value === 'string') return `role: ${names.role.get(value) ?? value}`;
      return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join('; ');
}

function AuditTable({ rows, timeZone, names, busy }: { rows: AuditRow[]; timeZone: string; names: Names; busy: boolean }) {
  return (
    <Paper withBorder radius="md" style={{ overflowX: 'auto' }}>
      <Table aria-label="Audit log entries" aria-busy={busy} verticalSpacing={6} horizontalSpacing="sm" striped miw={1060} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>Entry</Table.Th>
            <Table.Th w={170}>Time</Table.Th>
            <Table.Th>User</Table.Th>
            <Table.Th>Workstation</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Entity</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const outcome = OUTCOME_BADGE[row.outcome];
            return (
              <Table.Tr key={row.id}>
                <Table.Td c="dimmed">#{row.seq}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <time dateTime={row.at}>{formatClinicTimestamp(row.at, timeZone)}</time>
                </Table.Td>
                <Table.Td>
                  {row.username ?? (
                    <Text span c="dimmed" fz="sm">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{row.workstation}</Table.Td>
                <Table.Td ff="monospace">{row.procedure}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{describeEntity(row, names)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="sm" variant="light" color={outcome.color} tt="none">
                      {outcome.label}
                    </Badge>
                    {row.severity === 'high' ? (
                      <Badge size="sm" variant="filled" color="red" tt="none">
                        High
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td fz="xs" style={{ wordBreak: 'break-word' }} maw={280}>
                  {describeDetails(row.details, names)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
