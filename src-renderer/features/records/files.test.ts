import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, formatBytes, sniffType } from './files.js';

describe('attachments checked before upload', () => {
  it('are typed by their first bytes, as the main side does', () => {
    expect(sniffType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffType(new Uint8Array(0))).toBeNull();
  });

  it('survive the trip through base64, also when large', () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, index) => (index * 31) % 256);
    const text = bytesToBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(text)).toEqual(bytes);
  });

  it('state their size in words', () => {
    expect(formatBytes(12)).toBe('12 bytes');
    expect(formatBytes(340 * 1024)).toBe('340 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20.0 MB');
  });
});
