import { z } from 'zod';

/** UTC instant with milliseconds, e.g. 2026-11-22T08:15:00.000Z: sorts correctly as text. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const isoInstant = z
  .string()
  .regex(ISO_INSTANT, 'Expected a UTC time like 2026-11-22T08:15:00.000Z')
  // The format alone lets 2026-02-30 or 24:00 through, which Date would quietly roll forward.
  .refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value, 'That date or time does not exist');

/**
 * Building an Intl.DateTimeFormat costs ~0.2 ms and formatting with a built one ~1 µs: the slot
 * and booking paths convert dozens of times per request, so formatters are built once per zone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let built = formatters.get(key);
  if (!built) {
    built = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, built);
  }
  return built;
}

export function isTimeZone(name: string): boolean {
  try {
    formatter(`zone:${name}`, 'en', { timeZone: name });
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

/** A clinic-local day for a message, e.g. "Tue 3 Mar 2026". */
export function formatClinicDay(instant: Date, zone: string): string {
  return formatter(`day:${zone}`, 'en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
    .format(instant)
    .replace(',', '');
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(zone: string, epochMs: number): number {
  // Nearly every change of offset falls on a quarter hour, so one lookup serves a zone's whole
  // quarter hour. A quarter with a change inside it (St John's changed at 00:01 from 1987 to 2011)
  // is marked NaN and read exactly each time.
  const quarter = Math.floor(epochMs / QUARTER_HOUR_MS);
  const offsets = offsetsByZone.get(zone);
  const known = offsets?.get(quarter);
  if (known !== undefined) return Number.isNaN(known) ? intlOffsetMs(zone, epochMs) : known;
  const start = intlOffsetMs(zone, quarter * QUARTER_HOUR_MS);
  const end = intlOffsetMs(zone, (quarter + 1) * QUARTER_HOUR_MS - 1000);
  // Created only now: an unknown zone has thrown above and leaves nothing behind.
  const cache = offsets ?? new Map<number, number>();
  if (!offsets) offsetsByZone.set(zone, cache);
  if (cache.size > 50_000) cache.clear();
  cache.set(quarter, start === end ? start : Number.NaN);
  return start === end ? start : intlOffsetMs(zone, epochMs);
}
const QUARTER_HOUR_MS = 15 * 60_000;
/** Zone -> quarter hours since 1970 -> offset: number keys, so a lookup builds no string. */
const offsetsByZone = new Map<string, Map<number, number>>();

/** The offset as Intl reads it, to the second (old local mean times have seconds in them). */
function intlOffsetMs(zone: string, epochMs: number): number {
  const at = Math.floor(epochMs / 1000) * 1000;
  const parts = formatter(`offset:${zone}`, 'en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes the year as it is.
  const wall = new Date(Date.UTC(2000, part('month') - 1, part('day'), part('hour'), part('minute'), part('second')));
  wall.setUTCFullYear(part('year'));
  return wall.getTime() - at;
}

/**
 * The instant shifted by the zone's offset, so that its UTC fields read as the clinic's wall clock.
 * Arithmetic on a cached offset is about fifty times cheaper than formatting with Intl, and the
 * slot paths convert every slot.
 */
function wallClock(instant: Date, zone: string): Date {
  const at = instant.getTime();
  if (Number.isNaN(at)) throw new RangeError('Invalid time value');
  return new Date(at + zoneOffsetMs(zone, at));
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

/** The clinic-local calendar date (YYYY-MM-DD) of an instant. */
export function clinicLocalDate(instant: Date, zone: string): string {
  const wall = wallClock(instant, zone);
  const year = wall.getUTCFullYear();
  if (year < 1000 || year > 9999)
    return formatter(`date:${zone}`, 'en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  return `${year}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
}

/**
 * The UTC instant at which a clinic-local calendar day begins, e.g. ("2026-11-23", "Africa/Nairobi")
 * -> "2026-11-22T21:00:00.000Z". On a day whose midnight a daylight-saving jump skips, the day
 * begins at the jump. Pair it with the next day's start for a half-open [from, to) range.
 */
export function clinicDayStart(date: string, zone: string): string {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`Expected a date like 2026-11-23, got ${date}`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(wall)) throw new RangeError(`Not a calendar date: ${date}`);
  // The offset in force may differ before and after a transition near midnight: try both, keep the
  // earliest instant that falls on the requested day.
  const first = wall - zoneOffsetMs(zone, wall);
  const candidates = [first, wall - zoneOffsetMs(zone, first)].filter((at) => clinicLocalDate(new Date(at), zone) === date).sort((a, b) => a - b);
  const [start] = candidates;
  if (start !== undefined) return new Date(start).toISOString();
  // Rare: the jump skipped past midnight. The day (or, if the zone skipped the whole day, the next
  // one) begins at the first quarter hour that reads as that day or later.
  for (let at = Math.min(first, wall - zoneOffsetMs(zone, first)); at < wall + 60 * 3_600_000; at += 15 * 60_000) {
    if (clinicLocalDate(new Date(at), zone) >= date) return new Date(at).toISOString();
  }
  throw new RangeError(`Could not place ${date} in ${zone}`);
}

/** The calendar date n days after a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`Expected a date like 2026-11-23, got ${date}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)).toISOString().slice(0, 10);
}

/**
 * Age on a calendar day, in completed years, months and days (YYYY-MM-DD both; no time zone
 * involved). A birthday on 29 February falls on 1 March in other years, as it does in law in
 * many countries. Null when the day is before the birth.
 */
export function ageOn(birthDate: string, onDate: string): { years: number; months: number; days: number } | null {
  const birth = LOCAL_DATE.exec(birthDate);
  const on = LOCAL_DATE.exec(onDate);
  if (!birth || !on || onDate < birthDate) return null;
  const [by, bm, bd] = [Number(birth[1]), Number(birth[2]), Number(birth[3])];
  const [oy, om, od] = [Number(on[1]), Number(on[2]), Number(on[3])];
  let months = (oy - by) * 12 + (om - bm);
  if (od < bd) months -= 1;
  // The day the last completed month began, clamped to the end of a short month.
  const anchorMonth = bm - 1 + months;
  const anchorYear = by + Math.floor(anchorMonth / 12);
  const anchorMonthIndex = ((anchorMonth % 12) + 12) % 12;
  const daysInAnchorMonth = new Date(Date.UTC(anchorYear, anchorMonthIndex + 1, 0)).getUTCDate();
  const anchor = Date.UTC(anchorYear, anchorMonthIndex, Math.min(bd, daysInAnchorMonth));
  const days = Math.round((Date.UTC(oy, om - 1, od) - anchor) / 86_400_000);
  return { years: Math.floor(months / 12), months: months % 12, days };
}

/**
 * The instant a clinic-local wall-clock time occurs: `minuteOfDay` minutes after midnight of
 * `date` (1440 is the next midnight). Resolved as calendars and Temporal's "compatible" mode do:
 * a time that a spring-forward jump skips is read with the offset before the jump (02:30 becomes
 * 03:30), and a time that a fall-back change repeats is its earlier occurrence.
 */
export function zonedInstant(date: string, minuteOfDay: number, zone: string): Date {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`Expected a date like 2026-11-23, got ${date}`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + minuteOfDay * 60_000;
  const before = zoneOffsetMs(zone, wall - 86_400_000);
  const after = zoneOffsetMs(zone, wall + 86_400_000);
  const readsAsWall = (at: number) => at + zoneOffsetMs(zone, at) === wall;
  const candidates = [wall - before, wall - after].filter(readsAsWall).sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - before);
}

/** Clinic-local wall-clock time of an instant, "HH:MM" on a 24-hour clock. */
export function clinicLocalTime(instant: Date, zone: string): string {
  const wall = wallClock(instant, zone);
  return `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}`;
}

/**
 * The wall-clock time, "HH:MM", except where a fall-back change makes the clock read that time
 * twice that night: then with the zone's short name ("01:30 EDT", "01:30 EST"), so the two are
 * never mistaken for each other.
 */
export function clinicLocalTimeUnambiguous(instant: Date, zone: string): string {
  const time = clinicLocalTime(instant, zone);
  if (!isRepeatedWallTime(instant.getTime(), zone)) return time;
  const name = formatter(`zone-name:${zone}`, 'en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(instant)
    .find((part) => part.type === 'timeZoneName')?.value;
  return name ? `${time} ${name}` : time;
}

/** Whether another instant, under the offset in force a day earlier or later, reads as the same wall time. */
function isRepeatedWallTime(at: number, zone: string): boolean {
  const offset = zoneOffsetMs(zone, at);
  const before = zoneOffsetMs(zone, at - 86_400_000);
  const after = zoneOffsetMs(zone, at + 86_400_000);
  if (before === offset && after === offset) return false;
  const wall = at + offset;
  return [before, after].some((other) => other !== offset && wall - other + zoneOffsetMs(zone, wall - other) === wall);
}

/** ISO weekday of a YYYY-MM-DD date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
