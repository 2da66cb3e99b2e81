import type { TimelineKind } from '../../../src-shared/contract/records.js';
import type { PrescriptionItem } from '../../../src-shared/schemas/records.js';

/** "23 Nov 2026, 08:15" in the clinic's time zone. */
export function formatWhen(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** "23 Nov" (or "23 Nov 25" across years), for chart axes. */
export function formatAxisDate(iso: string, timeZone: string, withYear: boolean): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', ...(withYear ? { year: '2-digit' } : {}) }).format(new Date(iso));
}

export const KIND_LABELS: Record<TimelineKind, { one: string; many: string }> = {
  encounter: { one: 'Visit', many: 'Visits' },
  vitals: { one: 'Vitals', many: 'Vitals' },
  order: { one: 'Order', many: 'Orders' },
  result: { one: 'Result', many: 'Results' },
  prescription: { one: 'Prescription', many: 'Prescriptions' },
  attachment: { one: 'File', many: 'Files' },
};

export type Flag = 'low' | 'normal' | 'high' | 'abnormal' | 'none';

/** Low and high in amber-red, abnormal text results in red; normal and unflagged show nothing alarming. */
export const FLAG_LABELS: Record<Flag, { label: string; color: string } | null> = {
  low: { label: 'Low', color: 'orange' },
  high: { label: 'High', color: 'red' },
  abnormal: { label: 'Abnormal', color: 'red' },
  normal: { label: 'Normal', color: 'teal' },
  none: null,
};

export function isAbnormal(flag: Flag | null | undefined): boolean {
  return flag === 'low' || flag === 'high' || flag === 'abnormal';
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat('en', { maximumFractionDigits: 4 }).format(value);
}

/** "12–17.5 g/dL", "≥ 3.9 mmol/L", or the catalog's text ("Negative"). */
export function referenceRange(ref: { refLow: number | null; refHigh: number | null; refText?: string | null }, unit: string | null): string | null {
  const suffix = unit ? ` ${unit}` : '';
  if (ref.refLow !== null && ref.refHigh !== null) return `${formatNumber(ref.refLow)}–${formatNumber(ref.refHigh)}${suffix}`;
  if (ref.refLow !== null) return `≥ ${formatNumber(ref.refLow)}${suffix}`;
  if (ref.refHigh !== null) return `≤ ${formatNumber(ref.refHigh)}${suffix}`;
  return ref.refText ?? null;
}

export const ROUTES: { value: PrescriptionItem['route']; label: string }[] = [
  { value: 'oral', label: 'Oral (by mouth)' },
  { value: 'iv', label: 'Intravenous (IV)' },
  { value: 'im', label: 'Intramuscular (IM)' },
  { value: 'sc', label: 'Subcutaneous (SC)' },
  { value: 'topical', label: 'Topical (on the skin)' },
  { value: 'inhaled', label: 'Inhaled' },
  { value: 'rectal', label: 'Rectal' },
  { value: 'sublingual', label: 'Sublingual (under the tongue)' },
  { value: 'ophthalmic', label: 'Eye (ophthalmic)' },
  { value: 'otic', label: 'Ear (otic)' },
  { value: 'nasal', label: 'Nasal' },
  { value: 'other', label: 'Other' },
];

export function routeLabel(route: string): string {
  return ROUTES.find((entry) => entry.value === route)?.label ?? route;
}
