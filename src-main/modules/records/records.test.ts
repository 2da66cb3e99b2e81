import { crc32, deflateSync } from 'node:zlib';
import Papa from 'papaparse';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientRecord } from '../../../src-shared/contract/patients.js';
import type { Encounter, OrderOut, PrescriptionOut, TestOut, TimelineEntry, VitalsOut } from '../../../src-shared/contract/records.js';
import type { RoleName } from '../../../src-shared/permissions.js';
import { MAX_ATTACHMENT_BYTES } from '../../../src-shared/schemas/records.js';
import { FORMULA_TRIGGER } from '../../core/csv.js';
import type { CallerContext } from '../../core/router.js';
import {
  cleanupTempDirs,
  codeOf,
  type DemoClinic,
  errorOf,
  expectOk,
  filesContaining,
  MINUTE,
  openDemoClinic,
  snapshotTables,
  TEST_START,
} from '../../testing/harness.js';
import { compareTimeline } from './rules.js';

/**
 * The clinical record through the router, on a copy of the encrypted demo clinic: who may read a
 * chart (and that every read is audited), encounters with amendments, vitals, the test catalog,
 * orders, results with attachments kept inside the database, prescriptions with their PDF, the
 * timeline and the per-patient CSV.
 */

let clinic: DemoClinic;
let sessions: Map<RoleName, CallerContext>;

beforeEach(async () => {
  clinic = await openDemoClinic();
  sessions = new Map();
});
afterEach(() => clinic.dispose());
afterAll(() => cleanupTempDirs());

// ---------------------------------------------------------------------------------------------
// Helpers

const sqlite = () => clinic.core.store.sqlite;
const patientId = (mrn: string) => sqlite().prepare('SELECT id FROM patients WHERE mrn = ?').pluck().get(mrn) as string;
const testId = (code: string) => sqlite().prepare('SELECT id FROM test_catalog WHERE code = ?').pluck().get(code) as string;
const userId = (username: string) => sqlite().prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
const USERNAMES: Record<RoleName, string> = {
  admin: 'admin',
  front_desk: 'frontdesk',
  doctor: 'doctor',
  nurse: 'nurse',
  pharmacist: 'pharmacist',
  patient: 'patient',
};

/** One session per role per test, signed in the first time it is needed. */
async function as(role: RoleName): Promise<CallerContext> {
  let caller = sessions.get(role);
  if (!caller) {
    caller = await clinic.signInAs(role);
    sessions.set(role, caller);
  }
  return caller;
}

async function ok<T>(role: RoleName, name: string, input: unknown): Promise<T> {
  return expectOk(await clinic.call(name, input, await as(role))) as T;
}

async function attempt(role: RoleName, name: string, input: unknown) {
  return clinic.call(name, input, await as(role));
}

/** One second later: entries made after it sort after those made before. */
const tick = (ms = 1000) => clinic.clock.advance(ms);

const lastAuditSeq = () => sqlite().prepare('SELECT COALESCE(MAX(seq), 0) FROM audit_log').pluck().get() as number;
interface AuditRow {
  procedure: string;
  user_id: string | null;
  entity: string | null;
  entity_id: string | null;
  outcome: string;
  severity: string;
  details: string;
}
const auditSince = (seq: number) =>
  sqlite().prepare('SELECT procedure, user_id, entity, entity_id, outcome, severity, details FROM audit_log WHERE seq > ? ORDER BY seq').all(seq) as AuditRow[];

/** Every table but the audit log, whose refusal rows are checked on their own. */
function clinicalSnapshot() {
  const { audit_log: _audit, ...rest } = snapshotTables(sqlite());
  return rest;
}

/** Asserts the call fails with the code and leaves every table, the audit log included, as it was. */
async function refusedWithoutTrace(role: RoleName, name: string, input: unknown, code: 'VALIDATION') {
  await as(role);
  const before = snapshotTables(sqlite());
  const result = await attempt(role, name, input);
  expect(codeOf(result)).toBe(code);
  expect(snapshotTables(sqlite())).toEqual(before);
  return errorOf(result);
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

// ---------------------------------------------------------------------------------------------
// Real files

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

/** A 2×2 RGB PNG; with a comment, a tEXt chunk whose words stay readable in the file's bytes. */
function png(comment?: string): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8;
  header[9] = 2;
  const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    ...(comment ? [pngChunk('tEXt', Buffer.from(`Comment\0${comment}`, 'latin1'))] : []),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF; with a mark, a plain string in its catalog that stays readable in the file's bytes. */
async function pdfFile(mark?: string): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]);
  if (mark) document.catalog.set(PDFName.of('AsclepiaMark'), PDFString.of(mark));
  return Buffer.from(await document.save({ useObjectStreams: false }));
}

/** The text each drawText call put on the pages (pdf-lib writes standard-font text as hex strings). */
async function pdfLines(bytes: Uint8Array): Promise<string[]> {
  const document = await PDFDocument.load(new Uint8Array(bytes));
  const lines: string[] = [];
  for (const page of document.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => document.context.lookup(ref)) : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const operators = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const match of operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) lines.push(Buffer.from(match[1] ?? '', 'hex').toString('latin1'));
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Building a chart

const ENCOUNTER = {
  complaint: 'Wheeze and cough for three days',
  findings: 'Bilateral expiratory wheeze, SpO2 94% on air',
  diagnoses: [{ text: 'Asthma exacerbation', icd10: 'J45.901' }],
  plan: 'Salbutamol via spacer, review in 48 hours',
};

const ITEM = { drug: 'Amoxicillin', dose: '500 mg', route: 'oral', frequency: 'three times a day', duration: '5 days', quantity: 15 };

interface Chart {
  patientId: string;
  encounterId: string;
  orderId: string;
  attachmentId: string;
  prescriptionId: string;
}

/** An encounter, vitals, an order resulted with a file, and a prescription, a second apart. */
async function seedChart(mrn: string): Promise<Chart> {
  const id = patientId(mrn);
  const encounter = await ok<Encounter>('doctor', 'encounters.create', { patientId: id, encounter: ENCOUNTER });
  tick();
  await ok<VitalsOut>('nurse', 'vitals.record', { patientId: id, vitals: { systolic: 128, diastolic: 84, pulse: 88, weightKg: 70, heightCm: 175 } });
  tick();
  const [order] = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: id, encounterId: encounter.id, testIds: [testId('CXR')] });
  tick();
  const resulted = await ok<OrderOut>('nurse', 'results.enter', {
    orderId: order?.id,
    version: order?.version,
    valueText: 'Hyperinflated lungs, no consolidation',
    attachments: [{ fileName: 'chest.png', contentBase64: b64(png()) }],
  });
  tick();
  const prescription = await ok<PrescriptionOut>('doctor', 'prescriptions.create', {
    patientId: id,
    encounterId: encounter.id,
    items: [{ ...ITEM, drug: 'Salbutamol inhaler', dose: '2 puffs', route: 'inhaled', frequency: 'as needed', quantity: 1 }],
  });
  tick();
  return {
    patientId: id,
    encounterId: encounter.id,
    orderId: resulted.id,
    attachmentId: resulted.result?.attachments[0]?.id as string,
    prescriptionId: prescription.id,
  };
}

const READS = ['records.timeline', 'encounters.get', 'vitals.series', 'orders.get', 'attachments.get', 'prescriptions.get', 'prescriptions.pdf'] as const;
type Read = (typeof READS)[number];

function readInput(name: Read, chart: Chart): unknown {
  switch (name) {
    case 'records.timeline':
    case 'vitals.series':
      return { patientId: chart.patientId };
    case 'encounters.get':
      return { id: chart.encounterId };
    case 'orders.get':
      return { id: chart.orderId };
    case 'attachments.get':
      return { id: chart.attachmentId };
    case 'prescriptions.get':
    case 'prescriptions.pdf':
      return { id: chart.prescriptionId };
  }
}

/**
 * Runs every clinical read of the chart as the role and returns the outcome of each; each must
 * leave exactly one audit row against the patient: ok (with the severity given) or denied.
 */
async function readChart(role: RoleName, chart: Chart, severity: 'normal' | 'high' = 'normal'): Promise<Record<Read, string>> {
  const caller = await as(role);
  const outcomes = {} as Record<Read, string>;
  for (const name of READS) {
    const seq = lastAuditSeq();
    const code = codeOf(await clinic.call(name, readInput(name, chart), caller));
    outcomes[name] = code;
    expect(auditSince(seq), `${name} as ${role}`).toEqual([
      expect.objectContaining({
        procedure: name,
        user_id: userId(USERNAMES[role]),
        entity: 'patient',
        entity_id: chart.patientId,
        outcome: code === 'OK' ? 'ok' : 'denied',
        ...(code === 'OK' ? { severity } : {}),
      }),
    ]);
  }
  return outcomes;
}

const all = (code: string) => Object.fromEntries(READS.map((name) => [name, code])) as Record<Read, string>;

// ---------------------------------------------------------------------------------------------

describe('who may read a chart (every read is audited against the patient)', () => {
  let grace: Chart;
  let samuel: Chart;
  beforeEach(async () => {
    grace = await seedChart('P-000001');
    samuel = await seedChart('P-000002');
  });

  it.each(['doctor', 'nurse'] as const)('%s reads any patient’s chart', async (role) => {
    expect(await readChart(role, grace)).toEqual(all('OK'));
    expect(await readChart(role, samuel)).toEqual(all('OK'));
  });

  it.each(['front_desk', 'admin'] as const)('%s, without clinical permission, is refused every clinical read', async (role) => {
    expect(await readChart(role, grace)).toEqual(all('FORBIDDEN'));
    expect(await readChart(role, samuel)).toEqual(all('FORBIDDEN'));
    expect(errorOf(await attempt(role, 'records.timeline', { patientId: grace.patientId })).message).toMatch(/Emergency access/);
  });

  it.each(['front_desk', 'admin'] as const)(
    '%s may read one patient’s chart for one hour after emergency access, each read audited with high severity',
    async (role) => {
      // The hour is longer than the idle lock.
      expectOk(await clinic.call('settings.updateSecurity', { idleLockMinutes: 240, requireTwoFactorForAdmins: false, version: 0 }, await as('admin')));
      await ok(role, 'emergency.open', { patientId: grace.patientId, reason: 'Collapsed in the waiting room, needs allergy history' });

      expect(await readChart(role, grace, 'high')).toEqual(all('OK'));
      expect(await readChart(role, samuel)).toEqual(all('FORBIDDEN'));
      const timeline = await ok<{ entries: TimelineEntry[] }>(role, 'records.timeline', { patientId: grace.patientId });
      expect(new Set(timeline.entries.map((entry) => entry.kind))).toEqual(new Set(['encounter', 'vitals', 'order', 'result', 'attachment', 'prescription']));

      clinic.clock.advance(59 * MINUTE);
      expect(codeOf(await attempt(role, 'encounters.get', { id: grace.encounterId }))).toBe('OK');
      clinic.clock.advance(MINUTE);
      expect(await readChart(role, grace)).toEqual(all('FORBIDDEN'));
    },
  );

  it('the pharmacist reads prescriptions (the timeline shows only them) and nothing else of the chart', async () => {
    expect(await readChart('pharmacist', grace)).toEqual({
      ...all('FORBIDDEN'),
      'records.timeline': 'OK',
      'prescriptions.get': 'OK',
      'prescriptions.pdf': 'OK',
    });
    const timeline = await ok<{ entries: TimelineEntry[] }>('pharmacist', 'records.timeline', { patientId: grace.patientId });
    expect(timeline.entries).toEqual([expect.objectContaining({ kind: 'prescription', id: grace.prescriptionId })]);
    const asked = await ok<{ entries: TimelineEntry[] }>('pharmacist', 'records.timeline', { patientId: grace.patientId, kinds: ['encounter', 'result'] });
    expect(asked.entries).toEqual([]);
  });

  it('the pharmacist sees the whole chart only through emergency access, audited with high severity', async () => {
    await ok('pharmacist', 'emergency.open', { patientId: grace.patientId, reason: 'Anaphylaxis at the counter, checking allergies' });
    expect(await readChart('pharmacist', grace, 'high')).toEqual(all('OK'));
    expect(await readChart('pharmacist', samuel)).toEqual({
      ...all('FORBIDDEN'),
      'records.timeline': 'OK',
      'prescriptions.get': 'OK',
      'prescriptions.pdf': 'OK',
    });
  });

  it('the patient reads their own chart and no one else’s', async () => {
    expect(await readChart('patient', grace)).toEqual(all('OK'));
    expect(await readChart('patient', samuel)).toEqual(all('FORBIDDEN'));
    expect(codeOf(await attempt('patient', 'records.exportCsv', { patientId: grace.patientId }))).toBe('OK');
    expect(codeOf(await attempt('patient', 'records.exportCsv', { patientId: samuel.patientId }))).toBe('FORBIDDEN');
  });

  it('a chart that does not exist is NOT_FOUND, not an empty page', async () => {
    expect(codeOf(await attempt('doctor', 'records.timeline', { patientId: 'no-such-patient' }))).toBe('NOT_FOUND');
    expect(codeOf(await attempt('doctor', 'encounters.get', { id: 'no-such-encounter' }))).toBe('NOT_FOUND');
    expect(codeOf(await attempt('doctor', 'orders.get', { id: 'no-such-order' }))).toBe('NOT_FOUND');
    expect(codeOf(await attempt('doctor', 'attachments.get', { id: 'no-such-file' }))).toBe('NOT_FOUND');
    expect(codeOf(await attempt('doctor', 'prescriptions.get', { id: 'no-such-prescription' }))).toBe('NOT_FOUND');
  });

  it('the nurse’s worklist for one patient is an audited read; front desk and pharmacy have no worklist', async () => {
    const seq = lastAuditSeq();
    await ok('nurse', 'orders.worklist', { patientId: grace.patientId });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'orders.worklist', entity: 'patient', entity_id: grace.patientId, outcome: 'ok' })]);
    for (const role of ['front_desk', 'pharmacist', 'patient'] as const) expect(codeOf(await attempt(role, 'orders.worklist', {}))).toBe('FORBIDDEN');
  });
});

// ---------------------------------------------------------------------------------------------

describe('encounters', () => {
  it('records diagnoses with ICD-10 codes checked (upper-cased) and a code optional', async () => {
    const grace = patientId('P-000001');
    const encounter = await ok<Encounter>('doctor', 'encounters.create', {
      patientId: grace,
      encounter: {
        ...ENCOUNTER,
        diagnoses: [
          { text: 'Asthma', icd10: 'J45' },
          { text: 'Asthma, unspecified', icd10: 'j45.909' },
          { text: 'Working diagnosis: viral illness' },
          { text: 'Allergic rhinitis', icd10: null },
        ],
      },
    });
    expect(encounter).toMatchObject({
      patientId: grace,
      doctor: { id: userId('doctor'), name: 'Dr. Daniel Mwangi' },
      occurredAt: TEST_START,
      revision: 1,
      version: 1,
      diagnoses: [
        { text: 'Asthma', icd10: 'J45' },
        { text: 'Asthma, unspecified', icd10: 'J45.909' },
        { text: 'Working diagnosis: viral illness', icd10: null },
        { text: 'Allergic rhinitis', icd10: null },
      ],
    });
    expect(encounter.revisions).toEqual([expect.objectContaining({ revision: 1, amendmentReason: null, complaint: ENCOUNTER.complaint })]);
    expect(await ok<Encounter>('nurse', 'encounters.get', { id: encounter.id })).toEqual(encounter);
  });

  it.each([
    ['45J', 'encounter.diagnoses.0.icd10'],
    ['J4', 'encounter.diagnoses.0.icd10'],
    ['U07', 'encounter.diagnoses.0.icd10'],
    ['J45.', 'encounter.diagnoses.0.icd10'],
    ['J45.90999', 'encounter.diagnoses.0.icd10'],
  ])('refuses the ICD-10 code %s at %s and writes nothing', async (icd10, path) => {
    const error = await refusedWithoutTrace(
      'doctor',
      'encounters.create',
      { patientId: patientId('P-000001'), encounter: { ...ENCOUNTER, diagnoses: [{ text: 'Asthma', icd10 }] } },
      'VALIDATION',
    );
    expect(error.fields).toMatchObject({ [path]: 'An ICD-10 code looks like J45 or J45.909' });
  });

  it('names the field of every other mistake: the second diagnosis, an empty plan, no diagnosis at all', async () => {
    const grace = patientId('P-000001');
    const second = await refusedWithoutTrace(
      'doctor',
      'encounters.create',
      {
        patientId: grace,
        encounter: {
          ...ENCOUNTER,
          diagnoses: [
            { text: 'Asthma', icd10: 'J45' },
            { text: 'Rhinitis', icd10: 'J4' },
          ],
        },
      },
      'VALIDATION',
    );
    expect(Object.keys(second.fields ?? {})).toEqual(['encounter.diagnoses.1.icd10']);
    const empty = await refusedWithoutTrace('doctor', 'encounters.create', { patientId: grace, encounter: { ...ENCOUNTER, plan: '   ' } }, 'VALIDATION');
    expect(empty.fields).toMatchObject({ 'encounter.plan': 'Enter the plan' });
    const none = await refusedWithoutTrace('doctor', 'encounters.create', { patientId: grace, encounter: { ...ENCOUNTER, diagnoses: [] } }, 'VALIDATION');
    expect(none.fields).toHaveProperty(['encounter.diagnoses']);
  });

  it('is written only by a doctor, for a patient who exists', async () => {
    const input = { patientId: patientId('P-000001'), encounter: ENCOUNTER };
    for (const role of ['nurse', 'front_desk', 'admin', 'pharmacist', 'patient'] as const)
      expect(codeOf(await attempt(role, 'encounters.create', input))).toBe('FORBIDDEN');
    expect(codeOf(await attempt('doctor', 'encounters.create', { ...input, patientId: 'no-such-patient' }))).toBe('NOT_FOUND');
    expect(sqlite().prepare('SELECT COUNT(*) FROM encounters').pluck().get()).toBe(0);
  });

  it('an amendment with a reason makes revision 2 and keeps revision 1 readable as it was', async () => {
    const grace = patientId('P-000001');
    const original = await ok<Encounter>('doctor', 'encounters.create', { patientId: grace, encounter: ENCOUNTER });
    tick(60_000);
    const corrected = {
      ...ENCOUNTER,
      findings: 'Bilateral expiratory wheeze, SpO2 96% on air',
      diagnoses: [{ text: 'Asthma, mild intermittent', icd10: 'J45.20' }],
    };
    const amended = await ok<Encounter>('doctor', 'encounters.amend', {
      id: original.id,
      version: 1,
      reason: 'SpO2 misread from the monitor',
      encounter: corrected,
    });
    expect(amended).toMatchObject({ id: original.id, revision: 2, version: 2, findings: corrected.findings, occurredAt: original.occurredAt });
    expect(amended.diagnoses).toEqual([{ text: 'Asthma, mild intermittent', icd10: 'J45.20' }]);
    expect(amended.revisions).toEqual([
      expect.objectContaining({ revision: 1, findings: ENCOUNTER.findings, diagnoses: ENCOUNTER.diagnoses, amendmentReason: null, at: TEST_START }),
      expect.objectContaining({
        revision: 2,
        findings: corrected.findings,
        amendmentReason: 'SpO2 misread from the monitor',
        by: { id: userId('doctor'), name: 'Dr. Daniel Mwangi' },
      }),
    ]);
    const read = await ok<Encounter>('doctor', 'encounters.get', { id: original.id });
    expect(read).toEqual(amended);
    expect(read.revisions[0]).toEqual(original.revisions[0]);

    // The timeline keeps one entry for the visit, with the current diagnoses, marked as amended.
    const timeline = await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: grace });
    expect(timeline.entries).toEqual([
      expect.objectContaining({ kind: 'encounter', id: original.id, title: 'Visit: Asthma, mild intermittent', detail: `${ENCOUNTER.complaint} (amended)` }),
    ]);

    tick();
    const third = await ok<Encounter>('doctor', 'encounters.amend', {
      id: original.id,
      version: 2,
      reason: 'Plan changed after review',
      encounter: { ...corrected, plan: 'Add inhaled steroid' },
    });
    expect(third.revisions.map((revision) => [revision.revision, revision.plan])).toEqual([
      [1, ENCOUNTER.plan],
      [2, ENCOUNTER.plan],
      [3, 'Add inhaled steroid'],
    ]);
  });

  it('a stale version is a CONFLICT and changes nothing', async () => {
    const original = await ok<Encounter>('doctor', 'encounters.create', { patientId: patientId('P-000001'), encounter: ENCOUNTER });
    await ok<Encounter>('doctor', 'encounters.amend', {
      id: original.id,
      version: 1,
      reason: 'Corrected the plan',
      encounter: { ...ENCOUNTER, plan: 'Review in a week' },
    });
    const before = clinicalSnapshot();
    const seq = lastAuditSeq();
    const result = await attempt('doctor', 'encounters.amend', {
      id: original.id,
      version: 1,
      reason: 'Second desk edit',
      encounter: { ...ENCOUNTER, plan: 'Admit' },
    });
    expect(codeOf(result)).toBe('CONFLICT');
    expect(clinicalSnapshot()).toEqual(before);
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'encounters.amend', outcome: 'error' })]);
    const read = await ok<Encounter>('doctor', 'encounters.get', { id: original.id });
    expect(read).toMatchObject({ plan: 'Review in a week', revision: 2, version: 2 });
    expect(codeOf(await attempt('doctor', 'encounters.amend', { id: 'no-such-encounter', version: 1, reason: 'Corrected it', encounter: ENCOUNTER }))).toBe(
      'NOT_FOUND',
    );
  });

  it('an amendment needs a reason of at least 5 characters', async () => {
    const original = await ok<Encounter>('doctor', 'encounters.create', { patientId: patientId('P-000001'), encounter: ENCOUNTER });
    const missing = await refusedWithoutTrace('doctor', 'encounters.amend', { id: original.id, version: 1, encounter: ENCOUNTER }, 'VALIDATION');
    expect(missing.fields).toHaveProperty(['reason']);
    const short = await refusedWithoutTrace(
      'doctor',
      'encounters.amend',
      { id: original.id, version: 1, reason: ' typo ', encounter: ENCOUNTER },
      'VALIDATION',
    );
    expect(short.fields).toMatchObject({ reason: 'Say why the encounter is being corrected (at least 5 characters)' });
    expect(codeOf(await attempt('nurse', 'encounters.amend', { id: original.id, version: 1, reason: 'Fixing a typo', encounter: ENCOUNTER }))).toBe(
      'FORBIDDEN',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('vitals', () => {
  const FULL = { systolic: 120, diastolic: 80, pulse: 72, temperatureC: 36.8, respiratoryRate: 16, spo2: 98, weightKg: 70, heightCm: 175, glucoseMmolL: 5.2 };

  it('records a full set, with BMI derived, by a nurse or a doctor', async () => {
    const grace = patientId('P-000001');
    const saved = await ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, vitals: FULL });
    expect(saved).toEqual({ id: expect.any(String), takenAt: TEST_START, by: { id: userId('nurse'), name: 'Nadia Petrova' }, ...FULL, bmi: 22.9 });
    tick();
    const pulseOnly = await ok<VitalsOut>('doctor', 'vitals.record', { patientId: grace, vitals: { pulse: 90 } });
    expect(pulseOnly).toMatchObject({ pulse: 90, systolic: null, weightKg: null, bmi: null, by: { name: 'Dr. Daniel Mwangi' } });
    for (const role of ['front_desk', 'pharmacist', 'admin', 'patient'] as const)
      expect(codeOf(await attempt(role, 'vitals.record', { patientId: grace, vitals: { pulse: 80 } }))).toBe('FORBIDDEN');
  });

  it('accepts the ends of every range', async () => {
    const grace = patientId('P-000001');
    const low = { systolic: 40, diastolic: 20, pulse: 20, temperatureC: 30, respiratoryRate: 4, spo2: 50, weightKg: 0.3, heightCm: 20, glucoseMmolL: 0.5 };
    const high = {
      systolic: 300,
      diastolic: 200,
      pulse: 250,
      temperatureC: 45,
      respiratoryRate: 80,
      spo2: 100,
      weightKg: 400,
      heightCm: 250,
      glucoseMmolL: 60,
    };
    expect(await ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, vitals: low })).toMatchObject(low);
    tick();
    expect(await ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, vitals: high })).toMatchObject(high);
  });

  it.each([
    [{ systolic: 39, diastolic: 30 }, 'vitals.systolic'],
    [{ systolic: 301, diastolic: 80 }, 'vitals.systolic'],
    [{ systolic: 120, diastolic: 19 }, 'vitals.diastolic'],
    [{ pulse: 251 }, 'vitals.pulse'],
    [{ pulse: 72.5 }, 'vitals.pulse'],
    [{ temperatureC: 29.9 }, 'vitals.temperatureC'],
    [{ temperatureC: 45.1 }, 'vitals.temperatureC'],
    [{ respiratoryRate: 3 }, 'vitals.respiratoryRate'],
    [{ spo2: 101 }, 'vitals.spo2'],
    [{ spo2: 49 }, 'vitals.spo2'],
    [{ weightKg: 0.2 }, 'vitals.weightKg'],
    [{ weightKg: 401 }, 'vitals.weightKg'],
    [{ heightCm: 251 }, 'vitals.heightCm'],
    [{ glucoseMmolL: 0.4 }, 'vitals.glucoseMmolL'],
    [{ glucoseMmolL: 61 }, 'vitals.glucoseMmolL'],
    [{ pulse: '72' }, 'vitals.pulse'],
    [{ systolic: 120 }, 'vitals.diastolic'],
    [{ diastolic: 80 }, 'vitals.diastolic'],
    [{ systolic: 80, diastolic: 80 }, 'vitals.systolic'],
    [{ systolic: 70, diastolic: 90 }, 'vitals.systolic'],
    [{}, 'vitals.systolic'],
    [{ systolic: null, diastolic: null, pulse: null, weightKg: null }, 'vitals.systolic'],
  ])('refuses %j at %s and writes nothing', async (vitals, path) => {
    const error = await refusedWithoutTrace('nurse', 'vitals.record', { patientId: patientId('P-000001'), vitals }, 'VALIDATION');
    expect(Object.keys(error.fields ?? {})).toContain(path);
  });

  it('says plainly what the cross-field rules want', async () => {
    const grace = patientId('P-000001');
    expect((await refusedWithoutTrace('nurse', 'vitals.record', { patientId: grace, vitals: { systolic: 120 } }, 'VALIDATION')).fields).toEqual({
      'vitals.diastolic': 'Blood pressure needs both numbers (systolic and diastolic)',
    });
    expect((await refusedWithoutTrace('nurse', 'vitals.record', { patientId: grace, vitals: { systolic: 80, diastolic: 90 } }, 'VALIDATION')).fields).toEqual({
      'vitals.systolic': 'Systolic pressure must be higher than diastolic',
    });
    expect((await refusedWithoutTrace('nurse', 'vitals.record', { patientId: grace, vitals: {} }, 'VALIDATION')).fields).toEqual({
      'vitals.systolic': 'Record at least one measurement',
    });
  });

  it('refuses a time in the future (by a millisecond) or not in the UTC format, and accepts now and the past', async () => {
    const grace = patientId('P-000001');
    const future = await refusedWithoutTrace(
      'nurse',
      'vitals.record',
      { patientId: grace, takenAt: '2026-03-02T08:00:00.001Z', vitals: { pulse: 80 } },
      'VALIDATION',
    );
    expect(future.fields).toHaveProperty(['takenAt']);
    for (const takenAt of ['2026-03-02T08:00:00Z', '2026-03-02T11:00:00.000+03:00', '2026-03-02', 'yesterday']) {
      const error = await refusedWithoutTrace('nurse', 'vitals.record', { patientId: grace, takenAt, vitals: { pulse: 80 } }, 'VALIDATION');
      expect(error.fields).toHaveProperty(['takenAt']);
    }
    expect(await ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, takenAt: TEST_START, vitals: { pulse: 80 } })).toMatchObject({
      takenAt: TEST_START,
    });
    expect(await ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, takenAt: '2026-03-01T20:00:00.000Z', vitals: { pulse: 81 } })).toMatchObject({
      takenAt: '2026-03-01T20:00:00.000Z',
    });
  });

  it('derives BMI from the weight and the latest height measured before it, never a later one', async () => {
    const grace = patientId('P-000001');
    const at = (hoursBefore: number) => new Date(Date.parse(TEST_START) - hoursBefore * 3_600_000).toISOString();
    const record = (hoursBefore: number, vitals: object) => ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, takenAt: at(hoursBefore), vitals });

    expect((await record(10, { weightKg: 68 })).bmi).toBeNull(); // no height yet
    expect((await record(8, { heightCm: 170 })).bmi).toBeNull(); // no weight
    expect((await record(6, { weightKg: 68, pulse: 70 })).bmi).toBe(23.5); // 68 / 1.70²
    expect((await record(5, { weightKg: 72, heightCm: 160 })).bmi).toBe(28.1); // its own height
    expect((await record(4, { weightKg: 72 })).bmi).toBe(28.1); // the 160 cm of an hour before
    expect((await record(9, { heightCm: 180 })).bmi).toBeNull(); // backdated, before the 170 cm
    expect((await record(8.5, { weightKg: 81 })).bmi).toBe(25); // 81 / 1.80²: the 170 cm came later
    expect((await record(7, { weightKg: 81 })).bmi).toBe(28); // 81 / 1.70²: the 170 cm is the latest before it

    const series = await ok<VitalsOut[]>('doctor', 'vitals.series', { patientId: grace });
    expect(series.map((vitals) => [vitals.takenAt, vitals.weightKg, vitals.heightCm, vitals.bmi])).toEqual([
      [at(10), 68, null, null],
      [at(9), null, 180, null],
      [at(8.5), 81, null, 25],
      [at(8), null, 170, null],
      [at(7), 81, null, 28],
      [at(6), 68, null, 23.5],
      [at(5), 72, 160, 28.1],
      [at(4), 72, null, 28.1],
    ]);
    // A short series still finds the height measured before its first row.
    const lastTwo = await ok<VitalsOut[]>('doctor', 'vitals.series', { patientId: grace, limit: 2 });
    expect(lastTwo.map((vitals) => vitals.bmi)).toEqual([28.1, 28.1]);
    const lastThree = await ok<VitalsOut[]>('doctor', 'vitals.series', { patientId: grace, limit: 3 });
    expect(lastThree.map((vitals) => vitals.bmi)).toEqual([23.5, 28.1, 28.1]);
    const lastFour = await ok<VitalsOut[]>('doctor', 'vitals.series', { patientId: grace, limit: 4 });
    expect(lastFour.map((vitals) => vitals.bmi)).toEqual([28, 23.5, 28.1, 28.1]);
    // Another patient's height is never borrowed.
    expect((await ok<VitalsOut>('nurse', 'vitals.record', { patientId: patientId('P-000002'), vitals: { weightKg: 90 } })).bmi).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('the test catalog', () => {
  const CRP = { code: 'crp', name: 'C-reactive protein', kind: 'test', priceMinor: 60000, unit: 'mg/L', refLow: 0, refHigh: 10, refText: null, active: true };

  it('the administrator adds a test and changes it with its version', async () => {
    const created = await ok<TestOut>('admin', 'catalog.saveTest', { test: CRP });
    expect(created).toMatchObject({ code: 'CRP', name: 'C-reactive protein', version: 1, active: true, refLow: 0, refHigh: 10 });
    expect((await ok<TestOut[]>('doctor', 'catalog.tests', {})).map((test) => test.code)).toContain('CRP');

    tick();
    const changed = await ok<TestOut>('admin', 'catalog.saveTest', { id: created.id, version: 1, test: { ...CRP, name: 'CRP (quantitative)', refHigh: 5 } });
    expect(changed).toMatchObject({ id: created.id, code: 'CRP', name: 'CRP (quantitative)', refHigh: 5, version: 2 });

    const before = clinicalSnapshot();
    expect(codeOf(await attempt('admin', 'catalog.saveTest', { id: created.id, version: 1, test: { ...CRP, name: 'Stale edit' } }))).toBe('CONFLICT');
    expect(clinicalSnapshot()).toEqual(before);
    expect(errorOf(await attempt('admin', 'catalog.saveTest', { id: created.id, test: CRP })).fields).toHaveProperty(['version']);

    const audit = sqlite().prepare(`SELECT entity, entity_id FROM audit_log WHERE procedure = 'catalog.saveTest' AND outcome = 'ok'`).all();
    expect(audit).toEqual([
      { entity: 'test_catalog', entity_id: created.id },
      { entity: 'test_catalog', entity_id: created.id },
    ]);
  });

  it('refuses a code already taken, whatever its case, on a new test and on a change', async () => {
    await as('admin');
    const before = clinicalSnapshot();
    const duplicate = errorOf(await attempt('admin', 'catalog.saveTest', { test: { ...CRP, code: 'hb' } }));
    expect(duplicate).toMatchObject({ code: 'CONFLICT', fields: { code: 'This code is taken.' } });
    expect(clinicalSnapshot()).toEqual(before);

    const created = await ok<TestOut>('admin', 'catalog.saveTest', { test: CRP });
    expect(codeOf(await attempt('admin', 'catalog.saveTest', { id: created.id, version: 1, test: { ...CRP, code: 'FBG' } }))).toBe('CONFLICT');
    // Keeping its own code is no clash.
    expect(await ok<TestOut>('admin', 'catalog.saveTest', { id: created.id, version: 1, test: { ...CRP, priceMinor: 65000 } })).toMatchObject({
      code: 'CRP',
      priceMinor: 65000,
    });
  });

  it('validates the fields: code shape, price in whole cents, a range that is not upside down', async () => {
    const cases: Array<[object, string]> = [
      [{ ...CRP, code: 'C' }, 'test.code'],
      [{ ...CRP, code: 'C R P' }, 'test.code'],
      [{ ...CRP, priceMinor: 12.5 }, 'test.priceMinor'],
      [{ ...CRP, priceMinor: -1 }, 'test.priceMinor'],
      [{ ...CRP, refLow: 10, refHigh: 1 }, 'test.refHigh'],
      [{ ...CRP, kind: 'panel' }, 'test.kind'],
      [{ ...CRP, name: '' }, 'test.name'],
    ];
    for (const [test, path] of cases) {
      const error = await refusedWithoutTrace('admin', 'catalog.saveTest', { test }, 'VALIDATION');
      expect(Object.keys(error.fields ?? {}), JSON.stringify(test)).toContain(path);
    }
  });

  it('is changed only by the administrator', async () => {
    for (const role of ['doctor', 'nurse', 'front_desk', 'pharmacist', 'patient'] as const)
      expect(codeOf(await attempt(role, 'catalog.saveTest', { test: CRP }))).toBe('FORBIDDEN');
    expect(codeOf(await attempt('front_desk', 'catalog.tests', {}))).toBe('FORBIDDEN');
  });

  it('an inactive test is hidden from the catalog unless asked for, and cannot be ordered', async () => {
    const hb = (await ok<TestOut[]>('admin', 'catalog.tests', {})).find((test) => test.code === 'HB') as TestOut;
    await ok<TestOut>('admin', 'catalog.saveTest', {
      id: hb.id,
      version: hb.version,
      test: { code: 'HB', name: hb.name, kind: hb.kind, priceMinor: hb.priceMinor, unit: hb.unit, refLow: hb.refLow, refHigh: hb.refHigh, active: false },
    });
    expect((await ok<TestOut[]>('doctor', 'catalog.tests', {})).map((test) => test.code)).not.toContain('HB');
    expect((await ok<TestOut[]>('doctor', 'catalog.tests', { includeInactive: true })).find((test) => test.code === 'HB')).toMatchObject({ active: false });

    const error = await refusedWithoutTrace('doctor', 'orders.create', { patientId: patientId('P-000001'), testIds: [testId('FBG'), hb.id] }, 'VALIDATION');
    expect(error.fields).toHaveProperty(['testIds']);
    const unknown = await refusedWithoutTrace('doctor', 'orders.create', { patientId: patientId('P-000001'), testIds: ['no-such-test'] }, 'VALIDATION');
    expect(unknown.fields).toHaveProperty(['testIds']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('orders and results', () => {
  it('orders several tests; the worklist shows them oldest first and drops each once resulted', async () => {
    const grace = patientId('P-000001');
    const samuel = patientId('P-000002');
    const first = await ok<OrderOut[]>('doctor', 'orders.create', {
      patientId: grace,
      testIds: [testId('HB'), testId('FBG'), testId('MRDT')],
      notes: 'Fasting since 22:00',
    });
    expect(first.map((order) => [order.test.code, order.status, order.notes, order.result])).toEqual([
      ['HB', 'ordered', 'Fasting since 22:00', null],
      ['FBG', 'ordered', 'Fasting since 22:00', null],
      ['MRDT', 'ordered', 'Fasting since 22:00', null],
    ]);
    expect(first[0]).toMatchObject({
      patient: { id: grace, mrn: 'P-000001', name: expect.stringContaining('Njeri') },
      orderedBy: { name: 'Dr. Daniel Mwangi' },
      version: 1,
    });
    tick();
    const second = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: samuel, testIds: [testId('WBC')] });

    const worklist = await ok<OrderOut[]>('nurse', 'orders.worklist', {});
    expect(worklist.map((order) => order.id)).toEqual([...first, ...second].map((order) => order.id));
    expect(worklist.map((order) => order.orderedAt)).toEqual([TEST_START, TEST_START, TEST_START, '2026-03-02T08:00:01.000Z']);
    expect((await ok<OrderOut[]>('doctor', 'orders.worklist', { patientId: samuel })).map((order) => order.id)).toEqual(second.map((order) => order.id));

    tick();
    const [hb, fbg, mrdt] = first as [OrderOut, OrderOut, OrderOut];
    const low = await ok<OrderOut>('nurse', 'results.enter', { orderId: hb.id, version: hb.version, valueNumeric: 10.5 });
    expect(low).toMatchObject({ status: 'resulted', version: 2 });
    expect(low.result).toMatchObject({
      valueNumeric: 10.5,
      unit: 'g/dL',
      refLow: 12,
      refHigh: 17.5,
      flag: 'low',
      by: { name: 'Nadia Petrova' },
      attachments: [],
    });
    expect((await ok<OrderOut>('nurse', 'results.enter', { orderId: fbg.id, version: 1, valueNumeric: 5.5, unit: 'mmol/L' })).result).toMatchObject({
      flag: 'normal',
    });
    expect((await ok<OrderOut>('nurse', 'results.enter', { orderId: second[0]?.id, version: 1, valueNumeric: 11.2 })).result).toMatchObject({ flag: 'high' });
    expect((await ok<OrderOut>('nurse', 'results.enter', { orderId: mrdt.id, version: 1, valueText: 'Negative' })).result).toMatchObject({
      valueNumeric: null,
      valueText: 'Negative',
      flag: 'none',
    });
    expect(await ok<OrderOut[]>('nurse', 'orders.worklist', {})).toEqual([]);
    expect(await ok<OrderOut>('doctor', 'orders.get', { id: hb.id })).toEqual(low);

    const flags = (await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: grace, kinds: ['result'] })).entries.map((entry) => [
      entry.title,
      entry.detail,
      entry.flag,
    ]);
    expect(flags).toEqual(
      expect.arrayContaining([
        ['Result: Haemoglobin', '10.5 g/dL', 'low'],
        ['Result: Fasting blood glucose', '5.5 mmol/L', 'normal'],
        ['Result: Malaria rapid diagnostic test', 'Negative', 'none'],
      ]),
    );
  });

  it('flags the ends of the reference range as normal', async () => {
    const grace = patientId('P-000001');
    const orders = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: grace, testIds: [testId('HB'), testId('HB'), testId('HB'), testId('HB')] });
    tick();
    const flags = [];
    for (const [index, value] of [11.99, 12, 17.5, 17.51].entries()) {
      const order = orders[index] as OrderOut;
      flags.push((await ok<OrderOut>('nurse', 'results.enter', { orderId: order.id, version: 1, valueNumeric: value })).result?.flag);
    }
    expect(flags).toEqual(['low', 'normal', 'normal', 'high']);
  });

  it('a second result for the same order is a CONFLICT and changes nothing', async () => {
    const [order] = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: patientId('P-000001'), testIds: [testId('HB')] });
    tick();
    const resulted = await ok<OrderOut>('nurse', 'results.enter', { orderId: order?.id, version: 1, valueNumeric: 13 });
    const before = clinicalSnapshot();
    expect(codeOf(await attempt('nurse', 'results.enter', { orderId: order?.id, version: resulted.version, valueNumeric: 9 }))).toBe('CONFLICT');
    expect(codeOf(await attempt('nurse', 'results.enter', { orderId: order?.id, version: 1, valueNumeric: 9 }))).toBe('CONFLICT');
    expect(clinicalSnapshot()).toEqual(before);
    expect((await ok<OrderOut>('doctor', 'orders.get', { id: order?.id })).result).toMatchObject({ valueNumeric: 13, flag: 'normal' });
  });

  it('a stale version of an order still awaiting its result is a CONFLICT', async () => {
    const [order] = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: patientId('P-000001'), testIds: [testId('HB')] });
    await as('nurse');
    const before = clinicalSnapshot();
    expect(codeOf(await attempt('nurse', 'results.enter', { orderId: order?.id, version: 7, valueNumeric: 13 }))).toBe('CONFLICT');
    expect(clinicalSnapshot()).toEqual(before);
    expect(codeOf(await attempt('nurse', 'results.enter', { orderId: 'no-such-order', version: 1, valueNumeric: 13 }))).toBe('NOT_FOUND');
  });

  it('a result needs a value, a text or a file; only nurses enter results, only doctors order', async () => {
    const grace = patientId('P-000001');
    const [order] = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: grace, testIds: [testId('HB')] });
    const empty = await refusedWithoutTrace('nurse', 'results.enter', { orderId: order?.id, version: 1, valueText: '   ' }, 'VALIDATION');
    expect(empty.fields).toHaveProperty(['valueNumeric']);
    const notNumber = await refusedWithoutTrace('nurse', 'results.enter', { orderId: order?.id, version: 1, valueNumeric: '13' }, 'VALIDATION');
    expect(notNumber.fields).toMatchObject({ valueNumeric: 'The value must be a number' });
    for (const role of ['doctor', 'front_desk', 'pharmacist', 'admin', 'patient'] as const)
      expect(codeOf(await attempt(role, 'results.enter', { orderId: order?.id, version: 1, valueNumeric: 13 }))).toBe('FORBIDDEN');
    for (const role of ['nurse', 'front_desk', 'pharmacist', 'admin', 'patient'] as const)
      expect(codeOf(await attempt(role, 'orders.create', { patientId: grace, testIds: [testId('HB')] }))).toBe('FORBIDDEN');
    expect(errorOf(await attempt('doctor', 'orders.create', { patientId: grace, testIds: [] })).fields).toMatchObject({ testIds: 'Choose at least one test' });
  });

  it('an order refers to one of this patient’s own encounters', async () => {
    const samuelVisit = await ok<Encounter>('doctor', 'encounters.create', { patientId: patientId('P-000002'), encounter: ENCOUNTER });
    const error = await refusedWithoutTrace(
      'doctor',
      'orders.create',
      { patientId: patientId('P-000001'), encounterId: samuelVisit.id, testIds: [testId('HB')] },
      'VALIDATION',
    );
    expect(error.fields).toHaveProperty(['encounterId']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('attachments', () => {
  async function orderFor(mrn = 'P-000001', code = 'CXR'): Promise<OrderOut> {
    const [order] = await ok<OrderOut[]>('doctor', 'orders.create', { patientId: patientId(mrn), testIds: [testId(code)] });
    tick();
    return order as OrderOut;
  }

  it('keeps real PNG, JPEG and PDF files inside the encrypted database and gives the same bytes back', async () => {
    const pngMark = 'ASCLEPIA-PNG-MARK-5c1e7a';
    const pdfMark = 'ASCLEPIA-PDF-MARK-93b0d4';
    const markedPng = png(pngMark);
    const markedPdf = await pdfFile(pdfMark);
    const files = [
      { fileName: 'chest-pa.png', bytes: markedPng, mimeType: 'image/png' },
      { fileName: 'ecg.jpg', bytes: JPEG, mimeType: 'image/jpeg' },
      { fileName: 'radiology-report.pdf', bytes: markedPdf, mimeType: 'application/pdf' },
      // The name is not trusted: this is a PNG whatever it is called.
      { fileName: 'scan.pdf', bytes: png(), mimeType: 'image/png' },
    ];
    // The marks really are readable in the files themselves.
    expect(markedPng.includes(pngMark)).toBe(true);
    expect(markedPdf.includes(pdfMark)).toBe(true);

    const order = await orderFor();
    const resulted = await ok<OrderOut>('nurse', 'results.enter', {
      orderId: order.id,
      version: order.version,
      valueText: 'No acute cardiopulmonary process',
      attachments: files.map((file) => ({ fileName: file.fileName, contentBase64: b64(file.bytes) })),
    });
    const stored = resulted.result?.attachments ?? [];
    expect(stored.map((file) => [file.fileName, file.mimeType, file.sizeBytes])).toEqual(
      files.map((file) => [file.fileName, file.mimeType, file.bytes.length]),
    );
    for (const [index, file] of files.entries()) {
      const got = await ok<{ id: string; fileName: string; mimeType: string; contentBase64: string }>('doctor', 'attachments.get', { id: stored[index]?.id });
      expect(got).toEqual({ id: stored[index]?.id, fileName: file.fileName, mimeType: file.mimeType, contentBase64: b64(file.bytes) });
      expect(Buffer.from(got.contentBase64, 'base64').equals(file.bytes)).toBe(true);
    }
    // Viewing a file is a read of the patient's record.
    expect(sqlite().prepare(`SELECT entity, entity_id, outcome FROM audit_log WHERE procedure = 'attachments.get'`).all()).toEqual(
      files.map(() => ({ entity: 'patient', entity_id: patientId('P-000001'), outcome: 'ok' })),
    );

    clinic.core.store.checkpoint();
    expect(filesContaining(clinic.dataDir, pngMark)).toEqual([]);
    expect(filesContaining(clinic.dataDir, pdfMark)).toEqual([]);
    expect(filesContaining(clinic.dataDir, 'radiology-report.pdf')).toEqual([]);
    expect(filesContaining(clinic.dataDir, 'No acute cardiopulmonary process')).toEqual([]);

    // The timeline shows each file.
    const entries = (await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: patientId('P-000001'), kinds: ['attachment'] })).entries;
    expect(entries.map((entry) => [entry.title, entry.detail]).sort()).toEqual([
      ['File: chest-pa.png', 'Image'],
      ['File: ecg.jpg', 'Image'],
      ['File: radiology-report.pdf', 'PDF document'],
      ['File: scan.pdf', 'Image'],
    ]);
  });

  it('accepts a file as the whole result', async () => {
    const order = await orderFor();
    const resulted = await ok<OrderOut>('nurse', 'results.enter', {
      orderId: order.id,
      version: 1,
      attachments: [{ fileName: 'film.jpg', contentBase64: b64(JPEG) }],
    });
    expect(resulted.result).toMatchObject({
      valueNumeric: null,
      valueText: null,
      flag: 'none',
      attachments: [{ fileName: 'film.jpg', mimeType: 'image/jpeg' }],
    });
  });

  it.each([
    ['random bytes named .png', 'xray.png', Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 73 + 11) % 256))],
    ['a GIF named .png', 'photo.png', Buffer.from('GIF89a\x02\x00\x02\x00\x80\x00\x00', 'latin1')],
    ['an HTML page named .pdf', 'report.pdf', Buffer.from('<!doctype html><p>%PDF-1.7</p>')],
    ['a ZIP named .jpg', 'scan.jpg', Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1')],
    ['a truncated PNG signature', 'cut.png', PNG_SIGNATURE.subarray(0, 6)],
  ])('refuses %s, naming the file, and writes nothing', async (_label, fileName, bytes) => {
    const order = await orderFor();
    const error = await refusedWithoutTrace(
      'nurse',
      'results.enter',
      {
        orderId: order.id,
        version: 1,
        valueText: 'See attached',
        attachments: [
          { fileName: 'fine.png', contentBase64: b64(png()) },
          { fileName, contentBase64: b64(bytes) },
        ],
      },
      'VALIDATION',
    );
    expect(error.message).toContain(fileName);
    expect(error.fields).toEqual({ 'attachments.1': 'Attach JPEG or PNG images, or PDF documents.' });
    expect((await ok<OrderOut>('doctor', 'orders.get', { id: order.id })).status).toBe('ordered');
  });

  it('refuses an empty file', async () => {
    const order = await orderFor();
    const error = await refusedWithoutTrace(
      'nurse',
      'results.enter',
      { orderId: order.id, version: 1, valueText: 'See attached', attachments: [{ fileName: 'empty.pdf', contentBase64: '' }] },
      'VALIDATION',
    );
    expect(error.message).toContain('empty.pdf');
    expect(error.fields).toHaveProperty(['attachments.0']);
  });

  it('refuses a file over 20 MB, even one that begins like a PNG, and accepts one of exactly 20 MB', async () => {
    const order = await orderFor();
    const big = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 0x41);
    PNG_SIGNATURE.copy(big);
    const error = await refusedWithoutTrace(
      'nurse',
      'results.enter',
      { orderId: order.id, version: 1, valueText: 'Scan', attachments: [{ fileName: 'huge-scan.png', contentBase64: b64(big) }] },
      'VALIDATION',
    );
    expect(error.message).toContain('huge-scan.png');
    expect(error.message).toContain('20 MB');
    expect(error.fields).toEqual({ 'attachments.0': 'A file can be at most 20 MB.' });

    const limit = big.subarray(0, MAX_ATTACHMENT_BYTES);
    const resulted = await ok<OrderOut>('nurse', 'results.enter', {
      orderId: order.id,
      version: 1,
      attachments: [{ fileName: 'limit.png', contentBase64: b64(limit) }],
    });
    expect(resulted.result?.attachments).toEqual([expect.objectContaining({ fileName: 'limit.png', sizeBytes: MAX_ATTACHMENT_BYTES })]);
  });

  it('refuses more than 10 files on one result', async () => {
    const order = await orderFor();
    const attachments = Array.from({ length: 11 }, (_, index) => ({ fileName: `page-${index}.png`, contentBase64: b64(png()) }));
    const error = await refusedWithoutTrace('nurse', 'results.enter', { orderId: order.id, version: 1, attachments }, 'VALIDATION');
    expect(error.fields).toMatchObject({ attachments: 'At most 10 files per result' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('prescriptions', () => {
  it('prescribes several drugs; missing instructions are null', async () => {
    const grace = patientId('P-000001');
    const visit = await ok<Encounter>('doctor', 'encounters.create', { patientId: grace, encounter: ENCOUNTER });
    const prescription = await ok<PrescriptionOut>('doctor', 'prescriptions.create', {
      patientId: grace,
      encounterId: visit.id,
      items: [
        ITEM,
        { ...ITEM, drug: 'Paracetamol', dose: '1 g', frequency: 'every 6 hours', duration: '3 days', quantity: 12, instructions: '  Not more than 4 g a day ' },
      ],
      notes: 'Penicillin allergy noted: switched below',
    });
    expect(prescription).toEqual({
      id: expect.any(String),
      patientId: grace,
      prescriber: { id: userId('doctor'), name: 'Dr. Daniel Mwangi' },
      prescribedAt: TEST_START,
      encounterId: visit.id,
      items: [
        { ...ITEM, instructions: null },
        { ...ITEM, drug: 'Paracetamol', dose: '1 g', frequency: 'every 6 hours', duration: '3 days', quantity: 12, instructions: 'Not more than 4 g a day' },
      ],
      notes: 'Penicillin allergy noted: switched below',
    });
    expect(await ok<PrescriptionOut>('pharmacist', 'prescriptions.get', { id: prescription.id })).toEqual(prescription);
    for (const role of ['nurse', 'pharmacist', 'front_desk', 'admin', 'patient'] as const)
      expect(codeOf(await attempt(role, 'prescriptions.create', { patientId: grace, items: [ITEM] }))).toBe('FORBIDDEN');
  });

  it.each([
    ['a quantity of 0', [{ ...ITEM, quantity: 0 }], 'items.0.quantity', 'Quantity is at least 1'],
    ['a quantity of 2.5', [{ ...ITEM, quantity: 2.5 }], 'items.0.quantity', 'Quantity is a whole number'],
    ['a quantity of 10,001', [{ ...ITEM, quantity: 10_001 }], 'items.0.quantity', 'Quantity is at most 10,000'],
    ['a quantity as text', [ITEM, { ...ITEM, quantity: '10' }], 'items.1.quantity', 'Quantity must be a number'],
    ['an unknown route', [ITEM, { ...ITEM, route: 'by mouth' }], 'items.1.route', 'Choose a route'],
    ['a blank drug', [{ ...ITEM, drug: '  ' }], 'items.0.drug', 'Enter the drug'],
    ['an empty dose', [{ ...ITEM, dose: '' }], 'items.0.dose', 'Enter the dose'],
    ['an empty frequency', [{ ...ITEM, frequency: '' }], 'items.0.frequency', 'Enter the frequency'],
    ['a duration of 101 characters', [{ ...ITEM, duration: 'x'.repeat(101) }], 'items.0.duration', 'Keep the duration under 100 characters'],
    ['instructions of 501 characters', [{ ...ITEM, instructions: 'x'.repeat(501) }], 'items.0.instructions', 'Keep the instructions under 500 characters'],
    ['an unknown field', [{ ...ITEM, refills: 2 }], 'items.0', expect.any(String)],
    ['no drug at all', [], 'items', 'Add at least one drug'],
    ['21 drugs', Array.from({ length: 21 }, () => ITEM), 'items', 'At most 20 drugs on one prescription'],
  ])('refuses %s and writes nothing', async (_label, items, path, message) => {
    const error = await refusedWithoutTrace('doctor', 'prescriptions.create', { patientId: patientId('P-000001'), items }, 'VALIDATION');
    expect(error.fields).toMatchObject({ [path]: message });
  });

  it('refers only to one of this patient’s encounters', async () => {
    const samuelVisit = await ok<Encounter>('doctor', 'encounters.create', { patientId: patientId('P-000002'), encounter: ENCOUNTER });
    const error = await refusedWithoutTrace(
      'doctor',
      'prescriptions.create',
      { patientId: patientId('P-000001'), encounterId: samuelVisit.id, items: [ITEM] },
      'VALIDATION',
    );
    expect(error.fields).toHaveProperty(['encounterId']);
  });

  it('prints as a PDF that parses, with the patient, the allergies, each drug and the prescriber; the printing is audited', async () => {
    const grace = patientId('P-000001');
    const prescription = await ok<PrescriptionOut>('doctor', 'prescriptions.create', {
      patientId: grace,
      items: [{ ...ITEM, drug: 'Azithromycin', dose: '500 mg', instructions: 'Take with food.\nAvoid antacids within 2 hours.' }],
      notes: 'Penicillin allergy: macrolide chosen',
    });
    await as('pharmacist');
    const seq = lastAuditSeq();
    const printed = await ok<{ fileName: string; pdfBase64: string }>('pharmacist', 'prescriptions.pdf', { id: prescription.id });
    expect(printed.fileName).toBe('prescription-P-000001-2026-03-02.pdf');
    const bytes = Buffer.from(printed.pdfBase64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const document = await PDFDocument.load(new Uint8Array(bytes));
    expect(document.getPageCount()).toBeGreaterThanOrEqual(1);
    const lines = await pdfLines(bytes);
    expect(lines).toEqual(
      expect.arrayContaining([
        'Asclepia Demo Clinic',
        'Prescription',
        'Patient: Grace Njeri MRN: P-000001 Born: 1988-04-12',
        'Allergies: Penicillin (severe)',
        // Nairobi time, three hours ahead of UTC.
        'Date: Monday, 2 March 2026 at 11:00',
        '1. Azithromycin 500 mg',
        'oral, three times a day, for 5 days. Quantity: 15',
        // A line break in the instructions starts a new line on paper.
        'Take with food.',
        'Avoid antacids within 2 hours.',
        'Notes: Penicillin allergy: macrolide chosen',
        'Dr. Daniel Mwangi',
      ]),
    );
    expect(auditSince(seq)).toEqual([
      expect.objectContaining({
        procedure: 'prescriptions.pdf',
        entity: 'patient',
        entity_id: grace,
        outcome: 'ok',
        details: expect.stringContaining('"printed":true'),
      }),
    ]);
  });

  it('prints a patient named in another script without failing (characters the font lacks become ?)', async () => {
    const registered = await ok<PatientRecord>('front_desk', 'patients.register', {
      patient: {
        givenName: 'Αλέξης',
        familyName: 'Παπαδόπουλος',
        sex: 'male',
        birthDate: '1980-05-05',
        allergies: [{ substance: 'Πενικιλίνη', severity: 'severe' }],
      },
    });
    const prescription = await ok<PrescriptionOut>('doctor', 'prescriptions.create', {
      patientId: registered.id,
      items: [{ ...ITEM, drug: 'Амоксициллин', instructions: '饭后服用 🙂 — après le repas' }],
    });
    const printed = await ok<{ fileName: string; pdfBase64: string }>('doctor', 'prescriptions.pdf', { id: prescription.id });
    expect(printed.fileName).toBe(`prescription-${registered.mrn}-2026-03-02.pdf`);
    const bytes = Buffer.from(printed.pdfBase64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await PDFDocument.load(new Uint8Array(bytes))).getPageCount()).toBeGreaterThanOrEqual(1);
    const lines = await pdfLines(bytes);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Patient: \?+ \?+ +MRN: /), expect.stringMatching(/^1\. \?+ 500 mg$/)]));
    expect(lines.some((line) => line.includes('apr\u00e8s le repas'))).toBe(true);
  });

  it('runs onto more pages when the prescription is long', async () => {
    const items = Array.from({ length: 20 }, (_, index) => ({
      ...ITEM,
      drug: `Drug number ${index + 1}`,
      instructions: 'Take it exactly as directed. '.repeat(17).trim(),
    }));
    const prescription = await ok<PrescriptionOut>('doctor', 'prescriptions.create', { patientId: patientId('P-000001'), items });
    const printed = await ok<{ pdfBase64: string }>('doctor', 'prescriptions.pdf', { id: prescription.id });
    const bytes = Buffer.from(printed.pdfBase64, 'base64');
    expect((await PDFDocument.load(new Uint8Array(bytes))).getPageCount()).toBeGreaterThan(1);
    const lines = await pdfLines(bytes);
    expect(lines).toEqual(expect.arrayContaining(['1. Drug number 1 500 mg', '20. Drug number 20 500 mg', 'Dr. Daniel Mwangi']));
  });
});

// ---------------------------------------------------------------------------------------------

describe('the timeline', () => {
  const key = (entry: { kind: string; id: string }) => `${entry.kind}:${entry.id}`;

  async function pageThrough(role: RoleName, patient: string, limit: number, kinds?: string[]): Promise<TimelineEntry[]> {
    const seen: TimelineEntry[] = [];
    let after: { at: string; id: string } | null | undefined;
    for (let pages = 0; pages < 1000; pages += 1) {
      const page = await ok<{ entries: TimelineEntry[]; next: { at: string; id: string } | null }>(role, 'records.timeline', {
        patientId: patient,
        limit,
        ...(kinds ? { kinds } : {}),
        ...(after ? { after } : {}),
      });
      expect(page.entries.length).toBeLessThanOrEqual(limit);
      seen.push(...page.entries);
      after = page.next;
      if (!after) break;
    }
    return seen;
  }

  it('shows entries of every kind, newest first, with who made them', async () => {
    const chart = await seedChart('P-000001');
    const { entries, next } = await ok<{ entries: TimelineEntry[]; next: unknown }>('doctor', 'records.timeline', { patientId: chart.patientId });
    expect(next).toBeNull();
    expect(entries.map((entry) => [entry.kind, entry.id])).toEqual([
      ['prescription', chart.prescriptionId],
      ['attachment', chart.attachmentId],
      ['result', chart.orderId],
      ['order', chart.orderId],
      ['vitals', expect.any(String)],
      ['encounter', chart.encounterId],
    ]);
    expect(entries.map((entry) => entry.at)).toEqual([...entries.map((entry) => entry.at)].sort().reverse());
    expect(entries.map((entry) => [entry.title, entry.detail, entry.by, entry.flag])).toEqual([
      ['Prescription', 'Salbutamol inhaler 2 puffs', 'Dr. Daniel Mwangi', null],
      ['File: chest.png', 'Image', 'Nadia Petrova', null],
      ['Result: Chest X-ray', 'Hyperinflated lungs, no consolidation', 'Nadia Petrova', 'none'],
      ['Ordered: Chest X-ray', 'Resulted', 'Dr. Daniel Mwangi', null],
      ['Vitals', 'BP 128/84, pulse 88, 70 kg', 'Nadia Petrova', null],
      ['Visit: Asthma exacerbation', ENCOUNTER.complaint, 'Dr. Daniel Mwangi', null],
    ]);
    // Another patient's chart is its own.
    expect((await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: patientId('P-000002') })).entries).toEqual([]);
  });

  it('filters by kind', async () => {
    const chart = await seedChart('P-000001');
    const read = async (kinds: string[]) =>
      (await ok<{ entries: TimelineEntry[] }>('nurse', 'records.timeline', { patientId: chart.patientId, kinds })).entries.map((entry) => entry.kind);
    expect(await read(['vitals', 'prescription'])).toEqual(['prescription', 'vitals']);
    expect(await read(['result'])).toEqual(['result']);
    expect(await read(['order', 'encounter'])).toEqual(['order', 'encounter']);
    expect(await read([])).toEqual([]);
    expect(codeOf(await attempt('nurse', 'records.timeline', { patientId: chart.patientId, kinds: ['invoice'] }))).toBe('VALIDATION');
  });

  it('pages through 120+ entries, many made in the same millisecond, returning each exactly once in order', async () => {
    const grace = patientId('P-000001');
    const codes = ['HB', 'FBG', 'MRDT', 'WBC', 'CXR'];
    await ok<Encounter>('doctor', 'encounters.create', { patientId: grace, encounter: ENCOUNTER });
    tick();
    for (let index = 0; index < 40; index += 1) {
      await ok<VitalsOut>('nurse', 'vitals.record', { patientId: grace, vitals: { pulse: 60 + index } });
      tick();
    }
    // Thirty orders in one call share their instant; so do the results entered below.
    const orders = await ok<OrderOut[]>('doctor', 'orders.create', {
      patientId: grace,
      testIds: Array.from({ length: 30 }, (_, index) => testId(codes[index % 5] as string)),
    });
    tick();
    // Results entered newest order first (so the results' own ids run against their orders'), a few
    // with files, all in the same millisecond.
    const toResult = orders.slice(0, 25).reverse();
    for (const [index, order] of toResult.entries()) {
      await ok<OrderOut>('nurse', 'results.enter', {
        orderId: order.id,
        version: order.version,
        ...(order.test.refLow !== null ? { valueNumeric: order.test.refLow + (index % 3) } : { valueText: 'Reported' }),
        ...(index % 8 === 0 ? { attachments: [{ fileName: `page-${index}.png`, contentBase64: b64(png()) }] } : {}),
      });
    }
    tick();
    // An encounter and a prescription in the same millisecond, fifteen times.
    for (let index = 0; index < 15; index += 1) {
      await ok<Encounter>('doctor', 'encounters.create', { patientId: grace, encounter: { ...ENCOUNTER, complaint: `Follow-up ${index}` } });
      await ok<PrescriptionOut>('doctor', 'prescriptions.create', { patientId: grace, items: [{ ...ITEM, drug: `Drug ${index}` }] });
      tick();
    }

    const whole = (await ok<{ entries: TimelineEntry[]; next: unknown }>('doctor', 'records.timeline', { patientId: grace, limit: 200 })).entries;
    const counts = Object.fromEntries(
      ['encounter', 'vitals', 'order', 'result', 'attachment', 'prescription'].map((kind) => [kind, whole.filter((entry) => entry.kind === kind).length]),
    );
    expect(counts).toEqual({ encounter: 16, vitals: 40, order: 30, result: 25, attachment: 4, prescription: 15 });
    expect(whole.length).toBe(130);
    expect(whole).toEqual([...whole].sort(compareTimeline));
    expect(new Set(whole.map(key)).size).toBe(whole.length);

    for (const limit of [1, 7, 25, 50]) {
      const paged = await pageThrough('doctor', grace, limit);
      expect(paged.map(key), `pages of ${limit}`).toEqual(whole.map(key));
    }
    const prescriptionsOnly = await pageThrough('pharmacist', grace, 4);
    expect(prescriptionsOnly.map(key)).toEqual(whole.filter((entry) => entry.kind === 'prescription').map(key));
    const resultsAndFiles = await pageThrough('nurse', grace, 3, ['result', 'attachment']);
    expect(resultsAndFiles.map(key)).toEqual(whole.filter((entry) => entry.kind === 'result' || entry.kind === 'attachment').map(key));
  });

  it('refuses a malformed cursor or page size', async () => {
    const grace = patientId('P-000001');
    for (const input of [
      { patientId: grace, limit: 0 },
      { patientId: grace, limit: 201 },
      { patientId: grace, after: { at: '2026-03-02', id: 'x' } },
      { patientId: grace, after: { at: TEST_START } },
      { patientId: grace, kinds: ['vitals', 'vitals', 'vitals', 'vitals', 'vitals', 'vitals', 'vitals'] },
    ]) {
      expect(codeOf(await attempt('doctor', 'records.timeline', input)), JSON.stringify(input)).toBe('VALIDATION');
    }
  });

  it('after a merge, the duplicate’s clinical rows are in the kept record’s timeline and the duplicate’s chart is refused', async () => {
    const kept = await seedChart('P-000002');
    const duplicate = await seedChart('P-000006');
    const before = (await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: duplicate.patientId })).entries;
    const keptBefore = (await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: kept.patientId })).entries;

    await ok<PatientRecord>('admin', 'patients.merge', { keepId: kept.patientId, duplicateId: duplicate.patientId, reason: 'Same person, registered twice' });

    const after = (await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: kept.patientId })).entries;
    expect(after.map(key).sort()).toEqual([...before, ...keptBefore].map(key).sort());
    expect(after).toEqual([...after].sort(compareTimeline));
    expect(await ok<Encounter>('doctor', 'encounters.get', { id: duplicate.encounterId })).toMatchObject({ patientId: kept.patientId });
    expect(await ok<OrderOut>('doctor', 'orders.get', { id: duplicate.orderId })).toMatchObject({ patient: { id: kept.patientId, mrn: 'P-000002' } });
    expect(await ok<PrescriptionOut>('pharmacist', 'prescriptions.get', { id: duplicate.prescriptionId })).toMatchObject({ patientId: kept.patientId });
    const seq = lastAuditSeq();
    await ok('doctor', 'attachments.get', { id: duplicate.attachmentId });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ entity: 'patient', entity_id: kept.patientId })]);
    expect((await ok<VitalsOut[]>('doctor', 'vitals.series', { patientId: kept.patientId })).length).toBe(2);

    for (const [name, input] of [
      ['records.timeline', { patientId: duplicate.patientId }],
      ['vitals.series', { patientId: duplicate.patientId }],
      ['records.exportCsv', { patientId: duplicate.patientId }],
      ['encounters.create', { patientId: duplicate.patientId, encounter: ENCOUNTER }],
      ['vitals.record', { patientId: duplicate.patientId, vitals: { pulse: 80 } }],
      ['orders.create', { patientId: duplicate.patientId, testIds: [testId('HB')] }],
      ['prescriptions.create', { patientId: duplicate.patientId, items: [ITEM] }],
    ] as const) {
      const error = errorOf(await attempt('doctor', name, input));
      expect(error.code, name).toBe('CONFLICT');
      expect(error.message).toContain('P-000006');
    }
    expect(sqlite().prepare('SELECT COUNT(*) FROM encounters WHERE patient_id = ?').pluck().get(duplicate.patientId)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('records.exportCsv', () => {
  interface Export {
    fileName: string;
    csv: string;
    rows: number;
  }
  const neutralised = (value: string) => (FORMULA_TRIGGER.test(value) ? `'${value}` : value);
  const asRow = (entry: TimelineEntry) => [entry.at, entry.kind, entry.title, entry.detail ?? '', entry.flag ?? '', entry.by ?? ''].map(neutralised);

  it('exports the whole record with a BOM and a header, formula-looking cells neutralised, and audits it', async () => {
    const chart = await seedChart('P-000001');
    await ok<Encounter>('doctor', 'encounters.create', {
      patientId: chart.patientId,
      encounter: { ...ENCOUNTER, complaint: '=HYPERLINK("http://example.org","pain")', diagnoses: [{ text: '+Chest pain', icd10: 'R07.4' }] },
    });
    const timeline = (await ok<{ entries: TimelineEntry[] }>('doctor', 'records.timeline', { patientId: chart.patientId })).entries;
    const seq = lastAuditSeq();
    const exported = await ok<Export>('doctor', 'records.exportCsv', { patientId: chart.patientId });
    expect(exported.fileName).toBe('record-P-000001-2026-03-02.csv');
    expect(exported.rows).toBe(timeline.length);
    expect(exported.csv.startsWith('\uFEFFTime (UTC),Kind,Entry,Detail,Flag,By\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(exported.csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['Time (UTC)', 'Kind', 'Entry', 'Detail', 'Flag', 'By']);
    expect(parsed.slice(1)).toEqual(timeline.map(asRow));
    expect(parsed[1]).toEqual([expect.any(String), 'encounter', 'Visit: +Chest pain', `'=HYPERLINK("http://example.org","pain")`, '', 'Dr. Daniel Mwangi']);
    expect(auditSince(seq)).toEqual([
      expect.objectContaining({
        procedure: 'records.exportCsv',
        user_id: userId('doctor'),
        entity: 'patient',
        entity_id: chart.patientId,
        outcome: 'ok',
        details: JSON.stringify({ rows: timeline.length, exported: true }),
      }),
    ]);
    expect((await ok<Export>('nurse', 'records.exportCsv', { patientId: chart.patientId })).rows).toBe(timeline.length);
  });

  it('is refused to front desk, pharmacy and administration, and the refusal is on record', async () => {
    const chart = await seedChart('P-000001');
    for (const role of ['front_desk', 'pharmacist', 'admin'] as const) {
      await as(role);
      const seq = lastAuditSeq();
      expect(codeOf(await attempt(role, 'records.exportCsv', { patientId: chart.patientId }))).toBe('FORBIDDEN');
      expect(auditSince(seq)).toEqual([
        expect.objectContaining({ procedure: 'records.exportCsv', user_id: userId(USERNAMES[role]), entity_id: chart.patientId, outcome: 'denied' }),
      ]);
    }
  });

  it('exports every entry of a record longer than one internal page of 500, exactly once', async () => {
    const grace = patientId('P-000001');
    const codes = ['HB', 'FBG', 'MRDT', 'WBC', 'CXR'];
    for (let batch = 0; batch < 17; batch += 1) {
      await ok<OrderOut[]>('doctor', 'orders.create', {
        patientId: grace,
        testIds: Array.from({ length: 30 }, (_, index) => testId(codes[(index + batch) % 5] as string)),
      });
      tick();
    }
    const [first] = await ok<OrderOut[]>('doctor', 'orders.worklist', { patientId: grace });
    tick();
    await ok<OrderOut>('nurse', 'results.enter', { orderId: first?.id, version: 1, valueNumeric: 20 });
    const timeline = [];
    let after: { at: string; id: string } | null = null;
    do {
      const page: { entries: TimelineEntry[]; next: { at: string; id: string } | null } = await ok('doctor', 'records.timeline', {
        patientId: grace,
        limit: 200,
        ...(after ? { after } : {}),
      });
      timeline.push(...page.entries);
      after = page.next;
    } while (after);
    expect(timeline.length).toBe(511);

    const exported = await ok<Export>('doctor', 'records.exportCsv', { patientId: grace });
    expect(exported.rows).toBe(511);
    const parsed = Papa.parse<string[]>(exported.csv.slice(1), { skipEmptyLines: true }).data.slice(1);
    expect(parsed).toEqual(timeline.map(asRow));
  });
});
