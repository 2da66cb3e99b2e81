import type { AppointmentOut } from '../../../src-shared/contract/appointments.js';
import { clinicLocalDate, clinicLocalTime } from '../../../src-shared/time.js';
import { formatDate } from '../schedules/clinic.js';

/** One badge for a status everywhere (board, queue, week, a patient's list). */
export { STATUS_COLORS, StatusBadge } from '../appointments/StatusBadge.js';

/** "08:15–08:30" in the clinic's zone. */
export function timeRange(appointment: Pick<AppointmentOut, 'startAt' | 'endAt'>, zone: string): string {
  return `${clinicLocalTime(new Date(appointment.startAt), zone)}–${clinicLocalTime(new Date(appointment.endAt), zone)}`;
}

/** "Mon 23 Nov 2026" of an instant, in the clinic's zone. */
export function clinicDateOf(iso: string, zone: string): string {
  return formatDate(clinicLocalDate(new Date(iso), zone));
}

export function byStart(a: Pick<AppointmentOut, 'startAt'>, b: Pick<AppointmentOut, 'startAt'>): number {
  return a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : 0;
}

/**
 * Splits appointments into coming ones (booked or checked in, not yet ended; soonest first) and the
 * rest (newest first).
 */
export function splitUpcoming(list: readonly AppointmentOut[], now: Date): { upcoming: AppointmentOut[]; past: AppointmentOut[] } {
  const nowIso = now.toISOString();
  const upcoming = list.filter((a) => (a.status === 'booked' || a.status === 'checked_in') && a.endAt > nowIso).sort(byStart);
  const past = list.filter((a) => !upcoming.includes(a)).sort((a, b) => byStart(b, a));
  return { upcoming, past };
}
