import { Badge, Button, Chip, EmptyState, Group, Paper, Skeleton, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import {
  type Icon,
  IconActivityHeartbeat,
  IconChevronRight,
  IconFilterOff,
  IconFlask,
  IconHistory,
  IconPaperclip,
  IconPill,
  IconStethoscope,
  IconTestPipe,
} from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { OutputOf } from '../../../src-shared/contract/index.js';
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind } from '../../../src-shared/contract/records.js';
import { type ApiError, call, errorMessage } from '../../api/client.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatWhen, isAbnormal, KIND_LABELS } from './format.js';
import { FlagBadge } from './shared.js';
import './timeline.css';
import { useClinic } from '../../ui/useClinic.js';

const PAGE_SIZE = 25;

const KIND_LOOK: Record<TimelineKind, { icon: Icon; color: string }> = {
  encounter: { icon: IconStethoscope, color: 'teal' },
  vitals: { icon: IconActivityHeartbeat, color: 'pink' },
  order: { icon: IconTestPipe, color: 'blue' },
  result: { icon: IconFlask, color: 'indigo' },
  prescription: { icon: IconPill, color: 'green' },
  attachment: { icon: IconPaperclip, color: 'gray' },
};

function EntryRow({ entry, timeZone, onOpen }: { entry: TimelineEntry; timeZone: string; onOpen: (entry: TimelineEntry) => void }) {
  const look = KIND_LOOK[entry.kind];
  const KindIcon = look.icon;
  const alarming = isAbnormal(entry.flag);
  return (
    <li className="records-timeline-item" data-kind={entry.kind} data-flag={entry.flag ?? undefined}>
      <UnstyledButton className="records-timeline-row" data-alarming={alarming || undefined} onClick={() => onOpen(entry)}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" color={look.color} radius="xl" size={34} aria-hidden>
            <KindIcon size={18} />
          </ThemeIcon>
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Group gap="xs" wrap="wrap">
              <Text fw={600} fz="sm">
                {entry.title}
              </Text>
              {alarming ? <FlagBadge flag={entry.flag} size="xs" /> : null}
            </Group>
            {entry.detail ? (
              <Text fz="sm" lineClamp={2}>
                {entry.detail}
              </Text>
            ) : null}
            <Text fz="xs" c="dimmed">
              <time dateTime={entry.at}>{formatWhen(entry.at, timeZone)}</time>
              {entry.by ? ` · ${entry.by}` : ''} · {KIND_LABELS[entry.kind].one}
            </Text>
          </Stack>
          <IconChevronRight size={18} aria-hidden color="var(--mantine-color-gray-6)" style={{ alignSelf: 'center' }} />
        </Group>
      </UnstyledButton>
    </li>
  );
}

/**
 * Everything on the chart, newest first, a page at a time ("Load more" continues from
 * the last one shown). Chips narrow it to some kinds; none chosen means all of them.
 */
export function Timeline({
  patientId,
  allowedKinds = TIMELINE_KINDS,
  onOpen,
}: {
  patientId: string;
  allowedKinds?: readonly TimelineKind[];
  onOpen: (entry: TimelineEntry) => void;
}) {
  const { timeZone } = useClinic();
  const [chosen, setChosen] = useState<TimelineKind[]>([]);
  const kinds = chosen.length > 0 ? chosen : undefined;
  const input = useMemo(
    () => ({ patientId, kinds: kinds ?? (allowedKinds.length < TIMELINE_KINDS.length ? [...allowedKinds] : undefined) }),
    [patientId, kinds, allowedKinds],
  );
  const timeline = useInfiniteQuery<OutputOf<'records.timeline'>, ApiError>({
    queryKey: ['records.timeline', { ...input, paged: PAGE_SIZE }],
    queryFn: ({ pageParam }) =>
      call('records.timeline', { ...input, limit: PAGE_SIZE, ...(pageParam ? { after: pageParam as { at: string; id: string } } : {}) }),
    initialPageParam: null as { at: string; id: string } | null,
    getNextPageParam: (last) => last.next,
  });
  const entries = useMemo(() => timeline.data?.pages.flatMap((page) => page.entries) ?? [], [timeline.data]);

  return (
    <Stack gap="sm">
      {allowedKinds.length > 1 ? (
        <Group gap="xs" role="group" aria-label="Show only">
          <Text fz="sm" c="dimmed" component="span" aria-hidden>
            Show only:
          </Text>
          <Chip.Group multiple value={chosen} onChange={(value) => setChosen(value as TimelineKind[])}>
            {allowedKinds.map((kind) => (
              <Chip key={kind} value={kind} size="sm" variant="outline">
                {KIND_LABELS[kind].many}
              </Chip>
            ))}
          </Chip.Group>
          {chosen.length > 0 ? (
            <Button size="compact-sm" variant="subtle" leftSection={<IconFilterOff size={14} aria-hidden />} onClick={() => setChosen([])}>
              Show everything
            </Button>
          ) : null}
        </Group>
      ) : null}
      {timeline.isError ? <ErrorAlert>{errorMessage(timeline.error)}</ErrorAlert> : null}
      {timeline.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label="Loading the timeline">
          <Skeleton h={64} />
          <Skeleton h={64} />
          <Skeleton h={64} />
        </Stack>
      ) : entries.length === 0 && !timeline.isError ? (
        <Paper withBorder radius="md" p="lg">
          <EmptyState
            icon={<IconHistory size={28} aria-hidden />}
            title={chosen.length > 0 ? 'Nothing of these kinds' : 'Nothing on this chart yet'}
            description={
              chosen.length > 0
                ? 'No entries of the chosen kinds. Choose other kinds or show everything.'
                : 'Visits, vitals, orders, results, prescriptions and files appear here, newest first.'
            }
          />
        </Paper>
      ) : (
        <Paper withBorder radius="md" p={0}>
          <ul className="records-timeline-list" aria-label="Timeline entries" aria-busy={timeline.isFetching}>
            {entries.map((entry) => (
              <EntryRow key={`${entry.kind}-${entry.id}-${entry.at}`} entry={entry} timeZone={timeZone} onOpen={onOpen} />
            ))}
          </ul>
        </Paper>
      )}
      {timeline.hasNextPage ? (
        <Group justify="center">
          <Button variant="default" onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      ) : entries.length > PAGE_SIZE ? (
        <Text ta="center" fz="xs" c="dimmed">
          That is everything{' '}
          <Badge variant="light" color="gray" size="xs" tt="none">
            {entries.length} entries
          </Badge>
        </Text>
      ) : null}
    </Stack>
  );
}
