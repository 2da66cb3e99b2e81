import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { bodyMassIndex, compareTimeline, isAfterCursor, recordAccess, resultFlag, sniffAttachmentType } from './rules.js';

// ---------------------------------------------------------------------------------------------
// Real files, small enough to write inline

/** A 16×16 baseline JPEG (JFIF), the one Python's imghdr tests use. */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBAgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 2×2 RGB PNG, every chunk with its CRC. */
function png(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(pixels)), pngChunk('IEND', Buffer.alloc(0))]);
}

async function pdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]);
  return Buffer.from(await document.save());
}

describe('resultFlag', () => {
  it('flags a value below the range low, above it high, and on or inside its ends normal', () => {
    expect(resultFlag(11.9, 12, 17.5)).toBe('low');
    expect(resultFlag(12, 12, 17.5)).toBe('normal');
    expect(resultFlag(14, 12, 17.5)).toBe('normal');
    expect(resultFlag(17.5, 12, 17.5)).toBe('normal');
    expect(resultFlag(17.6, 12, 17.5)).toBe('high');
    expect(resultFlag(0, 0.5, 2)).toBe('low');
    expect(resultFlag(-1, -0.5, 0.5)).toBe('low');
  });

  it('works with a range open at one end', () => {
    expect(resultFlag(3, 4, null)).toBe('low');
    expect(resultFlag(400, 4, null)).toBe('normal');
    expect(resultFlag(201, null, 200)).toBe('high');
    expect(resultFlag(-5, null, 200)).toBe('normal');
  });

  it('gives no flag to a text result or to a value without a range', () => {
    expect(resultFlag(null, 12, 17.5)).toBe('none');
    expect(resultFlag(null, null, null)).toBe('none');
    expect(resultFlag(7, null, null)).toBe('none');
    expect(resultFlag(0, null, null)).toBe('none');
  });

  it('agrees with the range for any value and any range (property)', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    fc.assert(
      fc.property(finite, fc.option(finite), fc.option(finite), (value, a, b) => {
        const [low, high] = a !== null && b !== null && a > b ? [b, a] : [a, b];
        const flag = resultFlag(value, low, high);
        if (low === null && high === null) return flag === 'none';
        if (low !== null && value < low) return flag === 'low';
        if (high !== null && value > high) return flag === 'high';
        return flag === 'normal';
      }),
    );
  });
});

describe('bodyMassIndex', () => {
  it('is kilograms over metres squared, to one decimal', () => {
    expect(bodyMassIndex(70, 175)).toBe(22.9);
    expect(bodyMassIndex(68, 170)).toBe(23.5);
    expect(bodyMassIndex(3.4, 50)).toBe(13.6);
    expect(bodyMassIndex(120, 160)).toBe(46.9);
  });

  it('is unknown without a weight or a usable height', () => {
    expect(bodyMassIndex(null, 175)).toBeNull();
    expect(bodyMassIndex(70, null)).toBeNull();
    expect(bodyMassIndex(null, null)).toBeNull();
    expect(bodyMassIndex(70, 0)).toBeNull();
    expect(bodyMassIndex(70, -170)).toBeNull();
  });

  it('stays within 0.05 of the exact figure across the accepted ranges (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 400, noNaN: true }), fc.double({ min: 20, max: 250, noNaN: true }), (weight, height) => {
        const bmi = bodyMassIndex(weight, height) as number;
        const exact = weight / (height / 100) ** 2;
        return Math.abs(bmi - exact) <= 0.05 + 1e-9 && Math.abs(bmi * 10 - Math.round(bmi * 10)) < 1e-6;
      }),
    );
  });
});

describe('sniffAttachmentType', () => {
  it('recognises real JPEG, PNG and PDF files by their first bytes', async () => {
    // The fixtures are real: pdf-lib decodes both images.
    const check = await PDFDocument.create();
    expect((await check.embedJpg(new Uint8Array(JPEG))).width).toBe(16);
    expect((await check.embedPng(new Uint8Array(png()))).width).toBe(2);

    expect(sniffAttachmentType(JPEG)).toBe('image/jpeg');
    expect(sniffAttachmentType(png())).toBe('image/png');
    expect(sniffAttachmentType(await pdf())).toBe('application/pdf');
    expect(sniffAttachmentType(new Uint8Array(await pdf()))).toBe('application/pdf');
  });

  it('goes by content, not by name: a PNG saved as scan.pdf is still a PNG, a PDF named photo.jpg a PDF', async () => {
    const renamed = { name: 'scan.pdf', bytes: png() };
    expect(sniffAttachmentType(renamed.bytes)).toBe('image/png');
    const misnamed = { name: 'photo.jpg', bytes: await pdf() };
    expect(sniffAttachmentType(misnamed.bytes)).toBe('application/pdf');
  });

  it('refuses an empty file, truncated signatures and other formats', () => {
    expect(sniffAttachmentType(new Uint8Array())).toBeNull();
    expect(sniffAttachmentType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(sniffAttachmentType(PNG_SIGNATURE.subarray(0, 7))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('%PDF'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('PK\x03\x04 a zip or a .docx'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('<html><body>%PDF-1.7</body></html>'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from(' %PDF-1.7'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('BM6\x00\x00\x00'))).toBeNull();
  });

  it('refuses random bytes unless they happen to begin with a signature (property)', () => {
    const signatures = [Buffer.from([0xff, 0xd8, 0xff]), PNG_SIGNATURE, Buffer.from('%PDF-')];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const begins = signatures.some((signature) => Buffer.from(bytes).subarray(0, signature.length).equals(signature));
        return begins || sniffAttachmentType(bytes) === null;
      }),
      { numRuns: 2000 },
    );
  });

  it('recognises any content after a signature (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        return (
          sniffAttachmentType(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), tail])) === 'image/jpeg' &&
          sniffAttachmentType(Buffer.concat([PNG_SIGNATURE, tail])) === 'image/png' &&
          sniffAttachmentType(Buffer.concat([Buffer.from('%PDF-'), tail])) === 'application/pdf'
        );
      }),
    );
  });
});

describe('recordAccess', () => {
  const none = new Set<string>();
  const pharmacy = new Set(['patients.read', 'clinical.read_prescriptions']);

  it('opens the whole record by role, as the patient themself, or in an emergency', () => {
    for (const via of ['role', 'own_record', 'emergency'] as const) {
      expect(recordAccess(via, none)).toBe('full');
      expect(recordAccess(via, pharmacy)).toBe('full');
    }
  });

  it('opens only the prescriptions to the pharmacy, and nothing to anyone else', () => {
    expect(recordAccess(null, pharmacy)).toBe('prescriptions');
    expect(recordAccess(null, none)).toBeNull();
    expect(recordAccess(null, new Set(['patients.read', 'patients.write', 'reports.all', 'users.manage']))).toBeNull();
    expect(recordAccess(null, new Set(['clinical.read_own']))).toBeNull();
  });
});

describe('compareTimeline and isAfterCursor', () => {
  const entry = (at: string, id: string) => ({ at, id });

  it('puts the newest first and breaks a tie on the instant by id, newest id first', () => {
    const entries = [
      entry('2026-03-02T08:00:00.000Z', 'b'),
      entry('2026-03-02T09:00:00.000Z', 'a'),
      entry('2026-03-02T08:00:00.000Z', 'c'),
      entry('2026-03-01T23:59:59.999Z', 'z'),
    ];
    expect([...entries].sort(compareTimeline)).toEqual([
      entry('2026-03-02T09:00:00.000Z', 'a'),
      entry('2026-03-02T08:00:00.000Z', 'c'),
      entry('2026-03-02T08:00:00.000Z', 'b'),
      entry('2026-03-01T23:59:59.999Z', 'z'),
    ]);
    expect(compareTimeline(entry('2026-03-02T08:00:00.000Z', 'a'), entry('2026-03-02T08:00:00.000Z', 'a'))).toBe(0);
  });

  it('continues strictly after the cursor', () => {
    const cursor = entry('2026-03-02T08:00:00.000Z', 'm');
    expect(isAfterCursor(entry('2026-03-02T07:59:59.999Z', 'z'), cursor)).toBe(true);
    expect(isAfterCursor(entry('2026-03-02T08:00:00.000Z', 'l'), cursor)).toBe(true);
    expect(isAfterCursor(entry('2026-03-02T08:00:00.000Z', 'm'), cursor)).toBe(false);
    expect(isAfterCursor(entry('2026-03-02T08:00:00.000Z', 'n'), cursor)).toBe(false);
    expect(isAfterCursor(entry('2026-03-02T08:00:00.001Z', 'a'), cursor)).toBe(false);
  });

  // Few instants and few ids, so ties on the instant are common; (at, id) pairs are unique, as
  // the timeline's entries are.
  const instant = fc.integer({ min: 0, max: 6 }).map((n) => new Date(Date.UTC(2026, 2, 2, 8, 0, n)).toISOString());
  const anId = fc.constantFrom('0190a', '0190b', '0190c', '0190d', '0190e', '0190f');
  const entries = fc.uniqueArray(fc.record({ at: instant, id: anId, kind: fc.constantFrom('encounter', 'vitals', 'order', 'result') }), {
    selector: (value) => `${value.at}|${value.id}`,
    maxLength: 40,
  });

  it('is a total order: antisymmetric and transitive (property)', () => {
    const pair = fc.record({ at: instant, id: anId });
    fc.assert(
      fc.property(pair, pair, pair, (a, b, c) => {
        expect(Math.sign(compareTimeline(a, b)) + Math.sign(compareTimeline(b, a))).toBe(0);
        if (compareTimeline(a, b) <= 0 && compareTimeline(b, c) <= 0) expect(compareTimeline(a, c)).toBeLessThanOrEqual(0);
        expect(compareTimeline(a, b) === 0).toBe(a.at === b.at && a.id === b.id);
      }),
    );
  });

  it('is the SQL cursor of the timeline queries: at < cursor.at, or the same at and id < cursor.id (property)', () => {
    const pair = fc.record({ at: instant, id: anId });
    fc.assert(
      fc.property(pair, pair, (item, cursor) => {
        expect(isAfterCursor(item, cursor)).toBe(item.at < cursor.at || (item.at === cursor.at && item.id < cursor.id));
      }),
    );
  });

  it('pages through sorted entries without skipping or repeating one, whatever the page size (property)', () => {
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 12 }), (all, size) => {
        const sorted = [...all].sort(compareTimeline);
        const seen: typeof all = [];
        let cursor: { at: string; id: string } | undefined;
        for (let pages = 0; pages <= all.length + 1; pages += 1) {
          const page = all
            .filter((item) => !cursor || isAfterCursor(item, cursor))
            .sort(compareTimeline)
            .slice(0, size);
          seen.push(...page);
          const last = page.at(-1);
          if (page.length < size || !last) break;
          cursor = last;
        }
        expect(seen).toEqual(sorted);
      }),
    );
  });

  it('pages the same way when each kind is read a page at a time and the pages are merged, as the chart does (property)', () => {
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 12 }), (all, size) => {
        const kinds = [...new Set(all.map((item) => item.kind))];
        const readPage = (cursor: { at: string; id: string } | undefined) =>
          kinds
            .flatMap((kind) =>
              all
                .filter((item) => item.kind === kind && (!cursor || isAfterCursor(item, cursor)))
                .sort(compareTimeline)
                .slice(0, size + 1),
            )
            .sort(compareTimeline)
            .slice(0, size + 1);
        const seen: typeof all = [];
        let cursor: { at: string; id: string } | undefined;
        for (let pages = 0; pages <= all.length + 1; pages += 1) {
          const fetched = readPage(cursor);
          const shown = fetched.slice(0, size);
          seen.push(...shown);
          const last = shown.at(-1);
          if (fetched.length <= size || !last) break;
          cursor = last;
        }
        expect(seen).toEqual([...all].sort(compareTimeline));
      }),
    );
  });
});

describe('resultFlag with units', () => {
  it('flags nothing when the value was entered in another unit than the reference range', () => {
    expect(resultFlag(5.5, 3.9, 5.5, { entered: 'mg/dL', reference: 'mmol/L' })).toBe('none');
    expect(resultFlag(7.1, 3.9, 5.5, { entered: 'MMOL/L ', reference: 'mmol/L' })).toBe('high');
    expect(resultFlag(7.1, 3.9, 5.5, { entered: null, reference: 'mmol/L' })).toBe('high');
  });
});
