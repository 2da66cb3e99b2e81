import type { AppointmentOut, DayAvailability, DoctorOut, SlotOut } from '../../../src-shared/contract/appointments.js';
import { ACTIVE_STATUSES } from '../../../src-shared/schemas/appointments.js';

export interface BoardColumnInput {
  doctor: DoctorOut;
  day: DayAvailability;
  appointments: AppointmentOut[];
}

/** One cell of the board; it may span several rows (a 30-minute slot beside 15-minute ones). */
export type Segment = { startRow: number; endRow: number; startAt: string; endAt: string } & (
  | { kind: 'free'; slot: SlotOut; cancelled: AppointmentOut[] }
  | { kind: 'appointment'; appointment: AppointmentOut; cancelled: AppointmentOut[] }
  | { kind: 'past' }
  | { kind: 'unavailable' }
  | { kind: 'outside' }
  | { kind: 'closed'; reason: string }
);

export interface BoardColumn {
  doctor: DoctorOut;
  closedReason: string | null;
  segments: Segment[];
}

export interface BoardGridModel {
  /** Start instant of each row; a row lasts until the next one starts (the last until `endAt`). */
  rows: string[];
  endAt: string | null;
  columns: BoardColumn[];
  /** Doctors with nothing on this day and no working hours: named beside the grid, not drawn. */
  offToday: { doctor: DoctorOut; reason: string }[];
}

const isActive = (appointment: AppointmentOut) => (ACTIVE_STATUSES as readonly string[]).includes(appointment.status);
const ms = (iso: string) => Date.parse(iso);

/** A doctor is drawn when they work that day, have appointments, or are away on a day they would work. */
function isShown(column: BoardColumnInput): boolean {
  return column.day.blocks.length > 0 || column.appointments.length > 0 || (column.day.closedReason !== null && column.day.closedReason !== 'No working hours');
}

/**
 * Lays one clinic day out as rows of time × doctor columns. Rows start wherever anything starts or
 * ends for any shown doctor (hours, slots, the doctor's regular slot grid, appointments), so every
 * doctor's slots line up with their own times and a lunch break is one row, not twenty.
 */
export function buildBoardGrid(input: readonly BoardColumnInput[], now: Date): BoardGridModel {
  const shown = input.filter(isShown);
  const offToday = input
    .filter((column) => !isShown(column))
    .map((column) => ({ doctor: column.doctor, reason: column.day.closedReason ?? 'No working hours' }));
  const times = new Set<number>();
  for (const { doctor, day, appointments } of shown) {
    for (const block of day.blocks) {
      times.add(ms(block.startAt));
      times.add(ms(block.endAt));
      // The doctor's regular grid, so the part of the day already past still shows its rows.
      const step = doctor.slotMinutes * 60_000;
      for (let at = ms(block.startAt); at + step <= ms(block.endAt); at += step) times.add(at);
    }
    for (const slot of day.slots) {
      times.add(ms(slot.startAt));
      times.add(ms(slot.endAt));
    }
    for (const appointment of appointments) {
      times.add(ms(appointment.startAt));
      times.add(ms(appointment.endAt));
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const last = sorted.pop();
  const rows = sorted.map((at) => new Date(at).toISOString());
  const endAt = last === undefined ? null : new Date(last).toISOString();
  const rowEnd = (index: number) => (index + 1 < sorted.length ? (sorted[index + 1] as number) : (last as number));
  const columns = shown.map((column) => ({
    doctor: column.doctor,
    closedReason: column.day.closedReason,
    segments: columnSegments(column, sorted, rowEnd, now.getTime()),
  }));
  return { rows, endAt, columns, offToday };
}

type RowKind = { key: string; make: (startRow: number, endRow: number) => Segment };

function columnSegments(column: BoardColumnInput, rowStarts: number[], rowEnd: (index: number) => number, now: number): Segment[] {
  const active = column.appointments.filter(isActive);
  const inactive = column.appointments.filter((appointment) => !isActive(appointment));
  const covers = (item: { startAt: string; endAt: string }, at: number) => ms(item.startAt) <= at && at < ms(item.endAt);
  const span = (startRow: number, endRow: number) => ({
    startRow,
    endRow,
    startAt: new Date(rowStarts[startRow] as number).toISOString(),
    endAt: new Date(rowEnd(endRow - 1)).toISOString(),
  });
  const kindAt = (index: number): RowKind => {
    const at = rowStarts[index] as number;
    const appointment = active.find((item) => covers(item, at));
    if (appointment) return { key: `a:${appointment.id}`, make: (s, e) => ({ ...span(s, e), kind: 'appointment', appointment, cancelled: [] }) };
    const slot = column.day.slots.find((item) => covers(item, at));
    if (slot) return { key: `s:${slot.startAt}`, make: (s, e) => ({ ...span(s, e), kind: 'free', slot, cancelled: [] }) };
    const gone = inactive.find((item) => covers(item, at));
    if (gone) return { key: `a:${gone.id}`, make: (s, e) => ({ ...span(s, e), kind: 'appointment', appointment: gone, cancelled: [] }) };
    // A holiday or leave covering the whole day closes the column (the hours stay as they were).
    const reason = column.day.closedReason;
    if (reason) return { key: 'closed', make: (s, e) => ({ ...span(s, e), kind: 'closed', reason }) };
    const inHours = column.day.blocks.some((block) => covers(block, at));
    // Time already begun cannot be booked any more (the server offers no slot starting in the past).
    if (inHours && at < now) return { key: 'past', make: (s, e) => ({ ...span(s, e), kind: 'past' }) };
    if (inHours) return { key: 'unavailable', make: (s, e) => ({ ...span(s, e), kind: 'unavailable' }) };
    return { key: 'outside', make: (s, e) => ({ ...span(s, e), kind: 'outside' }) };
  };

  const segments: Segment[] = [];
  let open = null as { key: string; startRow: number; make: RowKind['make'] } | null;
  for (let index = 0; index < rowStarts.length; index += 1) {
    const kind = kindAt(index);
    if (open?.key === kind.key) continue;
    if (open) segments.push(open.make(open.startRow, index));
    open = { key: kind.key, startRow: index, make: kind.make };
  }
  if (open) segments.push(open.make(open.startRow, rowStarts.length));

  // A cancelled or no-show appointment under a new booking or a free slot is noted in that cell.
  for (const appointment of inactive) {
    const holder = segments.find((segment) => segment.kind === 'appointment' && segment.appointment.id === appointment.id);
    if (holder) continue;
    const at = ms(appointment.startAt);
    const host = segments.find((segment) => ms(segment.startAt) <= at && at < ms(segment.endAt));
    if (host && (host.kind === 'free' || host.kind === 'appointment')) host.cancelled.push(appointment);
  }
  return segments;
}

/** The segment of a column that covers a row. */
export function segmentAt(column: BoardColumn | undefined, row: number): Segment | undefined {
  return column?.segments.find((segment) => segment.startRow <= row && row < segment.endRow);
}

export interface GridFocus {
  column: number;
  row: number;
}

/**
 * Where an arrow (or Home/End/PageUp/PageDown) key moves the focus cell. Up and down step from
 * cell to cell in a column; left and right keep the time and land on the cell covering it.
 */
export function moveFocus(model: BoardGridModel, focus: GridFocus, key: string, ctrl: boolean): GridFocus | null {
  const rowCount = model.rows.length;
  const columnCount = model.columns.length;
  if (rowCount === 0 || columnCount === 0) return null;
  const current = segmentAt(model.columns[focus.column], focus.row);
  const clampRow = (row: number) => Math.max(0, Math.min(rowCount - 1, row));
  const startOf = (column: number, row: number) => segmentAt(model.columns[column], row)?.startRow ?? row;
  switch (key) {
    case 'ArrowDown':
      return current && current.endRow < rowCount ? { column: focus.column, row: current.endRow } : null;
    case 'ArrowUp':
      return current && current.startRow > 0 ? { column: focus.column, row: startOf(focus.column, current.startRow - 1) } : null;
    case 'ArrowRight':
      return focus.column + 1 < columnCount ? { column: focus.column + 1, row: focus.row } : null;
    case 'ArrowLeft':
      return focus.column > 0 ? { column: focus.column - 1, row: focus.row } : null;
    case 'Home':
      return ctrl ? { column: 0, row: 0 } : { column: 0, row: focus.row };
    case 'End':
      return ctrl ? { column: columnCount - 1, row: startOf(columnCount - 1, rowCount - 1) } : { column: columnCount - 1, row: focus.row };
    // A page is six rows, and always at least the next (or previous) cell.
    case 'PageDown':
      return current && current.endRow < rowCount
        ? { column: focus.column, row: startOf(focus.column, clampRow(Math.max(current.endRow, focus.row + 6))) }
        : null;
    case 'PageUp':
      return current && current.startRow > 0
        ? { column: focus.column, row: startOf(focus.column, clampRow(Math.min(current.startRow - 1, focus.row - 6))) }
        : null;
    default:
      return null;
  }
}
