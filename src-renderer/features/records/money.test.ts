import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, minorToMajorText, parseMajorToMinor } from './money.js';

describe('prices typed in major units', () => {
  it('become integer minor units without floating point', () => {
    expect(parseMajorToMinor('1250.50', 2)).toBe(125050);
    expect(parseMajorToMinor('1,250.5', 2)).toBe(125050);
    expect(parseMajorToMinor('0.29', 2)).toBe(29); // 0.29 * 100 is 28.999… in floating point
    expect(parseMajorToMinor('.5', 2)).toBe(50);
    expect(parseMajorToMinor('80', 2)).toBe(8000);
    expect(parseMajorToMinor(' 80. ', 2)).toBe(8000);
    expect(parseMajorToMinor('1250', 0)).toBe(1250);
    expect(parseMajorToMinor('1.234', 3)).toBe(1234);
  });

  it('are refused when they are not a price in the currency', () => {
    for (const typed of ['', 'abc', '-5', '1.234', '1e3', '12.3.4', '999999999999999999']) expect(parseMajorToMinor(typed, 2)).toBeNull();
    expect(parseMajorToMinor('12.5', 0)).toBeNull();
  });

  it('round-trip through the editing text', () => {
    for (const minor of [0, 5, 50, 125050, 99_999_999]) expect(parseMajorToMinor(minorToMajorText(minor, 2), 2)).toBe(minor);
    expect(minorToMajorText(5, 2)).toBe('0.05');
    expect(minorToMajorText(1250, 0)).toBe('1250');
  });

  it('follow the currency’s own number of decimals', () => {
    expect(minorDigits('KES')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
    expect(formatMoney(125050, 'KES')).toMatch(/^KES\s1,250\.50$/);
  });
});
