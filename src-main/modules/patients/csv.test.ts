import Papa from 'papaparse';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientRecord, PatientSummary } from '../../../src-shared/contract/patients.js';
import type { PatientFieldsInput } from '../../../src-shared/schemas/patient.js';
import type { CallerContext } from '../../core/router.js';
import { cleanupTempDirs, codeOf, type DemoClinic, errorOf, expectOk, openDemoClinic, snapshotTables, type TableSnapshot } from '../../testing/harness.js';

afterAll(cleanupTempDirs);

let clinic: DemoClinic;
let desk: CallerContext;
let admin: CallerContext;
beforeEach(async () => {
  clinic = await openDemoClinic();
  desk = await clinic.signInAs('front_desk');
  admin = await clinic.signInAs('admin');
});
afterEach(() => clinic.dispose());

const sqlite = () => clinic.core.store.sqlite;
const scalar = (sql: string, ...params: unknown[]) =>
  sqlite()
    .prepare(sql)
    .pluck()
    .get(...params);
const maxSeq = () => scalar('SELECT max(seq) FROM audit_log') as number;
const auditSince = (seq: number) =>
  sqlite().prepare('SELECT procedure, outcome, entity, entity_id, details FROM audit_log WHERE seq > ? ORDER BY seq').all(seq) as Array<{
    procedure: string;
    outcome: string;
    entity: string | null;
    entity_id: string | null;
    details: string;
  }>;
const idOf = (mrn: string) => scalar('SELECT id FROM patients WHERE mrn = ?', mrn) as string;
const patientCount = () => scalar('SELECT count(*) FROM patients') as number;

/** Everything but the audit log, which records every import attempt. */
function dataSnapshot(): TableSnapshot {
  const { audit_log: _audit, ...rest } = snapshotTables(sqlite());
  return rest;
}

const DEMO_MRNS = ['P-000001', 'P-000002', 'P-000003', 'P-000004', 'P-000005', 'P-000006'];

async function register(patient: PatientFieldsInput, acknowledgedDuplicates: string[] = []): Promise<PatientRecord> {
  return expectOk(await clinic.call('patients.register', { patient, acknowledgedDuplicates }, desk)) as PatientRecord;
}

async function get(id: string): Promise<PatientRecord> {
  return expectOk(await clinic.call('patients.get', { id }, desk)) as PatientRecord;
}

async function search(query: string): Promise<PatientSummary[]> {
  return expectOk(await clinic.call('patients.search', { query }, desk)) as PatientSummary[];
}

// ---------------------------------------------------------------------------------------------
// Export

type Exported = { fileName: string; csv: string; rows: number };

async function exportCsv(filter: Record<string, unknown> = {}, caller = desk): Promise<Exported> {
  return expectOk(await clinic.call('patients.exportCsv', { filter }, caller)) as Exported;
}

/** The exported file read back as a spreadsheet would: header row, then one object per row. */
function readBack(csv: string): { header: string[]; rows: Array<Record<string, string>> } {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { header: parsed.meta.fields ?? [], rows: parsed.data };
}

const HEADER = [
  'MRN',
  'Given name',
  'Other names',
  'Family name',
  'Sex',
  'Date of birth',
  'Phone',
  'Email',
  'Address',
  'National id',
  'Blood group',
  'Allergies',
  'Status',
  'Registered (UTC)',
];

describe('patients.exportCsv', () => {
  it('writes a BOM, the header and one CRLF row per active patient, in MRN order, and audits the export', async () => {
    const seq = maxSeq();
    const exported = await exportCsv();
    expect(exported.fileName).toBe('patients-2026-03-02.csv');
    expect(exported.rows).toBe(6);
    expect(exported.csv.startsWith(`\uFEFF${HEADER.join(',')}\r\n`)).toBe(true);
    expect(exported.csv.split('\r\n').filter(Boolean)).toHaveLength(7);
    const { header, rows } = readBack(exported.csv);
    expect(header).toEqual(HEADER);
    expect(rows.map((row) => row.MRN)).toEqual(DEMO_MRNS);
    expect(rows[0]).toEqual({
      MRN: 'P-000001',
      'Given name': 'Grace',
      'Other names': '',
      'Family name': 'Njeri',
      Sex: 'female',
      'Date of birth': '1988-04-12',
      // A leading "+" would start a formula in a spreadsheet, so the phone is neutralised too.
      Phone: "'+254 712 345 678",
      Email: 'grace.njeri@example.org',
      Address: 'Ngong Road 14, Nairobi',
      'National id': '28817345',
      'Blood group': 'O+',
      Allergies: 'Penicillin (severe)',
      Status: 'active',
      'Registered (UTC)': '2026-03-02T08:00:00.000Z',
    });
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'patients.exportCsv', outcome: 'ok', entity: 'patient_list' })]);
    const details = JSON.parse(auditSince(seq)[0]?.details ?? '{}');
    // Which filters were used, never their text: a search text can be a patient's name.
    expect(details).toEqual({ rows: 6, filters: [] });
    const named = await clinic.call('patients.exportCsv', { filter: { query: 'Grace' } }, desk);
    expect(named.envelope.ok).toBe(true);
    const latest = clinic.core.store.sqlite.prepare('SELECT details FROM audit_log ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    expect(latest).not.toContain('Grace');
    expect(JSON.parse(latest)).toMatchObject({ filters: ['query'] });
  });

  it('names the file by the clinic’s local date', async () => {
    // 22:30 UTC is already the next day in Nairobi (UTC+3).
    clinic.clock.set('2026-03-02T22:30:00.000Z');
    desk = await clinic.signInAs('front_desk');
    expect((await exportCsv()).fileName).toBe('patients-2026-03-03.csv');
  });

  it('neutralises cells that a spreadsheet would run as a formula', async () => {
    // (A leading tab or carriage return would be neutralised too, but the registry trims them away.)
    const dangerous = ['=HYPERLINK("http://evil.example","Open")', '+1 Main Street', '-2+3', '@SUM(A1:A9)', '=1+1'];
    for (const [index, address] of dangerous.entries()) {
      await register({ givenName: `Formula${'abcde'[index]}`, familyName: 'Test', sex: 'other', birthDate: `198${index}-01-01`, address });
    }
    const { rows } = readBack((await exportCsv({ query: 'Formula' })).csv);
    expect(rows.map((row) => row.Address)).toEqual(dangerous.map((address) => `'${address}`));
    // Ordinary cells are left alone.
    expect(rows.map((row) => row['Given name'])).toEqual(['Formulaa', 'Formulab', 'Formulac', 'Formulad', 'Formulae']);
  });

  it('keeps accents and other scripts intact', async () => {
    await register({ givenName: 'Zoë', familyName: 'Ñúñez-Łukasz', otherNames: 'Émilie', sex: 'female', birthDate: '1999-09-09', address: 'Straße 5, Zürich' });
    await register({ givenName: 'Ярослава', familyName: '王', sex: 'female', birthDate: '1998-08-08', notes: '🩺' });
    const { csv } = await exportCsv();
    const { rows } = readBack(csv);
    expect(rows.find((row) => row['Given name'] === 'Zoë')).toMatchObject({
      'Family name': 'Ñúñez-Łukasz',
      'Other names': 'Émilie',
      Address: 'Straße 5, Zürich',
    });
    expect(rows.find((row) => row['Given name'] === 'Ярослава')).toMatchObject({ 'Family name': '王' });
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('quotes cells holding commas, quotes and line breaks', async () => {
    await register({ givenName: 'Quoted', familyName: 'Cells', sex: 'male', birthDate: '1977-07-07', address: 'Flat 2, "The Oaks"\r\nKisumu' });
    const { rows } = readBack((await exportCsv({ query: 'Quoted' })).csv);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.Address).toBe('Flat 2, "The Oaks"\r\nKisumu');
  });

  it('applies the filters, and never lists a merged duplicate', async () => {
    const brian = await get(idOf('P-000006'));
    expectOk(await clinic.call('patients.setActive', { id: brian.id, version: brian.version, active: false, reason: 'Moved away' }, desk));
    const twin = await register({ givenName: 'Grace', familyName: 'Njery', sex: 'female', birthDate: '1988-04-12' }, [idOf('P-000001')]);
    expectOk(await clinic.call('patients.merge', { keepId: idOf('P-000001'), duplicateId: twin.id, reason: 'Same person, typed twice' }, admin));
    clinic.clock.set('2026-03-09T10:00:00.000Z');
    desk = await clinic.signInAs('front_desk');
    const later = await register({ givenName: 'Later', familyName: 'Arrival', sex: 'male', birthDate: '2001-01-01' });

    const mrnsOf = async (filter: Record<string, unknown>) => readBack((await exportCsv(filter)).csv).rows.map((row) => row.MRN);
    expect(await mrnsOf({})).toEqual(['P-000001', 'P-000002', 'P-000003', 'P-000004', 'P-000005', later.mrn]);
    expect(await mrnsOf({ status: 'inactive' })).toEqual(['P-000006']);
    expect(await mrnsOf({ status: 'all' })).toEqual([...DEMO_MRNS, later.mrn]);
    expect(await mrnsOf({ status: 'all', sex: 'male' })).toEqual(['P-000002', 'P-000004', 'P-000006', later.mrn]);
    expect(await mrnsOf({ registeredFrom: '2026-03-05' })).toEqual([later.mrn]);
    expect(await mrnsOf({ registeredTo: '2026-03-08', status: 'all' })).toEqual(DEMO_MRNS);
    expect(await mrnsOf({ query: 'wanj' })).toEqual(['P-000003']);
    expect(await mrnsOf({ query: 'no such person' })).toEqual([]);
    expect((await exportCsv({ status: 'all' })).rows).toBe(7);
    const inactive = readBack((await exportCsv({ status: 'inactive' })).csv).rows;
    expect(inactive[0]?.Status).toBe('inactive');
  });

  it('writes just the header when nothing matches', async () => {
    const exported = await exportCsv({ query: 'nobody' });
    expect(exported.rows).toBe(0);
    expect(exported.csv.trimEnd()).toBe(`\uFEFF${HEADER.join(',')}`);
    expect(readBack(exported.csv)).toEqual({ header: HEADER, rows: [] });
  });

  it('is open to every staff role with a report permission', async () => {
    for (const role of ['doctor', 'nurse', 'pharmacist'] as const) {
      const caller = await clinic.signInAs(role);
      expect(codeOf(await clinic.call('patients.exportCsv', { filter: {} }, caller))).toBe('OK');
    }
    expect(codeOf(await clinic.call('patients.exportCsv', { filter: {} }, admin))).toBe('OK');
  });
});

// ---------------------------------------------------------------------------------------------
// Import

type ImportResult = {
  headers: string[];
  totalRows: number;
  validRows: number;
  problems: Array<{ row: number; field: string; message: string }>;
  likelyDuplicates: Array<{ row: number; mrn: string }>;
  imported: number;
};

const MAPPING = {
  givenName: 'First name',
  familyName: 'Surname',
  sex: 'Sex',
  birthDate: 'DOB',
  phone: 'Phone',
  address: 'Address',
  nationalId: 'ID number',
};

const csvOf = (...lines: string[]) => lines.join('\r\n');
const HEAD = 'First name,Surname,Sex,DOB,Phone,Address,ID number';

async function importCsv(csv: string, commit: boolean, mapping: Record<string, string> = MAPPING): Promise<ImportResult> {
  return expectOk(await clinic.call('patients.importCsv', { csv, mapping, commit }, desk)) as ImportResult;
}

const problemsOf = (result: ImportResult) => result.problems.map(({ row, field }) => ({ row, field }));

describe('patients.importCsv', () => {
  const mixed = csvOf(
    HEAD,
    'Akinyi,Odhiambo,F,1990-05-01,0722 111 222,"Kenyatta Ave 1, Kisumu",',
    'Baraka,Kiprono,M,1985-13-01,,,', // row 3: no 13th month
    'Chiku,Mohamed,woman,1979-02-02,phone?,,', // row 4: sex and phone
    'Dalmas,Otieno,m,2000-12-12,,,A12345',
    ',Wekesa,f,1995-03-03,,,', // row 6: no given name
    'Esther,Nyambura,female,2999-01-01,,,', // row 7: born in the future
  );

  it('on a dry run writes nothing and lists every bad row by its spreadsheet row number and field', async () => {
    const before = dataSnapshot();
    const seq = maxSeq();
    const result = await importCsv(mixed, false);
    expect(dataSnapshot()).toEqual(before);
    // The only trace is the audit row of the attempt itself.
    expect(auditSince(seq)).toEqual([expect.objectContaining({ procedure: 'patients.importCsv', outcome: 'ok', entity: null })]);
    expect(result).toMatchObject({ headers: HEAD.split(','), totalRows: 6, validRows: 2, likelyDuplicates: [], imported: 0 });
    expect(problemsOf(result)).toEqual([
      { row: 3, field: 'birthDate' },
      { row: 4, field: 'sex' },
      { row: 4, field: 'phone' },
      { row: 6, field: 'givenName' },
      { row: 7, field: 'birthDate' },
    ]);
    for (const problem of result.problems) expect(problem.message).toEqual(expect.any(String));
    expect(result.problems.find((problem) => problem.row === 3)?.message).toBe('That date does not exist');
  });

  it('on commit writes every valid row in one go, with new MRNs, and skips the bad ones', async () => {
    const seq = maxSeq();
    const result = await importCsv(mixed, true);
    expect(result).toMatchObject({ totalRows: 6, validRows: 2, imported: 2 });
    expect(problemsOf(result)).toHaveLength(5);
    // One audit row for the whole import.
    const rows = auditSince(seq);
    expect(rows).toEqual([expect.objectContaining({ procedure: 'patients.importCsv', outcome: 'ok', entity: 'patient_import' })]);
    expect(JSON.parse(rows[0]?.details ?? '{}')).toEqual({ imported: 2, skipped: 4 });
    expect(patientCount()).toBe(8);
    expect(scalar(`SELECT count(DISTINCT created_at) FROM patients WHERE mrn > 'P-000006'`)).toBe(1);
    const akinyi = await get(idOf('P-000007'));
    expect(akinyi).toMatchObject({
      givenName: 'Akinyi',
      familyName: 'Odhiambo',
      sex: 'female',
      birthDate: '1990-05-01',
      phone: '0722 111 222',
      address: 'Kenyatta Ave 1, Kisumu',
      nationalId: null,
      email: null,
      allergies: [],
      active: true,
      version: 1,
    });
    expect(await get(idOf('P-000008'))).toMatchObject({ givenName: 'Dalmas', familyName: 'Otieno', sex: 'male', nationalId: 'A12345' });
    // Imported patients are searchable at once, typos included.
    expect((await search('Odiambo')).map((found) => found.mrn)).toEqual(['P-000007']);
    // The same file again: now both valid rows look like patients already registered.
    const again = await importCsv(mixed, false);
    expect(again.likelyDuplicates).toEqual([
      { row: 2, mrn: 'P-000007' },
      { row: 5, mrn: 'P-000008' },
    ]);
  });

  it('maps the spreadsheet spellings of sex', async () => {
    const result = await importCsv(
      csvOf(
        'First name,Surname,Sex,DOB',
        'Ann,One,F,1990-01-01',
        'Ben,Two,M,1990-01-02',
        'Cat,Three,f,1990-01-03',
        'Dan,Four, m ,1990-01-04',
        'Eve,Five,,1990-01-05',
        'Fay,Six,Female,1990-01-06',
        'Gus,Seven,O,1990-01-07',
        'Hal,Eight,x,1990-01-08',
      ),
      true,
      { givenName: 'First name', familyName: 'Surname', sex: 'Sex', birthDate: 'DOB' },
    );
    expect(problemsOf(result)).toEqual([{ row: 9, field: 'sex' }]);
    const sexes = sqlite().prepare(`SELECT given_name, sex FROM patients WHERE mrn > 'P-000006' ORDER BY mrn`).all();
    expect(sexes).toEqual([
      { given_name: 'Ann', sex: 'female' },
      { given_name: 'Ben', sex: 'male' },
      { given_name: 'Cat', sex: 'female' },
      { given_name: 'Dan', sex: 'male' },
      { given_name: 'Eve', sex: 'unknown' },
      { given_name: 'Fay', sex: 'female' },
      { given_name: 'Gus', sex: 'other' },
    ]);
  });

  it('reports rows that look like patients already registered, and imports them only on commit', async () => {
    const csv = csvOf(
      HEAD,
      'Grace,Njery,F,1988-04-12,,,', // Grace Njeri, with a typo
      'New,Person,M,2010-10-10,,,',
      'Someone,Else,F,1970-07-07,,,312 004 56', // Halima's national id
      'Phone,Twin,M,1971-07-07,+254-712-345-678,,', // Grace's phone
    );
    const dry = await importCsv(csv, false);
    expect(dry.likelyDuplicates).toEqual([
      { row: 2, mrn: 'P-000001' },
      { row: 4, mrn: 'P-000005' },
      { row: 5, mrn: 'P-000001' },
    ]);
    expect(dry.problems).toEqual([]);
    expect(patientCount()).toBe(6);
    const committed = await importCsv(csv, true);
    expect(committed.imported).toBe(4);
    expect(patientCount()).toBe(10);
  });

  it('reads quoted fields holding commas, quotes and line breaks, and still numbers rows as a spreadsheet does', async () => {
    const csv = csvOf(
      'First name,Surname,Sex,DOB,Address,Notes',
      '"Wanjiku","Kariuki, Jr.",F,1980-08-08,"Flat 2, ""The Oaks""\nKisumu","Line one\r\nLine two"',
      'Bad,Date,F,08/08/1980,,', // row 3, although the text above spans more lines
      '"Otieno",Ouma,M,1982-02-02,,"He said ""hello"""',
    );
    const mapping = { givenName: 'First name', familyName: 'Surname', sex: 'Sex', birthDate: 'DOB', address: 'Address', notes: 'Notes' };
    const result = await importCsv(csv, true, mapping);
    expect(problemsOf(result)).toEqual([{ row: 3, field: 'birthDate' }]);
    expect(result.imported).toBe(2);
    expect(await get(idOf('P-000007'))).toMatchObject({
      givenName: 'Wanjiku',
      familyName: 'Kariuki, Jr.',
      address: 'Flat 2, "The Oaks"\nKisumu',
      notes: 'Line one\r\nLine two',
    });
    expect(await get(idOf('P-000008'))).toMatchObject({ givenName: 'Otieno', notes: 'He said "hello"' });
  });

  it('counts blank rows as a spreadsheet shows them when numbering the bad rows', async () => {
    const csv = csvOf(
      HEAD,
      'Akinyi,Odhiambo,F,1990-05-01,,,',
      ',,,,,,', // row 3: a row emptied in the spreadsheet
      '', // row 4: an empty line
      'Baraka,Kiprono,M,1985-13-01,,,', // row 5
      '',
    );
    const result = await importCsv(csv, false);
    expect(result).toMatchObject({ totalRows: 2, validRows: 1 });
    expect(problemsOf(result)).toEqual([{ row: 5, field: 'birthDate' }]);
  });

  it('treats a row the parser cannot read cleanly as a bad row: listed, and not imported', async () => {
    const csv = csvOf(
      'First name,Surname,Sex,DOB,Address',
      'Akinyi,Odhiambo,F,1990-05-01,Kenyatta Ave 1, Kisumu', // row 2: the address was not quoted, so one cell too many
      'Baraka,Kiprono,M,1985-01-01,Moi Ave 2',
    );
    const mapping = { givenName: 'First name', familyName: 'Surname', sex: 'Sex', birthDate: 'DOB', address: 'Address' };
    const result = await importCsv(csv, true, mapping);
    expect(problemsOf(result)).toEqual([{ row: 2, field: 'row' }]);
    expect(result).toMatchObject({ totalRows: 2, validRows: 1, imported: 1 });
    expect(scalar('SELECT count(*) FROM patients WHERE given_name = ?', 'Akinyi')).toBe(0);
    expect(scalar('SELECT count(*) FROM patients WHERE given_name = ?', 'Baraka')).toBe(1);
  });

  it('reads a file that starts with a BOM, as spreadsheets save it, with LF line ends', async () => {
    const csv = `\uFEFF${['First name,Surname,Sex,DOB', 'Zoë,Ñúñez,F,1999-09-09', ''].join('\n')}`;
    const result = await importCsv(csv, true, { givenName: 'First name', familyName: 'Surname', sex: 'Sex', birthDate: 'DOB' });
    expect(result.headers).toEqual(['First name', 'Surname', 'Sex', 'DOB']);
    expect(result).toMatchObject({ totalRows: 1, validRows: 1, imported: 1, problems: [] });
    expect(await get(idOf('P-000007'))).toMatchObject({ givenName: 'Zoë', familyName: 'Ñúñez' });
  });

  it('reads a semicolon-separated file, as spreadsheets in many locales save it', async () => {
    const csv = csvOf('First name;Surname;Sex;DOB;Address', 'Akinyi;Odhiambo;F;1990-05-01;"Kenyatta Ave 1, Kisumu"', 'Baraka;Kiprono;M;1985-01-01;', '');
    const result = await importCsv(csv, true, { givenName: 'First name', familyName: 'Surname', sex: 'Sex', birthDate: 'DOB', address: 'Address' });
    expect(result).toMatchObject({ totalRows: 2, validRows: 1 + 1, imported: 2, problems: [] });
    expect(await get(idOf('P-000007'))).toMatchObject({ address: 'Kenyatta Ave 1, Kisumu' });
  });

  it('trims the headers and maps only the columns asked for', async () => {
    const csv = csvOf(' First name , Surname ,Sex,DOB,Email', 'Akinyi,Odhiambo,F,1990-05-01,Not An Email');
    const result = await importCsv(csv, true, { givenName: 'First name', familyName: 'Surname', sex: 'Sex', birthDate: 'DOB' });
    expect(result.headers).toEqual(['First name', 'Surname', 'Sex', 'DOB', 'Email']);
    expect(result).toMatchObject({ problems: [], imported: 1 });
    expect(await get(idOf('P-000007'))).toMatchObject({ email: null });
  });

  it('refuses a mapping that names a column the file does not have, writing nothing', async () => {
    const before = dataSnapshot();
    const error = errorOf(await clinic.call('patients.importCsv', { csv: mixed, mapping: { ...MAPPING, email: 'E-mail' }, commit: true }, desk));
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('E-mail');
    expect(error.fields).toEqual({ mapping: expect.stringContaining('E-mail') });
    expect(dataSnapshot()).toEqual(before);
  });

  it('refuses a mapping without given name, family name, sex or date of birth, writing nothing', async () => {
    const before = dataSnapshot();
    for (const field of ['givenName', 'familyName', 'sex', 'birthDate'] as const) {
      const { [field]: _left, ...mapping } = MAPPING;
      const error = errorOf(await clinic.call('patients.importCsv', { csv: mixed, mapping, commit: true }, desk));
      expect(error).toMatchObject({ code: 'VALIDATION', fields: { mapping: expect.any(String) } });
    }
    expect(codeOf(await clinic.call('patients.importCsv', { csv: mixed, mapping: { ...MAPPING, religion: 'Sex' }, commit: true }, desk))).toBe('VALIDATION');
    expect(codeOf(await clinic.call('patients.importCsv', { csv: '', mapping: MAPPING, commit: true }, desk))).toBe('VALIDATION');
    expect(dataSnapshot()).toEqual(before);
  });

  it('answers a file with only a header with nothing to import', async () => {
    const result = await importCsv(`${HEAD}\r\n`, true);
    expect(result).toMatchObject({ totalRows: 0, validRows: 0, imported: 0, problems: [], likelyDuplicates: [] });
    expect(patientCount()).toBe(6);
  });

  it('is refused to roles that cannot register patients', async () => {
    const nurse = await clinic.signInAs('nurse');
    expect(codeOf(await clinic.call('patients.importCsv', { csv: mixed, mapping: MAPPING, commit: false }, nurse))).toBe('FORBIDDEN');
  });
});
