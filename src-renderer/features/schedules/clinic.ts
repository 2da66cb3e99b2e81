import { minutesOfDay } from '../../../src-shared/schemas/appointments.js';
import { addDays, clinicDayStart, clinicLocalDate, clinicLocalTime, isoWeekday, zonedInstant } from '../../../src-shared/time.js';

/**
 * The UTC instant (ISO with milliseconds) of a clinic-local date and "HH:MM" time. "24:00" is the
 * next midnight. A time a daylight-saving jump skips is read with the offset before the jump.
 */
export function clinicInstant(date: string, time: string, zone: string): string {
  if (time === '24:00') return clinicDayStart(addDays(date, 1), zone);
  return zonedInstant(date, minutesOfDay(time), zone).toISOString();
}

/** A whole-day period: from the start of the first day to the start of the day after the last. */
export function wholeDays(firstDate: string, lastDate: string, zone: string): { startAt: string; endAt: string } {
  return { startAt: clinicDayStart(firstDate, zone), endAt: clinicDayStart(addDays(lastDate, 1), zone) };
}

/** True when an instant is exactly the start of its clinic-local day. */
export function isDayStart(iso: string, zone: string): boolean {
  try {
    return clinicDayStart(clinicLocalDate(new Date(iso), zone), zone) === new Date(iso).toISOString();
  } catch {
    return false;
  }
}

/** "Mon 23 Nov 2026" for a YYYY-MM-DD date (calendar only, no zone). */
export function formatDate(date: string, options: { weekday?: boolean; year?: boolean } = {}): string {
  const at = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: options.weekday === false ? undefined : 'short',
    day: 'numeric',
    month: 'short',
    year: options.year === false ? undefined : 'numeric',
  }).format(at);
}

/** "Mon 23 Nov 2026, 08:15" for an instant, in the clinic's zone. */
export function formatInstant(iso: string, zone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${formatDate(clinicLocalDate(at, zone))}, ${clinicLocalTime(at, zone)}`;
}

/** A period for people to read: whole days as dates only ("Mon 23 Nov – Wed 25 Nov 2026, whole days"), else dates with times. */
export function formatPeriod(startAt: string, endAt: string, zone: string): string {
  if (isDayStart(startAt, zone) && isDayStart(endAt, zone)) {
    const first = clinicLocalDate(new Date(startAt), zone);
    const last = addDays(clinicLocalDate(new Date(endAt), zone), -1);
    return first === last ? `${formatDate(first)} (whole day)` : `${formatDate(first)} – ${formatDate(last)} (whole days)`;
  }
  const startDate = clinicLocalDate(new Date(startAt), zone);
  const endDate = clinicLocalDate(new Date(endAt), zone);
  const endTime = clinicLocalTime(new Date(endAt), zone);
  return startDate === endDate ? `${formatInstant(startAt, zone)} – ${endTime}` : `${formatInstant(startAt, zone)} – ${formatInstant(endAt, zone)}`;
}

/** The Monday of the week a date falls in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}
