import { z } from 'zod';

/** UTC instant with milliseconds, e.g. 2026-11-22T08:15:00.000Z: sorts correctly as text. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const isoInstant = z.string().regex(ISO_INSTANT, 'Expected a UTC time like 2026-11-22T08:15:00.000Z');

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function listTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
}

export const timeZone = z
  .string()
  .trim()
  .min(1, 'Choose the clinic’s time zone')
  .refine(isTimeZone, 'That is not a time zone this computer knows; pick one from the list');

/** A clinic-local date and time for people to read, e.g. "Monday 23 November 2026, 08:15". */
export function formatClinicDateTime(instant: Date, zone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}
