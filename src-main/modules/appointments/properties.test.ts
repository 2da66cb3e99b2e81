import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentOut, DayAvailability, ScheduleOut } from '../../../src-shared/contract/appointments.js';
import type { ErrorCode } from '../../../src-shared/errors.js';
import type { AppointmentStatus } from '../../../src-shared/schemas/appointments.js';
import type { CallerContext, CallResult } from '../../core/router.js';
import { cleanupTempDirs, DEMO_PASSWORD, DEMO_USERNAMES, type DemoClinic, errorOf, expectOk, openDemoClinic } from '../../testing/harness.js';

/**
 * Properties of booking through the router on copies of the encrypted demo clinic (Africa/Nairobi,
 * UTC+3 all year; the clock starts Monday 2026-03-02 11:00 local):
 *
 * - random sequences of book / reschedule / cancel / check in / no-show / complete / time passing,
 *   across both demo doctors, the six demo patients and three days, checked against a small model:
 *   each call's outcome is predicted, and after every step the database holds no two overlapping
 *   active appointments for one doctor, appointment_units is exactly the active appointments'
 *   5-minute units, and the rows match the model;
 * - the free slots offered are exactly the model's, each can be booked, and booking it again for
 *   another patient is CONFLICT;
 * - two desks racing for one slot: one wins, the other gets CONFLICT in plain words, including
 *   when the database's constraint (not the handler's read) decides;
 * - a clinic in America/New_York across the 2026 daylight-saving changes.
 */

afterAll(() => cleanupTempDirs());

const ACTIVE = new Set<AppointmentStatus>(['booked', 'checked_in', 'completed']);
const MIN = 60_000;
const NAIROBI_OFFSET = 3 * 60 * MIN;
const DAYS = ['2026-03-02', '2026-03-03', '2026-03-04'] as const;
/** The clock never runs past Wednesday 18:00 local. */
const CLOCK_LIMIT = Date.parse('2026-03-04T18:00:00+03:00');

/** The demo doctors' weekly hours (clinic-local minutes) and slot lengths, as seeded. */
const DOCTORS: readonly { username: string; name: string; slotMinutes: number; hours: (weekday: number) => [number, number][] }[] = [
  {
    username: 'doctor',
    name: 'Dr. Daniel Mwangi',
    slotMinutes: 15,
    hours: (weekday: number) =>
      weekday <= 5
        ? [
            [480, 720],
            [840, 1020],
          ]
        : weekday === 6
          ? [[540, 720]]
          : [],
  },
  {
    username: 'kimani',
    name: 'Dr. Sara Kimani',
    slotMinutes: 20,
    hours: (weekday: number) =>
      weekday <= 5
        ? [
            [540, 780],
            [840, 960],
          ]
        : [],
  },
];

/** A demo doctor by index (0: Dr. Mwangi, 1: Dr. Kimani). */
function doctorAt(index: number) {
  const doctor = DOCTORS[index];
  if (!doctor) throw new Error(`no doctor ${index}`);
  return doctor;
}

const localInstant = (date: string, minute: number) => new Date(Date.parse(`${date}T00:00:00+03:00`) + minute * MIN).toISOString();
const localDateOf = (iso: string) => new Date(Date.parse(iso) + NAIROBI_OFFSET).toISOString().slice(0, 10);
const weekdayOf = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MIN).toISOString();
const overlap = (a: { startAt: string; endAt: string }, b: { startAt: string; endAt: string }) => a.startAt < b.endAt && b.startAt < a.endAt;

interface ModelAppointment {
  id: string;
  doctor: number;
  patient: number;
  startAt: string;
  endAt: string;
  status: AppointmentStatus;
  version: number;
}

/** A fresh clinic with sessions that sign in again whenever the fake clock has moved on. */
class Desk {
  private sessions = new Map<string, { caller: CallerContext; lastUsed: number; signedIn: number }>();
  userIds: string[] = [];
  patients: string[] = [];

  constructor(readonly clinic: DemoClinic) {
    const sqlite = clinic.core.store.sqlite;
    this.userIds = DOCTORS.map((doctor) => sqlite.prepare('SELECT id FROM users WHERE username = ?').pluck().get(doctor.username) as string);
    this.patients = sqlite.prepare('SELECT id FROM patients WHERE active = 1 ORDER BY mrn').pluck().all() as string[];
  }

  async caller(username: string, workstation = 'desk-1'): Promise<CallerContext> {
    const now = this.clinic.clock.now().getTime();
    const key = `${username}@${workstation}`;
    const held = this.sessions.get(key);
    if (held && now - held.lastUsed < 5 * MIN && now - held.signedIn < 11 * 60 * MIN) {
      held.lastUsed = now;
      return held.caller;
    }
    const result = await this.clinic.call('auth.signIn', { username, password: DEMO_PASSWORD }, { sessionToken: null, workstation });
    expectOk(result);
    if (result.session?.kind !== 'started') throw new Error(`signing in as ${username} started no session`);
    const caller = { sessionToken: result.session.token, workstation };
    this.sessions.set(key, { caller, lastUsed: now, signedIn: now });
    return caller;
  }

  async call(username: string, name: string, input: unknown, workstation?: string): Promise<CallResult> {
    return this.clinic.call(name, input, await this.caller(username, workstation));
  }

  /** The database-level invariants, read with plain SQL around the application. */
  checkInvariants(): void {
    const sqlite = this.clinic.core.store.sqlite;
    const overlapping = sqlite
      .prepare(
        `SELECT a.id AS a, b.id AS b FROM appointments a JOIN appointments b
           ON a.doctor_id = b.doctor_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
         WHERE a.status IN ('booked', 'checked_in', 'completed') AND b.status IN ('booked', 'checked_in', 'completed')`,
      )
      .all();
    expect(overlapping).toEqual([]);
    const rows = sqlite.prepare(`SELECT id, doctor_id, start_at, end_at, status FROM appointments`).all() as {
      id: string;
      doctor_id: string;
      start_at: string;
      end_at: string;
      status: AppointmentStatus;
    }[];
    const expected: string[] = [];
    for (const row of rows) {
      if (!ACTIVE.has(row.status)) continue;
      for (let unit = Date.parse(row.start_at) / 300_000; unit < Date.parse(row.end_at) / 300_000; unit += 1)
        expected.push(`${row.doctor_id}|${unit}|${row.id}`);
    }
    const units = (
      sqlite.prepare('SELECT doctor_id, unit, appointment_id FROM appointment_units').all() as { doctor_id: string; unit: number; appointment_id: string }[]
    ).map((unit) => `${unit.doctor_id}|${unit.unit}|${unit.appointment_id}`);
    expect(units.sort()).toEqual(expected.sort());
  }

  checkModel(model: readonly ModelAppointment[]): void {
    const rows = this.clinic.core.store.sqlite
      .prepare(`SELECT id, doctor_id, patient_id, start_at, end_at, status, version FROM appointments ORDER BY id`)
      .all();
    const expected = [...model]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((a) => ({
        id: a.id,
        doctor_id: this.userIds[a.doctor],
        patient_id: this.patients[a.patient],
        start_at: a.startAt,
        end_at: a.endAt,
        status: a.status,
        version: a.version,
      }));
    expect(rows).toEqual(expected);
  }
}

// ---------------------------------------------------------------------------------------------
// The model's predictions

function withinHours(doctor: number, startAt: string, endAt: string): boolean {
  const date = localDateOf(startAt);
  return doctorAt(doctor)
    .hours(weekdayOf(date))
    .some(([from, to]) => localInstant(date, from) <= startAt && endAt <= localInstant(date, to));
}

/** What booking (or moving `except` to) [startAt, endAt) should answer, in the handlers' order of checks. */
function predictSlot(
  model: readonly ModelAppointment[],
  nowIso: string,
  slot: { doctor: number; patient: number; startAt: string; endAt: string; ack: boolean; except?: string },
): ErrorCode | 'OK' {
  if (slot.startAt < nowIso || !withinHours(slot.doctor, slot.startAt, slot.endAt)) return 'VALIDATION';
  const others = model.filter((a) => a.id !== slot.except && ACTIVE.has(a.status) && overlap(a, slot));
  if (others.some((a) => a.doctor === slot.doctor)) return 'CONFLICT';
  if (!slot.ack && others.some((a) => a.patient === slot.patient)) return 'CONFLICT';
  return 'OK';
}

/** The free slots the model expects for a doctor-day. */
function expectedSlots(model: readonly ModelAppointment[], doctor: number, date: string, nowIso: string): string[] {
  const { slotMinutes, hours } = doctorAt(doctor);
  const slots: string[] = [];
  for (const [from, to] of hours(weekdayOf(date)))
    for (let minute = from; minute + slotMinutes <= to; minute += slotMinutes) {
      const slot = { startAt: localInstant(date, minute), endAt: localInstant(date, minute + slotMinutes) };
      if (slot.startAt < nowIso) continue;
      if (model.some((a) => a.doctor === doctor && ACTIVE.has(a.status) && overlap(a, slot))) continue;
      slots.push(slot.startAt);
    }
  return slots;
}

// ---------------------------------------------------------------------------------------------
// Commands

type Command =
  | { kind: 'bookOffered'; doctor: number; patient: number; day: number; pick: number }
  | { kind: 'book'; doctor: number; patient: number; day: number; unit: number; near: Near; minutes: number | undefined; ack: boolean }
  | { kind: 'reschedule'; pick: number; doctor: number; day: number; unit: number; near: Near; ack: boolean }
  | { kind: 'cancel' | 'checkIn' | 'noShow' | 'complete'; pick: number }
  | { kind: 'advance'; minutes: number };

const doctorArb = fc.integer({ min: 0, max: 1 });
const patientArb = fc.integer({ min: 0, max: 5 });
/** Days from the clock's clinic day: mostly today and tomorrow, so check-ins and completions happen. */
const dayArb = fc.constantFrom(0, 0, 1, 2);
/** 5-minute units of the local day from 07:00 to 18:00: inside, around and outside the hours. */
const unitArb = fc.integer({ min: 84, max: 216 });
const pickArb = fc.nat({ max: 1000 });
/** Half the time, aim near an existing appointment (same doctor, a few units either side) to provoke clashes. */
type Near = { pick: number; shift: number } | null;
const nearArb: fc.Arbitrary<Near> = fc.option(fc.record({ pick: pickArb, shift: fc.integer({ min: -4, max: 4 }) }), { freq: 2 });

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('bookOffered' as const), doctor: doctorArb, patient: patientArb, day: dayArb, pick: pickArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      doctor: doctorArb,
      patient: patientArb,
      day: dayArb,
      unit: unitArb,
      near: nearArb,
      minutes: fc.constantFrom(undefined, 10, 15, 20, 30, 45, 60),
      ack: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('reschedule' as const),
      pick: pickArb,
      doctor: doctorArb,
      day: dayArb,
      unit: unitArb,
      near: nearArb,
      ack: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: pickArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('checkIn' as const), pick: pickArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('noShow' as const), pick: pickArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('complete' as const), pick: pickArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.oneof(fc.integer({ min: 5, max: 90 }), fc.integer({ min: 90, max: 1200 })) }),
  },
);

const FRONT_DESK = DEMO_USERNAMES.front_desk;

async function run(desk: Desk, model: ModelAppointment[], command: Command): Promise<void> {
  const { clinic } = desk;
  const nowIso = clinic.clock.iso();
  const code = (result: CallResult) => (result.envelope.ok ? 'OK' : result.envelope.error.code);
  const today = DAYS.indexOf(localDateOf(nowIso) as (typeof DAYS)[number]);
  const dateOf = (offset: number) => DAYS[Math.min(DAYS.length - 1, today + offset)] as string;
  // Half the picks come from the appointments the action could apply to, half from all of them.
  const plausible: Partial<Record<Command['kind'], AppointmentStatus>> = {
    reschedule: 'booked',
    cancel: 'booked',
    checkIn: 'booked',
    noShow: 'booked',
    complete: 'checked_in',
  };
  const pool = 'pick' in command && command.pick % 2 === 0 ? model.filter((a) => a.status === plausible[command.kind]) : model;
  const chosen = pool.length > 0 && 'pick' in command ? pool[Math.floor(command.pick / 2) % pool.length] : undefined;
  /** Where a book or reschedule aims: a random time that day, or next to an existing appointment. */
  const target = (c: { doctor: number; day: number; unit: number; near: Near }) => {
    const neighbour = c.near && model.length > 0 ? model[c.near.pick % model.length] : undefined;
    if (c.near && neighbour) return { doctor: neighbour.doctor, startAt: plus(neighbour.startAt, c.near.shift * 5) };
    return { doctor: c.doctor, startAt: localInstant(dateOf(c.day), c.unit * 5) };
  };

  switch (command.kind) {
    case 'bookOffered': {
      const date = dateOf(command.day);
      const [day] = expectOk(
        await desk.call(FRONT_DESK, 'appointments.availability', { doctorId: desk.userIds[command.doctor], from: date, to: date }),
      ) as DayAvailability[];
      if (!day) throw new Error('no day');
      // Exactly the model's free slots, labelled in clinic time.
      expect(day.slots.map((slot) => slot.startAt)).toEqual(expectedSlots(model, command.doctor, date, nowIso));
      for (const slot of day.slots) expect(slot.label).toBe(new Date(Date.parse(slot.startAt) + NAIROBI_OFFSET).toISOString().slice(11, 16));
      const slot = day.slots[command.pick % Math.max(1, day.slots.length)];
      if (!slot) return;
      const input = { doctorId: desk.userIds[command.doctor], startAt: slot.startAt, acknowledgeOverlap: true, reason: 'Review', notes: '' };
      const booked = expectOk(await desk.call(FRONT_DESK, 'appointments.book', { ...input, patientId: desk.patients[command.patient] })) as AppointmentOut;
      expect(booked).toMatchObject({ startAt: slot.startAt, endAt: slot.endAt, status: 'booked', version: 1 });
      model.push({ id: booked.id, doctor: command.doctor, patient: command.patient, startAt: slot.startAt, endAt: slot.endAt, status: 'booked', version: 1 });
      // The same slot again, for someone else: the doctor is taken.
      const other = (command.patient + 1 + (command.pick % 5)) % 6;
      const again = errorOf(await desk.call(FRONT_DESK, 'appointments.book', { ...input, patientId: desk.patients[other] }));
      expect(again.code).toBe('CONFLICT');
      expect(again.message).toBe(
        `${doctorAt(command.doctor).name} already has an appointment from ${slot.label} to ${localLabel(slot.endAt)}. Choose another time.`,
      );
      return;
    }
    case 'book': {
      const { doctor, startAt } = target(command);
      const minutes = command.minutes ?? doctorAt(doctor).slotMinutes;
      const endAt = plus(startAt, minutes);
      const expected = predictSlot(model, nowIso, { doctor, patient: command.patient, startAt, endAt, ack: command.ack });
      const result = await desk.call(FRONT_DESK, 'appointments.book', {
        patientId: desk.patients[command.patient],
        doctorId: desk.userIds[doctor],
        startAt,
        minutes: command.minutes,
        acknowledgeOverlap: command.ack,
        reason: 'Review',
        notes: '',
      });
      expect(code(result), JSON.stringify(result.envelope)).toBe(expected);
      if (result.envelope.ok) {
        const booked = result.envelope.value as AppointmentOut;
        model.push({ id: booked.id, doctor, patient: command.patient, startAt, endAt, status: 'booked', version: 1 });
      }
      return;
    }
    case 'reschedule': {
      if (!chosen) return;
      const { doctor, startAt } = target(command);
      const endAt = plus(startAt, (Date.parse(chosen.endAt) - Date.parse(chosen.startAt)) / MIN);
      let expected: ErrorCode | 'OK';
      if (chosen.status !== 'booked') expected = 'CONFLICT';
      else if (doctor === chosen.doctor && startAt === chosen.startAt) expected = 'VALIDATION';
      else expected = predictSlot(model, nowIso, { doctor, patient: chosen.patient, startAt, endAt, ack: command.ack, except: chosen.id });
      const result = await desk.call(FRONT_DESK, 'appointments.reschedule', {
        id: chosen.id,
        version: chosen.version,
        doctorId: desk.userIds[doctor],
        startAt,
        acknowledgeOverlap: command.ack,
      });
      expect(code(result), JSON.stringify(result.envelope)).toBe(expected);
      if (result.envelope.ok) Object.assign(chosen, { doctor, startAt, endAt, version: chosen.version + 1 });
      return;
    }
    case 'cancel':
    case 'checkIn':
    case 'noShow': {
      if (!chosen) return;
      let expected: ErrorCode | 'OK' = chosen.status === 'booked' ? 'OK' : 'CONFLICT';
      if (command.kind === 'checkIn' && localDateOf(chosen.startAt) !== localDateOf(nowIso)) expected = 'CONFLICT';
      if (command.kind === 'noShow' && chosen.startAt > nowIso) expected = 'CONFLICT';
      const input = command.kind === 'cancel' ? { id: chosen.id, version: chosen.version, reason: 'Cannot come' } : { id: chosen.id, version: chosen.version };
      const result = await desk.call(FRONT_DESK, `appointments.${command.kind}`, input);
      expect(code(result), JSON.stringify(result.envelope)).toBe(expected);
      if (result.envelope.ok) {
        const status = { cancel: 'cancelled', checkIn: 'checked_in', noShow: 'no_show' } as const;
        Object.assign(chosen, { status: status[command.kind], version: chosen.version + 1 });
        expect(result.envelope.value).toMatchObject({ status: chosen.status, version: chosen.version });
      }
      return;
    }
    case 'complete': {
      if (!chosen) return;
      const doctor = doctorAt(chosen.doctor).username;
      if (chosen.status === 'checked_in') {
        expectOk(
          await desk.call(doctor, 'encounters.create', {
            patientId: desk.patients[chosen.patient],
            appointmentId: chosen.id,
            encounter: { complaint: 'Cough', findings: 'Clear chest', diagnoses: [{ text: 'Viral URTI', icd10: null }], plan: 'Fluids' },
          }),
        );
        // Writing the visit links it to the appointment, which bumps its version.
        chosen.version += 1;
      }
      const result = await desk.call(doctor, 'appointments.complete', { id: chosen.id, version: chosen.version });
      expect(code(result), JSON.stringify(result.envelope)).toBe(chosen.status === 'checked_in' ? 'OK' : 'CONFLICT');
      if (result.envelope.ok) Object.assign(chosen, { status: 'completed', version: chosen.version + 1 });
      return;
    }
    case 'advance': {
      const next = Math.min(CLOCK_LIMIT, clinic.clock.now().getTime() + command.minutes * MIN);
      clinic.clock.set(new Date(next));
      return;
    }
  }
}

const localLabel = (iso: string) => new Date(Date.parse(iso) + NAIROBI_OFFSET).toISOString().slice(11, 16);

// ---------------------------------------------------------------------------------------------

describe('random sequences of booking and lifecycle commands', () => {
  it('never leave a doctor double-booked, keep appointment_units exact, and answer as the model predicts', async () => {
    let commandsRun = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 5, maxLength: 30 }), async (commands) => {
        const clinic = await openDemoClinic();
        try {
          const desk = new Desk(clinic);
          expect(desk.patients).toHaveLength(6);
          const model: ModelAppointment[] = [];
          for (const command of commands) {
            await run(desk, model, command);
            commandsRun += 1;
            desk.checkInvariants();
            desk.checkModel(model);
          }
        } finally {
          clinic.dispose();
        }
      }),
      // Shrinking replays whole clinics: give a failure time to shrink, then report what it has.
      { numRuns: 40, interruptAfterTimeLimit: 150_000 },
    );
    expect(commandsRun).toBeGreaterThan(40 * 5);
  }, 180_000);
});

// ---------------------------------------------------------------------------------------------

describe('races and the database’s own refusal', () => {
  let clinic: DemoClinic;
  let desk: Desk;
  beforeEach(async () => {
    clinic = await openDemoClinic();
    desk = new Desk(clinic);
  });
  afterEach(() => clinic.dispose());

  const booking = (patient: number, startAt: string, extra: Record<string, unknown> = {}) => ({
    patientId: desk.patients[patient],
    doctorId: desk.userIds[0],
    startAt,
    reason: 'Review',
    notes: '',
    ...extra,
  });

  it('two desks booking the same slot at once: exactly one wins, the other gets CONFLICT in plain words', async () => {
    const [first, second] = [await desk.caller(FRONT_DESK, 'desk-1'), await desk.caller(FRONT_DESK, 'desk-2')];
    for (const [i, time] of ['09:00', '09:15', '10:30', '14:00'].entries()) {
      const startAt = localInstant('2026-03-03', Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
      const results = await Promise.all([
        clinic.call('appointments.book', booking(i, startAt), first),
        clinic.call('appointments.book', booking(i + 1, startAt), second),
      ]);
      const codes = results.map((result) => (result.envelope.ok ? 'OK' : result.envelope.error.code)).sort();
      expect(codes).toEqual(['CONFLICT', 'OK']);
      const loser = results.find((result) => !result.envelope.ok);
      expect(loser && errorOf(loser).message).toBe(
        `Dr. Daniel Mwangi already has an appointment from ${time} to ${localLabel(plus(startAt, 15))}. Choose another time.`,
      );
    }
    // Overlapping, not identical, times race the same way.
    const results = await Promise.all([
      clinic.call('appointments.book', booking(1, localInstant('2026-03-03', 11 * 60), { minutes: 30 }), first),
      clinic.call('appointments.book', booking(2, localInstant('2026-03-03', 11 * 60 + 20)), second),
      clinic.call('appointments.book', booking(3, localInstant('2026-03-03', 11 * 60 + 10)), first),
    ]);
    expect(results.filter((result) => result.envelope.ok)).toHaveLength(1);
    desk.checkInvariants();
  });

  it('when the constraint, not the handler’s read, catches the race, the loser still gets a plain CONFLICT and nothing is written', async () => {
    const sqlite = clinic.core.store.sqlite;
    // Simulates a second window committing the same doctor's 09:00–09:15 after this booking's read
    // and before its write: a temporary trigger slips the rival's units in just ahead of the insert.
    sqlite.exec(`CREATE TEMP TRIGGER rival_booking BEFORE INSERT ON main.appointments WHEN NEW.reason = 'Raced'
      BEGIN INSERT INTO appointment_units (doctor_id, unit, appointment_id) VALUES (NEW.doctor_id, unixepoch(NEW.start_at) / 300 + 1, 'rival'); END`);
    const before = sqlite.prepare('SELECT count(*) FROM appointments').pluck().get();
    const startAt = localInstant('2026-03-03', 9 * 60);
    const refusal = errorOf(await desk.call(FRONT_DESK, 'appointments.book', booking(1, startAt, { reason: 'Raced' })));
    expect(refusal).toMatchObject({ code: 'CONFLICT', message: 'Dr. Daniel Mwangi already has an appointment from 09:00 to 09:15. Choose another time.' });
    expect(refusal.message).not.toMatch(/SQLITE|constraint|UNIQUE/i);
    expect(sqlite.prepare('SELECT count(*) FROM appointments').pluck().get()).toBe(before);
    expect(sqlite.prepare('SELECT count(*) FROM appointment_units').pluck().get()).toBe(0);
    sqlite.exec('DROP TRIGGER temp.rival_booking');
    expectOk(await desk.call(FRONT_DESK, 'appointments.book', booking(1, startAt)));
    desk.checkInvariants();
  });

  it('the database refuses an overlapping active appointment written around the handlers, in every active status and by update', async () => {
    const sqlite = clinic.core.store.sqlite;
    const booked = expectOk(
      await desk.call(FRONT_DESK, 'appointments.book', booking(1, localInstant('2026-03-03', 9 * 60), { minutes: 30 })),
    ) as AppointmentOut;
    const insert = sqlite.prepare(
      `INSERT INTO appointments (id, patient_id, doctor_id, start_at, end_at, reason, status, cancel_reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'direct', ?, ?, '2026-03-02T08:00:00.000Z', '2026-03-02T08:00:00.000Z')`,
    );
    const doctorId = desk.userIds[0];
    for (const status of ['booked', 'checked_in', 'completed'] as const) {
      // Ends inside, starts inside, encloses, and identical.
      for (const [from, to] of [
        [8 * 60 + 45, 9 * 60 + 5],
        [9 * 60 + 25, 9 * 60 + 40],
        [8 * 60 + 30, 10 * 60],
        [9 * 60, 9 * 60 + 30],
      ] as const) {
        expect(() =>
          insert.run(`x-${status}-${from}`, desk.patients[2], doctorId, localInstant('2026-03-03', from), localInstant('2026-03-03', to), status, null),
        ).toThrow(/UNIQUE constraint failed: appointment_units/);
      }
    }
    // Touching is not overlapping; another doctor at the same time is fine; cancelled rows hold no time.
    insert.run('touching', desk.patients[2], doctorId, localInstant('2026-03-03', 9 * 60 + 30), localInstant('2026-03-03', 9 * 60 + 45), 'booked', null);
    insert.run('kimani', desk.patients[2], desk.userIds[1], localInstant('2026-03-03', 9 * 60), localInstant('2026-03-03', 9 * 60 + 20), 'booked', null);
    insert.run('ghost', desk.patients[2], doctorId, localInstant('2026-03-03', 9 * 60), localInstant('2026-03-03', 9 * 60 + 15), 'cancelled', 'moved');
    desk.checkInvariants();
    // Moving a row onto taken time, reviving a cancelled one, or switching doctor into a clash: refused too.
    expect(() =>
      sqlite
        .prepare(`UPDATE appointments SET start_at = ?, end_at = ? WHERE id = 'touching'`)
        .run(localInstant('2026-03-03', 9 * 60 + 20), localInstant('2026-03-03', 9 * 60 + 35)),
    ).toThrow(/UNIQUE constraint failed: appointment_units/);
    expect(() => sqlite.prepare(`UPDATE appointments SET status = 'booked', cancel_reason = NULL WHERE id = 'ghost'`).run()).toThrow(
      /UNIQUE constraint failed: appointment_units/,
    );
    expect(() => sqlite.prepare(`UPDATE appointments SET doctor_id = ? WHERE id = 'kimani'`).run(doctorId)).toThrow(
      /UNIQUE constraint failed: appointment_units/,
    );
    expect(() => sqlite.prepare(`DELETE FROM appointments WHERE id = ?`).run(booked.id)).toThrow(/never deleted/);
    desk.checkInvariants();
    // Cancelling frees the units, and the freed time can be taken directly.
    sqlite.prepare(`UPDATE appointments SET status = 'cancelled', cancel_reason = 'x' WHERE id = ?`).run(booked.id);
    insert.run('after-cancel', desk.patients[2], doctorId, localInstant('2026-03-03', 9 * 60), localInstant('2026-03-03', 9 * 60 + 15), 'booked', null);
    desk.checkInvariants();
  });
});

// ---------------------------------------------------------------------------------------------

describe('a clinic across daylight-saving changes (America/New_York) through the router', () => {
  let clinic: DemoClinic;
  let desk: Desk;
  beforeEach(async () => {
    clinic = await openDemoClinic();
    desk = new Desk(clinic);
    const settings = expectOk(await desk.call(DEMO_USERNAMES.admin, 'settings.get', {})) as Record<string, unknown>;
    expectOk(await desk.call(DEMO_USERNAMES.admin, 'settings.update', { ...settings, timeZone: 'America/New_York' }));
    const schedule = expectOk(await desk.call(FRONT_DESK, 'schedules.get', { doctorId: desk.userIds[0] })) as ScheduleOut;
    // Sundays 01:00–04:00 (across the change) and 08:00–12:00; Mondays and Saturdays 08:00–12:00.
    expectOk(
      await desk.call(FRONT_DESK, 'schedules.setHours', {
        doctorId: desk.userIds[0],
        hoursVersion: schedule.hoursVersion,
        hours: [
          { weekday: 6, start: '08:00', end: '12:00' },
          { weekday: 7, start: '01:00', end: '04:00' },
          { weekday: 7, start: '08:00', end: '12:00' },
          { weekday: 1, start: '08:00', end: '12:00' },
        ],
      }),
    );
  });
  afterEach(() => clinic.dispose());

  const availability = async (from: string, to: string) =>
    expectOk(await desk.call(FRONT_DESK, 'appointments.availability', { doctorId: desk.userIds[0], from, to })) as DayAvailability[];
  const book = async (patient: number, startAt: string) =>
    desk.call(FRONT_DESK, 'appointments.book', {
      patientId: desk.patients[patient],
      doctorId: desk.userIds[0],
      startAt,
      acknowledgeOverlap: true,
      reason: 'Review',
      notes: '',
    });
  const quarterHours = (hours: string[]) => hours.flatMap((hour) => ['00', '15', '30', '45'].map((minute) => `${hour}:${minute}`));

  it('spring forward (Sunday 2026-03-08): wall-clock labels stay, instants shift an hour, nothing in the skipped hour, and the slots book', async () => {
    clinic.clock.set('2026-03-06T17:00:00.000Z'); // Friday noon in New York
    const [saturday, sunday, monday] = await availability('2026-03-07', '2026-03-09');
    const morning = quarterHours(['08', '09', '10', '11']);
    expect(saturday?.slots.map((slot) => slot.label)).toEqual(morning);
    expect(saturday?.slots[0]?.startAt).toBe('2026-03-07T13:00:00.000Z'); // EST
    expect(sunday?.slots.map((slot) => slot.label)).toEqual([...quarterHours(['01', '03']), ...morning]);
    expect(sunday?.blocks).toEqual([
      { startAt: '2026-03-08T06:00:00.000Z', endAt: '2026-03-08T08:00:00.000Z' }, // two real hours
      { startAt: '2026-03-08T12:00:00.000Z', endAt: '2026-03-08T16:00:00.000Z' },
    ]);
    expect(sunday?.slots.find((slot) => slot.label === '03:00')?.startAt).toBe('2026-03-08T07:00:00.000Z');
    expect(sunday?.slots.find((slot) => slot.label === '08:00')?.startAt).toBe('2026-03-08T12:00:00.000Z'); // EDT
    expect(monday?.slots[0]).toMatchObject({ label: '08:00', startAt: '2026-03-09T12:00:00.000Z' });

    // Book the slots either side of the jump and one in the morning; all offered, all bookable.
    for (const [patient, label] of [
      [1, '01:45'],
      [2, '03:00'],
      [3, '08:00'],
    ] as const) {
      const slot = sunday?.slots.find((s) => s.label === label);
      if (!slot) throw new Error(`no ${label} slot`);
      expect(expectOk(await book(patient, slot.startAt))).toMatchObject({ startAt: slot.startAt, endAt: slot.endAt });
    }
    // 01:45 EST ends at 03:00 EDT, which is the 03:00 slot's start: they touch, they do not overlap.
    const [after] = await availability('2026-03-08', '2026-03-08');
    expect(after?.slots.map((slot) => slot.label)).toEqual([...quarterHours(['01', '03']), ...morning].filter((l) => !['01:45', '03:00', '08:00'].includes(l)));
    // 02:xx is never offered: the instant after 03:00 EDT reads 03:15.
    expect(after?.slots.find((slot) => slot.label === '03:15')?.startAt).toBe('2026-03-08T07:15:00.000Z');
    // Appointments read back in clinic time, and check in on their own (short) day.
    clinic.clock.set('2026-03-08T06:50:00.000Z'); // 01:50 EST
    const list = expectOk(await desk.call(FRONT_DESK, 'appointments.list', { filter: { from: '2026-03-08', to: '2026-03-08' } })) as AppointmentOut[];
    expect(list.map((a) => a.startAt)).toEqual(['2026-03-08T06:45:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-08T12:00:00.000Z']);
    const threeAm = list[1] as AppointmentOut;
    expect(expectOk(await desk.call(FRONT_DESK, 'appointments.checkIn', { id: threeAm.id, version: threeAm.version }))).toMatchObject({ status: 'checked_in' });
    // Later the same night, the passed and booked slots are gone.
    const [sundayNow] = await availability('2026-03-08', '2026-03-08');
    expect(sundayNow?.slots[0]?.label).toBe('03:15');
    desk.checkInvariants();
  });

  it('fall back (Sunday 2026-11-01): the repeated hour is offered twice at different instants, and both can be booked', async () => {
    clinic.clock.set('2026-10-30T16:00:00.000Z'); // Friday noon in New York (EDT)
    const [saturday, sunday, monday] = await availability('2026-10-31', '2026-11-02');
    expect(saturday?.slots[0]).toMatchObject({ label: '08:00', startAt: '2026-10-31T12:00:00.000Z' }); // EDT
    expect(monday?.slots[0]).toMatchObject({ label: '08:00', startAt: '2026-11-02T13:00:00.000Z' }); // EST
    expect(sunday?.blocks[0]).toEqual({ startAt: '2026-11-01T05:00:00.000Z', endAt: '2026-11-01T09:00:00.000Z' }); // four real hours
    // Both readings of the repeated hour say which offset they are in; other times stay plain.
    const oneAm = sunday?.slots.filter((slot) => slot.label.startsWith('01:00')) ?? [];
    expect(oneAm.map((slot) => [slot.label, slot.startAt])).toEqual([
      ['01:00 EDT', '2026-11-01T05:00:00.000Z'],
      ['01:00 EST', '2026-11-01T06:00:00.000Z'],
    ]);
    expect(sunday?.slots.find((slot) => slot.label === '08:00')?.startAt).toBe('2026-11-01T13:00:00.000Z');
    for (const [i, slot] of oneAm.entries()) expect(expectOk(await book(i + 1, slot.startAt))).toMatchObject({ startAt: slot.startAt });
    const [after] = await availability('2026-11-01', '2026-11-01');
    expect(after?.slots.filter((slot) => slot.label.startsWith('01:00'))).toEqual([]);
    expect(after?.slots.filter((slot) => slot.label.startsWith('01:15')).map((slot) => slot.label)).toEqual(['01:15 EDT', '01:15 EST']);
    desk.checkInvariants();
  });
});
