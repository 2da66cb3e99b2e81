import { clinicLocalTimeUnambiguous } from '../../../src-shared/time.js';
import { ApiError } from '../../api/client.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "09:30": an instant as the clinic's wall clock reads it; on a fall-back night a repeated time names its offset ("01:30 EDT"). */
export function clinicClock(iso: string, timeZone: string): string {
  return clinicLocalTimeUnambiguous(new Date(iso), timeZone);
}

/** "Monday 23 Nov 2026" from 2026-11-23: a calendar date, never shifted by a time zone. */
export function formatDay(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const weekday = WEEKDAYS[new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay()];
  return `${weekday} ${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

export function minutesBetween(startAt: string, endAt: string): number {
  return Math.round((Date.parse(endAt) - Date.parse(startAt)) / 60_000);
}

/** "09:30–10:00". */
export function clockRange(startAt: string, endAt: string, timeZone: string): string {
  return `${clinicClock(startAt, timeZone)}–${clinicClock(endAt, timeZone)}`;
}

/**
 * What a CONFLICT from booking or rescheduling means. The server marks the warning that the
 * patient is already booked elsewhere with `fields.acknowledgeOverlap` (it can be confirmed); the
 * doctor's time being taken by someone else carries `fields.startAt` (it cannot).
 */
export function bookingConflict(error: unknown): 'overlap' | 'taken' | null {
  if (!(error instanceof ApiError) || error.code !== 'CONFLICT') return null;
  if (error.fields.acknowledgeOverlap) return 'overlap';
  if (error.fields.startAt) return 'taken';
  return null;
}

/** Durations a booking may take: every 5 minutes up to an hour, then every quarter hour up to four. */
export function durationOptions(slotMinutes: number): { value: string; label: string }[] {
  const values = new Set<number>([slotMinutes]);
  for (let minutes = 5; minutes <= 60; minutes += 5) values.add(minutes);
  for (let minutes = 75; minutes <= 240; minutes += 15) values.add(minutes);
  return [...values]
    .sort((a, b) => a - b)
    .map((minutes) => ({ value: String(minutes), label: minutes === slotMinutes ? `${minutes} minutes (the doctor’s slot)` : `${minutes} minutes` }));
}
