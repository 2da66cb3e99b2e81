/** Digits after the decimal point in a currency (KES, USD: 2; JPY: 0; BHD: 3). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * A typed price ("1,250.50", "80", "0.5") as integer minor units, without floating point: the
 * whole and fractional digits are read as text. Null when it is not a price in this currency.
 */
export function parseMajorToMinor(typed: string, digits: number): number | null {
  const text = typed.trim().replaceAll(',', '').replaceAll(' ', '');
  const match = /^(\d{1,12})(?:\.(\d*))?$/.exec(text) ?? /^()\.(\d+)$/.exec(text);
  if (!match) return null;
  const whole = match[1] || '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}

/** Integer minor units as the typed form ("1250.50"), for editing. */
export function minorToMajorText(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** "KES 1,250.50" in the clinic's currency. */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    // Through the exact decimal text, so large amounts keep every digit.
    return new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'code' }).format(minorToMajorText(minor, digits) as unknown as number);
  } catch {
    return `${currency} ${minorToMajorText(minor, digits)}`;
  }
}
