import { Select, type SelectProps } from '@mantine/core';
import { listCurrencies } from '../../src-shared/money.js';
import { listTimeZones } from '../../src-shared/time.js';

interface Option {
  value: string;
  label: string;
}

let timeZoneOptions: Option[] | null = null;
let currencyOptions: Option[] | null = null;

function utcOffset(zone: string, at: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value ?? '';
  } catch {
    return '';
  }
}

/** "Africa/Nairobi (GMT+03:00)": searchable by city, the value is the IANA name. */
export function getTimeZoneOptions(): Option[] {
  if (!timeZoneOptions) {
    const now = new Date();
    timeZoneOptions = listTimeZones().map((zone) => {
      const offset = utcOffset(zone, now);
      const name = zone.replaceAll('_', ' ');
      return { value: zone, label: offset && zone !== 'UTC' ? `${name} (${offset})` : name };
    });
  }
  return timeZoneOptions;
}

/** "KES – Kenyan Shilling": searchable by code or name. */
export function getCurrencyOptions(): Option[] {
  if (!currencyOptions) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames(undefined, { type: 'currency' });
    } catch {
      names = null;
    }
    currencyOptions = listCurrencies().map((code) => {
      const name = names?.of(code);
      return { value: code, label: name && name !== code ? `${code} – ${name}` : code };
    });
  }
  return currencyOptions;
}

/** This computer's time zone when the list knows it, else UTC. */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && listTimeZones().includes(zone) ? zone : 'UTC';
}

type ClinicSelectProps = Omit<SelectProps, 'data' | 'onChange' | 'value'> & { value: string; onChange: (value: string) => void };

export function TimeZoneSelect({ value, onChange, ...props }: ClinicSelectProps) {
  return (
    <Select
      label="Time zone"
      searchable
      data={getTimeZoneOptions()}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      nothingFoundMessage="No time zone matches; try a city such as Nairobi or London"
      allowDeselect={false}
      maxDropdownHeight={280}
      {...props}
    />
  );
}

export function CurrencySelect({ value, onChange, ...props }: ClinicSelectProps) {
  return (
    <Select
      label="Currency"
      searchable
      data={getCurrencyOptions()}
      value={value || null}
      onChange={(next) => onChange(next ?? '')}
      nothingFoundMessage="No currency matches; try a code such as KES or a name such as euro"
      allowDeselect={false}
      maxDropdownHeight={280}
      {...props}
    />
  );
}
