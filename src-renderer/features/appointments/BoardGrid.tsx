import { Badge, Group, Text, UnstyledButton } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { type CSSProperties, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { STATUS_LABELS } from '../../../src-shared/schemas/appointments.js';
import { plural } from '../patients/format.js';
import { type BoardColumn, type BoardGridModel, type GridFocus, moveFocus, type Segment, segmentAt } from './boardGrid.js';
import { clinicClock, clockRange, formatDay } from './format.js';
import { STATUS_COLORS, StatusBadge } from './StatusBadge.js';
import './board.css';

export interface BoardGridProps {
  model: BoardGridModel;
  date: string;
  timeZone: string;
  /** Whether a free slot can be booked by this user (Enter or a click on it). */
  canBook: boolean;
  onBook: (column: BoardColumn, segment: Extract<Segment, { kind: 'free' }>) => void;
  onOpenAppointment: (appointmentId: string) => void;
}

/**
 * The day board: a grid of times × doctors. One cell at a time holds the keyboard focus (a
 * "roving" tab stop): the arrow keys move it, Home/End go to the row's ends (with Ctrl, the grid's),
 * PageUp/PageDown jump, Enter books a free slot or opens an appointment.
 */
export function BoardGrid({ model, date, timeZone, canBook, onBook, onOpenAppointment }: BoardGridProps) {
  const gridId = useId();
  const [focus, setFocus] = useState<GridFocus>({ column: 0, row: 0 });
  const moved = useRef(false);
  const cellId = (column: number, row: number) => `${gridId}-c${column}-r${row}`;
  // A new day or filter can leave the focus outside the grid: bring it back inside.
  const column = Math.min(focus.column, Math.max(0, model.columns.length - 1));
  const row = Math.min(focus.row, Math.max(0, model.rows.length - 1));
  const current = segmentAt(model.columns[column], row);
  const scrollRef = useRef<HTMLDivElement>(null);

  // The board opens (it is keyed by day) at the current time, or the first row, without taking the focus.
  const firstModel = useRef(model);
  useEffect(() => {
    const { rows } = firstModel.current;
    const now = Date.now();
    const index = Math.max(
      0,
      rows.findIndex((_, i) => Date.parse(rows[i + 1] ?? firstModel.current.endAt ?? '') > now),
    );
    setFocus({ column: 0, row: index });
    const container = scrollRef.current;
    const rowElement = container?.querySelectorAll('tbody tr')[index] as HTMLElement | undefined;
    const head = container?.querySelector('thead') as HTMLElement | null;
    if (container) container.scrollTop = rowElement ? rowElement.offsetTop - (head?.offsetHeight ?? 0) : 0;
  }, []);

  useEffect(() => {
    if (!moved.current || !current) return;
    moved.current = false;
    const element = document.getElementById(cellId(column, current.startRow));
    element?.focus({ preventScroll: true });
    element?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });

  const activate = (columnIndex: number, segment: Segment) => {
    const target = model.columns[columnIndex];
    if (!target) return;
    if (segment.kind === 'appointment') onOpenAppointment(segment.appointment.id);
    else if (segment.kind === 'free' && canBook) onBook(target, segment);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableCellElement>) => {
    // Shift+Enter opens a cancelled or no-show appointment noted under a free slot or a new booking.
    const noted = current && (current.kind === 'free' || current.kind === 'appointment') ? current.cancelled[0] : undefined;
    if (event.key === 'Enter' && event.shiftKey && noted) {
      event.preventDefault();
      onOpenAppointment(noted.id);
      return;
    }
    if ((event.key === 'Enter' || event.key === ' ') && current) {
      event.preventDefault();
      activate(column, current);
      return;
    }
    const next = moveFocus(model, { column, row }, event.key, event.ctrlKey || event.metaKey);
    if (next === null) {
      if (event.key.startsWith('Arrow')) event.preventDefault();
      return;
    }
    event.preventDefault();
    moved.current = true;
    setFocus(next);
  };

  return (
    <div className="appt-board-scroll" ref={scrollRef}>
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: an ARIA data grid (WAI-ARIA APG) is a table whose cells take the focus and the arrow keys
        role="grid"
        aria-label={`Appointments on ${formatDay(date)}`}
        className="appt-board-grid"
        data-testid="appointment-board"
        style={{ minWidth: 64 + model.columns.length * 200 }}
      >
        <colgroup>
          <col style={{ width: 64 }} />
          {model.columns.map((entry) => (
            <col key={entry.doctor.userId} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="appt-board-head appt-board-corner">
              <Text fz="xs" c="dimmed" fw={600}>
                Time
              </Text>
            </th>
            {model.columns.map((entry) => (
              <th scope="col" key={entry.doctor.userId} className="appt-board-head">
                <DoctorHeader column={entry} timeZone={timeZone} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {model.rows.map((startAt, rowIndex) => (
            <tr key={startAt}>
              <th scope="row" className="appt-board-time">
                {clinicClock(startAt, timeZone)}
              </th>
              {model.columns.map((entry, columnIndex) =>
                entry.segments
                  .filter((segment) => segment.startRow === rowIndex)
                  .map((segment) => {
                    const focused = columnIndex === column && current === segment;
                    return (
                      <td
                        key={entry.doctor.userId}
                        id={cellId(columnIndex, segment.startRow)}
                        rowSpan={segment.endRow - segment.startRow}
                        tabIndex={focused ? 0 : -1}
                        aria-label={cellLabel(entry, segment, timeZone, canBook)}
                        className="appt-board-cell"
                        data-kind={segment.kind}
                        data-status={segment.kind === 'appointment' ? segment.appointment.status : undefined}
                        data-actionable={segment.kind === 'free' && canBook ? true : undefined}
                        data-focused={focused ? true : undefined}
                        style={
                          segment.kind === 'appointment'
                            ? ({ '--appt-status-color': `var(--mantine-color-${STATUS_COLORS[segment.appointment.status]}-6)` } as CSSProperties)
                            : undefined
                        }
                        onKeyDown={onKeyDown}
                        onFocus={() => {
                          // Focus that arrives otherwise than by the arrows (a screen reader, a click) moves the cursor too.
                          if (!focused) setFocus({ column: columnIndex, row: segment.startRow });
                        }}
                        onClick={() => {
                          setFocus({ column: columnIndex, row: segment.startRow });
                          activate(columnIndex, segment);
                        }}
                      >
                        <CellContent segment={segment} timeZone={timeZone} canBook={canBook} onOpenNoted={onOpenAppointment} />
                      </td>
                    );
                  }),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DoctorHeader({ column, timeZone }: { column: BoardColumn; timeZone: string }) {
  const booked = column.segments.filter((segment) => segment.kind === 'appointment' && segment.appointment.status !== 'cancelled').length;
  const free = column.segments.filter((segment) => segment.kind === 'free').length;
  return (
    <div>
      <Text fw={700} fz="sm" truncate="end" title={column.doctor.name}>
        {column.doctor.name}
      </Text>
      <Text fz="xs" c="dimmed" truncate="end">
        {[column.doctor.specialization, column.doctor.departmentName].filter(Boolean).join(' · ')}
      </Text>
      {column.closedReason ? (
        <Badge color="orange" variant="light" tt="none" size="sm" mt={4} maw="100%" title={column.closedReason}>
          {column.closedReason}
        </Badge>
      ) : null}
      {hasHours(column) ? (
        <Text fz="xs" c="gray.7" mt={2}>
          {plural(free, 'free slot')} · {booked} booked
        </Text>
      ) : null}
      <HoursLine column={column} timeZone={timeZone} />
    </div>
  );
}

function hasHours(column: BoardColumn): boolean {
  return column.segments.some((segment) => segment.kind !== 'outside' && segment.kind !== 'closed');
}

/** The span of the doctor's working day, e.g. 08:00–17:00. */
function HoursLine({ column, timeZone }: { column: BoardColumn; timeZone: string }) {
  const inHours = column.segments.filter((segment) => segment.kind !== 'outside' && segment.kind !== 'closed');
  if (inHours.length === 0) return null;
  const first = inHours[0] as Segment;
  const last = inHours[inHours.length - 1] as Segment;
  return (
    <Text fz="xs" c="dimmed">
      {clockRange(first.startAt, last.endAt, timeZone)}
    </Text>
  );
}

function CellContent({
  segment,
  timeZone,
  canBook,
  onOpenNoted,
}: {
  segment: Segment;
  timeZone: string;
  canBook: boolean;
  onOpenNoted: (appointmentId: string) => void;
}) {
  const rows = segment.endRow - segment.startRow;
  switch (segment.kind) {
    case 'free':
      return (
        <Group justify="space-between" gap={4} wrap="nowrap" aria-hidden>
          <Text fz="sm" fw={500}>
            {segment.slot.label} free
          </Text>
          {segment.cancelled.length > 0 ? (
            <UnstyledButton
              fz="xs"
              c="dimmed"
              td="underline"
              tabIndex={-1}
              title="Open the cancelled appointment (Shift+Enter)"
              onClick={(event) => {
                event.stopPropagation();
                const first = segment.cancelled[0];
                if (first) onOpenNoted(first.id);
              }}
            >
              {segment.cancelled.length} cancelled
            </UnstyledButton>
          ) : canBook ? (
            <Text fz="xs" c="green.8" className="appt-board-hint">
              Book
            </Text>
          ) : null}
        </Group>
      );
    case 'appointment': {
      const { appointment } = segment;
      const gone = appointment.status === 'cancelled' || appointment.status === 'no_show';
      return (
        <div aria-hidden>
          <Group justify="space-between" gap={4} wrap="nowrap" align="flex-start">
            <Text fz="sm" fw={700} truncate="end" td={appointment.status === 'cancelled' ? 'line-through' : undefined} c={gone ? 'dimmed' : undefined}>
              {appointment.patient.name}
            </Text>
            <StatusBadge status={appointment.status} size="xs" style={{ flexShrink: 0 }} />
          </Group>
          <Text fz="xs" c="dimmed" truncate="end">
            <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{appointment.patient.mrn}</span> ·{' '}
            {clockRange(appointment.startAt, appointment.endAt, timeZone)}
          </Text>
          {rows > 1 || appointment.reason.length < 28 ? (
            <Text fz="xs" truncate="end" title={appointment.reason}>
              {appointment.reason}
            </Text>
          ) : null}
        </div>
      );
    }
    case 'past':
      return (
        <Text fz="xs" aria-hidden>
          Past
        </Text>
      );
    case 'unavailable':
      return (
        <Text fz="xs" aria-hidden>
          Not bookable
        </Text>
      );
    case 'outside':
      return (
        <Text fz="xs" aria-hidden>
          Outside hours
        </Text>
      );
    case 'closed':
      return (
        <Text fz="xs" fw={500} aria-hidden>
          {segment.reason}
        </Text>
      );
  }
}

/** "Dr. Amina Okafor, 09:30, free" — what a screen reader says for a cell. */
export function cellLabel(column: BoardColumn, segment: Segment, timeZone: string, canBook: boolean): string {
  const doctor = column.doctor.name;
  const range = clockRange(segment.startAt, segment.endAt, timeZone);
  switch (segment.kind) {
    case 'free': {
      const cancelled = segment.cancelled.length > 0 ? `, ${plural(segment.cancelled.length, 'cancelled appointment')} (Shift+Enter opens it)` : '';
      return `${doctor}, ${segment.slot.label}, free${canBook ? ', press Enter to book' : ''}${cancelled}`;
    }
    case 'appointment': {
      const { appointment } = segment;
      const noted = segment.cancelled.length > 0 ? `; also ${plural(segment.cancelled.length, 'cancelled appointment')} (Shift+Enter opens it)` : '';
      return `${doctor}, ${clockRange(appointment.startAt, appointment.endAt, timeZone)}, ${appointment.patient.name}, ${appointment.patient.mrn}, ${STATUS_LABELS[appointment.status]}, ${appointment.reason}${noted}`;
    }
    case 'past':
      return `${doctor}, ${range}, past`;
    case 'unavailable':
      return `${doctor}, ${range}, not bookable`;
    case 'outside':
      return `${doctor}, ${range}, outside working hours`;
    case 'closed':
      return `${doctor}, ${range}, closed: ${segment.reason}`;
  }
}
