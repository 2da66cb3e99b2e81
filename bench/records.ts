import { newId } from '../src-main/core/ids.js';
import type { TimelineEntry } from '../src-shared/contract/records.js';
import type { BenchArea, BenchContext, BenchOperation } from './lib.js';

/**
 * The clinical record: M clinical events (encounters with their first revision, vitals, orders,
 * results, prescriptions) spread over the generated patients, one of whom has a long history; then
 * the first page of the chart timeline, through the whole router (which also writes the audit row
 * that opening a chart requires), beside the same per-kind index reads prepared by hand.
 *
 * The rows are written with prepared statements in large transactions, column for column what the
 * records handlers write, because two million router calls would take most of an hour.
 */

const DEFAULT_EVENTS = 2_000_000;
const HEAVY_EVENTS = 2_000;
const BATCH = 20_000;
const PAGE = 50;
const CHART_TARGET_P95_MS = 20;

interface Generated {
  heavy: string;
  typical: string[];
}
const state = new WeakMap<BenchContext, Generated>();

type Kind = 'encounter' | 'vitals' | 'order_result' | 'prescription';
const KINDS: Array<[Kind, number]> = [
  ['encounter', 0.25],
  ['vitals', 0.35],
  ['order_result', 0.25],
  ['prescription', 0.15],
];

function pickKind(ctx: BenchContext): Kind {
  let roll = ctx.random.next();
  for (const [kind, share] of KINDS) {
    roll -= share;
    if (roll <= 0) return kind;
  }
  return 'vitals';
}

function writer(ctx: BenchContext, doctorId: string, nurseId: string, testIds: string[]) {
  const db = ctx.sqlite;
  const std = 'created_at, updated_at, created_by, version';
  const encounter = db.prepare(
    `INSERT INTO encounters (id, patient_id, doctor_id, appointment_id, admission_id, occurred_at, complaint, findings, diagnoses, plan, revision, ${std})
     VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, 1, ?, ?, ?, 1)`,
  );
  const revision = db.prepare(
    `INSERT INTO encounter_revisions (id, encounter_id, revision, complaint, findings, diagnoses, plan, amendment_reason, ${std})
     VALUES (?, ?, 1, ?, ?, ?, ?, NULL, ?, ?, ?, 1)`,
  );
  const vitals = db.prepare(
    `INSERT INTO vitals (id, patient_id, taken_at, systolic, diastolic, pulse, temperature_c, respiratory_rate, spo2, weight_kg, height_cm, glucose_mmol_l, ${std})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, 1)`,
  );
  const order = db.prepare(
    `INSERT INTO orders (id, patient_id, encounter_id, test_id, ordered_by, ordered_at, status, notes, ${std}) VALUES (?, ?, NULL, ?, ?, ?, 'resulted', NULL, ?, ?, ?, 1)`,
  );
  const result = db.prepare(
    `INSERT INTO results (id, order_id, patient_id, resulted_at, value_numeric, value_text, unit, ref_low, ref_high, flag, ${std})
     VALUES (?, ?, ?, ?, ?, NULL, 'g/dL', 12, 17.5, ?, ?, ?, ?, 1)`,
  );
  const prescription = db.prepare(
    `INSERT INTO prescriptions (id, patient_id, encounter_id, prescriber_id, prescribed_at, items, notes, ${std}) VALUES (?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, 1)`,
  );
  const diagnoses = JSON.stringify([{ text: 'Upper respiratory tract infection', icd10: 'J06.9' }]);
  const items = JSON.stringify([
    { drug: 'Amoxicillin', dose: '500 mg', route: 'oral', frequency: 'three times a day', duration: '5 days', quantity: 15, instructions: null },
  ]);
  /** Returns how many timeline entries the event added. */
  return (patientId: string, at: string): number => {
    const kind = pickKind(ctx);
    if (kind === 'encounter') {
      const id = newId();
      encounter.run(
        id,
        patientId,
        doctorId,
        at,
        'Cough and fever for three days',
        'Chest clear; throat inflamed',
        diagnoses,
        'Fluids, review in a week',
        at,
        at,
        doctorId,
      );
      revision.run(newId(), id, 'Cough and fever for three days', 'Chest clear; throat inflamed', diagnoses, 'Fluids, review in a week', at, at, doctorId);
      return 1;
    }
    if (kind === 'vitals') {
      vitals.run(
        newId(),
        patientId,
        at,
        ctx.random.int(100, 150),
        ctx.random.int(60, 95),
        ctx.random.int(55, 110),
        36.5,
        16,
        ctx.random.int(93, 100),
        70.5,
        170,
        at,
        at,
        nurseId,
      );
      return 1;
    }
    if (kind === 'order_result') {
      const orderId = newId();
      order.run(orderId, patientId, testIds[ctx.random.int(0, testIds.length - 1)], doctorId, at, at, at, doctorId);
      const value = ctx.random.int(90, 180) / 10;
      result.run(newId(), orderId, patientId, at, value, value < 12 ? 'low' : value > 17.5 ? 'high' : 'normal', at, at, nurseId);
      return 2;
    }
    prescription.run(newId(), patientId, doctorId, at, items, at, at, doctorId);
    return 1;
  };
}

/** The same per-kind index reads as readTimeline, prepared by hand, merged and named in JS. */
function baselineTimeline(ctx: BenchContext) {
  const statements = [
    ctx.sqlite.prepare('SELECT id, occurred_at AS at, doctor_id AS by FROM encounters WHERE patient_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?'),
    ctx.sqlite.prepare('SELECT id, taken_at AS at, created_by AS by FROM vitals WHERE patient_id = ? ORDER BY taken_at DESC, id DESC LIMIT ?'),
    ctx.sqlite.prepare(
      'SELECT orders.id, orders.ordered_at AS at, orders.ordered_by AS by, test_catalog.name FROM orders JOIN test_catalog ON test_catalog.id = orders.test_id WHERE orders.patient_id = ? ORDER BY orders.ordered_at DESC, orders.id DESC LIMIT ?',
    ),
    ctx.sqlite.prepare(
      'SELECT results.id, results.resulted_at AS at, results.created_by AS by, test_catalog.name FROM results JOIN orders ON orders.id = results.order_id JOIN test_catalog ON test_catalog.id = orders.test_id WHERE results.patient_id = ? ORDER BY results.resulted_at DESC, results.id DESC LIMIT ?',
    ),
    ctx.sqlite.prepare(
      'SELECT id, prescribed_at AS at, prescriber_id AS by FROM prescriptions WHERE patient_id = ? ORDER BY prescribed_at DESC, id DESC LIMIT ?',
    ),
    ctx.sqlite.prepare('SELECT id, uploaded_at AS at, created_by AS by FROM attachments WHERE patient_id = ? ORDER BY uploaded_at DESC, id DESC LIMIT ?'),
  ];
  const names = ctx.sqlite.prepare('SELECT display_name FROM users WHERE id = ?').pluck();
  return (patientId: string) => {
    const rows = statements.flatMap((statement) => statement.all(patientId, PAGE + 1) as Array<{ id: string; at: string; by: string }>);
    rows.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : -1));
    return rows.slice(0, PAGE + 1).map((row) => ({ ...row, by: names.get(row.by) }));
  };
}

export const recordsBench: BenchArea = {
  name: 'records',

  async generate(ctx) {
    const total = Number(ctx.options.args.get('events') ?? DEFAULT_EVENTS);
    if (!Number.isInteger(total) || total < HEAVY_EVENTS * 2) throw new Error(`--events needs a whole number of at least ${HEAVY_EVENTS * 2}`);
    const patients = ctx.sqlite.prepare('SELECT id FROM patients WHERE merged_into IS NULL ORDER BY rowid').pluck().all() as string[];
    const user = (username: string) => ctx.sqlite.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
    const testIds = ctx.sqlite.prepare("SELECT id FROM test_catalog WHERE kind = 'test'").pluck().all() as string[];
    const write = writer(ctx, user('doctor'), user('nurse'), testIds);
    const heavy = patients[patients.length >> 1] as string;
    const from = Date.parse('2016-03-01T06:00:00.000Z');
    const span = Date.parse('2026-03-01T06:00:00.000Z') - from;
    const instant = () => new Date(from + Math.floor(ctx.random.next() * span)).toISOString();
    const started = performance.now();
    let written = 0;
    let heavyWritten = 0;
    let reported = 0;
    while (written < total) {
      ctx.sqlite.transaction(() => {
        const end = Math.min(total, written + BATCH);
        while (written < end) {
          // The long-history patient gets its share first, then everyone else at random.
          const patientId = heavyWritten < HEAVY_EVENTS ? heavy : (patients[ctx.random.int(0, patients.length - 1)] as string);
          const added = write(patientId, instant());
          if (patientId === heavy) heavyWritten += added;
          written += added;
        }
      })();
      if (written - reported >= 200_000 || written >= total) {
        reported = written;
        const seconds = (performance.now() - started) / 1000;
        ctx.log(`  ${written.toLocaleString('en')} clinical events written (${Math.round(written / seconds).toLocaleString('en')}/s)`);
      }
    }
    const typical = Array.from({ length: 500 }, () => patients[ctx.random.int(0, patients.length - 1)] as string).filter((id) => id !== heavy);
    state.set(ctx, { heavy, typical });
  },

  async operations(ctx) {
    const generated = state.get(ctx);
    if (!generated) throw new Error('records: generate() first');
    const doctor = await ctx.callerFor('doctor');
    const baseline = baselineTimeline(ctx);
    const heavyCount = (
      ctx.sqlite
        .prepare(
          `SELECT (SELECT count(*) FROM encounters WHERE patient_id = @id) + (SELECT count(*) FROM vitals WHERE patient_id = @id)
           + (SELECT count(*) FROM orders WHERE patient_id = @id) + (SELECT count(*) FROM results WHERE patient_id = @id)
           + (SELECT count(*) FROM prescriptions WHERE patient_id = @id)`,
        )
        .pluck()
        .get({ id: generated.heavy }) as number
    ).toLocaleString('en');
    const entries = (result: unknown): TimelineEntry[] => {
      const envelope = (result as { envelope: { ok: boolean; value?: { entries: TimelineEntry[] }; error?: { message: string } } }).envelope;
      if (!envelope.ok || !envelope.value) throw new Error(`records.timeline failed: ${envelope.error?.message}`);
      return envelope.value.entries;
    };
    const chart = (name: string, description: string, patientFor: (i: number) => string): BenchOperation => ({
      name,
      description,
      targetP95Ms: CHART_TARGET_P95_MS,
      core: (i) => ctx.core.call('records.timeline', { patientId: patientFor(i), limit: PAGE }, doctor),
      baseline: (i) => baseline(patientFor(i)),
      check: (i, result) => {
        const page = entries(result);
        const expected = baseline(patientFor(i)).slice(0, PAGE);
        if (page.length !== expected.length || page.some((entry, index) => entry.at !== expected[index]?.at)) {
          throw new Error(`bench check failed: the chart page of ${patientFor(i)} differs from the baseline`);
        }
      },
    });
    return [
      chart('records.timeline.first_page_long_history', `first ${PAGE} entries of a patient with ${heavyCount} events (+ audit row)`, () => generated.heavy),
      chart(
        'records.timeline.first_page_typical',
        `first ${PAGE} entries of a randomly chosen patient (+ audit row)`,
        (i) => generated.typical[i % generated.typical.length] as string,
      ),
    ];
  },
};
