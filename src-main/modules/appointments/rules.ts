import type { DayAvailability } from '../../../src-shared/contract/appointments.js';
import { AppError } from '../../../src-shared/errors.js';
import { type AppointmentStatus, GRID_MINUTES, minutesOfDay, STATUS_LABELS, type WorkingBlock } from '../../../src-shared/schemas/appointments.js';
import { addDays, clinicLocalDate, clinicLocalTimeUnambiguous, isoWeekday, zonedInstant } from '../../../src-shared/time.js';

const MINUTE = 60_000;

export interface Interval {
  startAt: string;
  endAt: string;
}

export interface DayContext {
  date: string;
  zone: string;
  /** The doctor's blocks for this date's weekday, clinic-local minutes. */
  hours: readonly { startMinute: number; endMinute: number }[];
  slotMinutes: number;
  holiday: string | null;
  leave: readonly (Interval & { reason: string })[];
  /** Active appointments of the doctor that day (any order). */
  busy: readonly Interval[];
  nowIso: string;
}

/** ISO instants sort as text; a plain comparison is much cheaper than localeCompare. */
const byStart = (a: Interval, b: Interval) => (a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : 0);

export const overlaps = (a: Interval, b: Interval) => a.startAt < b.endAt && b.startAt < a.endAt;

/** Whether one working interval holds the whole of [startAt, endAt): one may not bridge two blocks. */
const heldBy = (blocks: readonly Interval[], interval: Interval) => blocks.some((block) => block.startAt <= interval.startAt && interval.endAt <= block.endAt);

/** The union of intervals as disjoint ones in time order: their ends then rise with their starts. */
function disjoint(intervals: readonly Interval[]): Interval[] {
  const merged: Interval[] = [];
  for (const interval of [...intervals].sort(byStart)) {
    const last = merged.at(-1);
    if (last && interval.startAt <= last.endAt) {
      if (interval.endAt > last.endAt) merged[merged.length - 1] = { startAt: last.startAt, endAt: interval.endAt };
    } else merged.push(interval);
  }
  return merged;
}

/** A block's minute of day 1440 is the next midnight, which belongs to the following date. */
function blockInstant(date: string, minute: number, zone: string): Date {
  return minute >= 1440 ? zonedInstant(addDays(date, 1), minute - 1440, zone) : zonedInstant(date, minute, zone);
}

/** The working blocks of one clinic day as instants: wall-clock hours stay put across daylight-saving changes. */
export function workingIntervals(date: string, zone: string, hours: DayContext['hours']): Interval[] {
  const intervals = hours
    .map((block) => ({
      startAt: blockInstant(date, block.startMinute, zone).toISOString(),
      endAt: blockInstant(date, block.endMinute, zone).toISOString(),
    }))
    .sort(byStart);
  // A block ending in the hour a spring-forward jump skips is read past the jump and can run into
  // the next block: each block starts no earlier than the previous one ends.
  const result: Interval[] = [];
  for (const interval of intervals) {
    const previous = result.at(-1);
    const startAt = previous && previous.endAt > interval.startAt ? previous.endAt : interval.startAt;
    if (startAt < interval.endAt) result.push({ startAt, endAt: interval.endAt });
  }
  return result;
}

/**
 * One doctor-day's free slots: slot-length steps through each working block in real time, leaving
 * out the past, leave and booked time. The same rules decide a booking (`bookingProblem`), so every
 * slot offered here can be booked.
 */
export function dayAvailability(day: DayContext): DayAvailability {
  const blocks = workingIntervals(day.date, day.zone, day.hours);
  if (day.holiday !== null) return { date: day.date, closedReason: `Holiday: ${day.holiday}`, blocks: [], slots: [] };
  if (blocks.length === 0) return { date: day.date, closedReason: 'No working hours', blocks: [], slots: [] };
  const coveringLeave = day.leave.find((leave) => blocks.every((block) => leave.startAt <= block.startAt && leave.endAt >= block.endAt));
  if (coveringLeave) return { date: day.date, closedReason: `On leave: ${coveringLeave.reason}`, blocks, slots: [] };
  const taken = disjoint([...day.busy, ...day.leave]);
  const slots: DayAvailability['slots'] = [];
  const step = day.slotMinutes * MINUTE;
  let next = 0;
  for (const block of blocks) {
    const blockEnd = Date.parse(block.endAt);
    let startAt = block.startAt;
    for (let at = Date.parse(block.startAt); at + step <= blockEnd; at += step) {
      const endAt = new Date(at + step).toISOString();
      // Slots and blocks run forward in time, so taken time that ended before this slot is done with.
      while (next < taken.length && (taken[next] as Interval).endAt <= startAt) next += 1;
      const free = startAt >= day.nowIso && !(next < taken.length && (taken[next] as Interval).startAt < endAt);
      if (free) slots.push({ startAt, endAt, label: clinicLocalTimeUnambiguous(new Date(at), day.zone) });
      startAt = endAt;
    }
  }
  return { date: day.date, closedReason: null, blocks, slots };
}

/**
 * Why [startAt, endAt) cannot be booked with this doctor on this clinic day, or null. Overlap with
 * other appointments is not judged here: the constraint and the handler's read decide that.
 */
export function bookingProblem(interval: Interval, day: Omit<DayContext, 'busy' | 'slotMinutes'>): string | null {
  const start = Date.parse(interval.startAt);
  if (start % (GRID_MINUTES * MINUTE) !== 0) return `Appointments start on a ${GRID_MINUTES}-minute mark (like 09:00 or 09:05).`;
  if (interval.startAt < day.nowIso) return 'That time has already passed; choose a time from now on.';
  if (day.holiday !== null) return `The clinic is closed on ${day.date} (${day.holiday}).`;
  const blocks = workingIntervals(day.date, day.zone, day.hours);
  if (!heldBy(blocks, interval)) return 'That time is outside the doctor’s working hours; choose one of the free slots.';
  const leave = day.leave.find((period) => overlaps(period, interval));
  if (leave) return `The doctor is on leave then (${leave.reason}).`;
  return null;
}

/** The weekly blocks of one weekday, in clinic-local minutes. */
export function blocksOfWeekday(hours: readonly WorkingBlock[], weekday: number): DayContext['hours'] {
  return hours.filter((block) => block.weekday === weekday).map((block) => ({ startMinute: minutesOfDay(block.start), endMinute: minutesOfDay(block.end) }));
}

/** The appointments that no block of these weekly hours holds: what a change of hours leaves outside. */
export function outsideHours<T extends Interval>(appointments: readonly T[], hours: readonly WorkingBlock[], zone: string): T[] {
  const blocksOn = new Map<string, Interval[]>();
  return appointments.filter((appointment) => {
    const date = clinicLocalDate(new Date(appointment.startAt), zone);
    let blocks = blocksOn.get(date);
    if (!blocks) {
      blocks = workingIntervals(date, zone, blocksOfWeekday(hours, isoWeekday(date)));
      blocksOn.set(date, blocks);
    }
    return !heldBy(blocks, appointment);
  });
}

/** Weekly hours must not overlap one another on a weekday; the field error names the clash. */
export function hoursProblems(hours: readonly WorkingBlock[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const sorted = hours
    .map((block, index) => ({ block, index }))
    .sort((a, b) => a.block.weekday - b.block.weekday || minutesOfDay(a.block.start) - minutesOfDay(b.block.start));
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (!previous || !current || previous.block.weekday !== current.block.weekday) continue;
    const previousEnd = previous.block.end === '24:00' ? 1440 : minutesOfDay(previous.block.end);
    if (minutesOfDay(current.block.start) < previousEnd)
      problems[`hours.${current.index}.start`] = `This block overlaps ${previous.block.start}–${previous.block.end} on the same day.`;
  }
  return problems;
}

export type AppointmentAction = 'reschedule' | 'cancel' | 'checkIn' | 'noShow' | 'complete';

/** Which statuses each action may start from: booked → checked_in → completed, or cancelled / no_show. */
export const ALLOWED_FROM: Record<AppointmentAction, readonly AppointmentStatus[]> = {
  reschedule: ['booked'],
  cancel: ['booked'],
  checkIn: ['booked'],
  noShow: ['booked'],
  complete: ['checked_in'],
};

const ACTION_WORDS: Record<AppointmentAction, string> = {
  reschedule: 'rescheduled',
  cancel: 'cancelled',
  checkIn: 'checked in',
  noShow: 'marked as a no-show',
  complete: 'completed',
};

export function assertTransition(action: AppointmentAction, status: AppointmentStatus): void {
  if (ALLOWED_FROM[action].includes(status)) return;
  const hint = action === 'complete' && status === 'booked' ? ' Check the patient in first.' : '';
  throw new AppError('CONFLICT', `This appointment is ${STATUS_LABELS[status].toLowerCase()}, so it cannot be ${ACTION_WORDS[action]}.${hint}`);
}

/** Reminders for tomorrow appear once the clinic day has begun in earnest. */
export const REMINDER_FROM_MINUTE = 6 * 60;

export function endOf(startAt: string, minutes: number): string {
  return new Date(Date.parse(startAt) + minutes * MINUTE).toISOString();
}
