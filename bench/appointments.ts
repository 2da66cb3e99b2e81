import { newId } from '../src-main/core/ids.js';
import { readClinicSettings } from '../src-main/modules/settings/queries.js';
import type { DayAvailability } from '../src-shared/contract/appointments.js';
import { addDays, clinicDayStart, clinicLocalDate, isoWeekday, zonedInstant } from '../src-shared/time.js';
import type { BenchArea, BenchContext, BenchOperation } from './lib.js';

/**
 * Appointments: D doctors (users with the doctor role, profiles in a dozen departments, weekly
 * hours of one or two blocks a day, some leave) and M appointments over about two years of their
 * working days, most of them in the past (completed, cancelled, no-show), the rest booked ahead,
 * thinning out towards the end of the window. Then one doctor-day's free slots and one booking,
 * both through the whole router as the front desk, beside the same work prepared by hand.
 *
 * The rows are written with prepared statements in large transactions, column for column what the
 * appointment handlers write; the appointments' insert trigger fills appointment_units for every
 * active one, as it does for a real booking.
 */

const DEFAULT_DOCTORS = 500;
const DEFAULT_APPOINTMENTS = 2_000_000;
const PAST_DAYS = 540;
const FUTURE_DAYS = 180;
/** Measured days and bookings fall this many days ahead at most (where the front desk books). */
const MEASURED_AHEAD_DAYS = 90;
const BATCH = 20_000;
const SLOTS_TARGET_P95_MS = 2;
const BOOK_TARGET_P95_MS = 5;
const MINUTE = 60_000;
const DAY = 86_400_000;

const DEPARTMENTS = [
  'Internal Medicine',
  'Obstetrics & Gynaecology',
  'General Surgery',
  'Orthopaedics',
  'Dermatology',
  'ENT',
  'Ophthalmology',
  'Dental',
  'Cardiology',
  'Psychiatry',
];
const GIVEN = ['Achieng', 'Brian', 'Chebet', 'David', 'Esther', 'Farid', 'Grace', 'Hassan', 'Irene', 'Joseph', 'Kendi', 'Liam', 'Mercy', 'Njoroge'];
const FAMILY = ['Otieno', 'Kamau', 'Wanjiru', 'Mutua', 'Kiprono', 'Abdi', 'Patel', 'Okafor', 'Njeri', 'Barasa', 'Haddad', 'Mensah', 'Ochieng'];
const REASONS = ['Follow-up visit', 'New complaint', 'Review of results', 'Antenatal check', 'Blood pressure review', 'Dressing change'];
const SLOT_LENGTHS = [10, 15, 15, 20, 20, 30];
/** Kenyan fixed-date public holidays (month-day). */
const HOLIDAYS: Array<[string, string]> = [
  ['01-01', 'New Year’s Day'],
  ['05-01', 'Labour Day'],
  ['06-01', 'Madaraka Day'],
  ['10-10', 'Mazingira Day'],
  ['10-20', 'Mashujaa Day'],
  ['12-12', 'Jamhuri Day'],
  ['12-25', 'Christmas Day'],
  ['12-26', 'Boxing Day'],
];

interface Doctor {
  userId: string;
  slotMinutes: number;
  /** weekday -> blocks in clinic-local minutes */
  hours: Map<number, Array<[number, number]>>;
  /** Clinic dates this doctor is on leave (whole days). */
  leaveDays: Set<string>;
}

interface Generated {
  zone: string;
  /** Doctor-days to ask for free slots: future working days, not holidays or leave. */
  days: Array<{ doctorId: string; date: string }>;
  /** Free slots with a patient who is free then, each to be booked once. */
  coreBookings: Booking[];
  baselineBookings: Booking[];
  frontDeskId: string;
}
interface Booking {
  doctorId: string;
  patientId: string;
  startAt: string;
  endAt: string;
}
const state = new WeakMap<BenchContext, Generated>();

const sizeArg = (ctx: BenchContext, name: string, fallback: number, min: number) => {
  const value = Number(ctx.options.args.get(name) ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} needs a whole number of at least ${min}`);
  return value;
};

/**
 * Instants of clinic-local minutes on a date. A day of exactly 24 hours has no daylight-saving
 * change, so its minutes are plain offsets from midnight; otherwise ask zonedInstant.
 */
function dayClock(zone: string) {
  const cache = new Map<string, { start: number; plain: boolean }>();
  const day = (date: string) => {
    let known = cache.get(date);
    if (!known) {
      const start = Date.parse(clinicDayStart(date, zone));
      known = { start, plain: Date.parse(clinicDayStart(addDays(date, 1), zone)) - start === DAY };
      cache.set(date, known);
    }
    return known;
  };
  return {
    day,
    at: (date: string, minute: number): number => {
      const known = day(date);
      return known.plain && minute <= 1440 ? known.start + minute * MINUTE : zonedInstant(date, minute, zone).getTime();
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const pad = (value: number) => String(value).padStart(2, '0');

function generateDoctors(ctx: BenchContext, total: number, nowIso: string): void {
  const db = ctx.sqlite;
  const existing = db.prepare('SELECT count(*) FROM doctor_profiles').pluck().get() as number;
  const doctorRole = db.prepare("SELECT id FROM roles WHERE name = 'doctor'").pluck().get() as string;
  const hash = db.prepare("SELECT password_hash FROM users WHERE username = 'doctor'").pluck().get() as string;
  const row = [nowIso, nowIso, null, 1] as const;
  const department = db.prepare('INSERT INTO departments (id, name, active, created_at, updated_at, created_by, version) VALUES (?, ?, 1, ?, ?, ?, ?)');
  const user = db.prepare(
    `INSERT INTO users (id, username, display_name, role_id, password_hash, active, must_change_password, totp_enabled, patient_id, created_at, updated_at, created_by, version)
     VALUES (?, ?, ?, ?, ?, 1, 0, 0, NULL, ?, ?, ?, ?)`,
  );
  const profile = db.prepare(
    `INSERT INTO doctor_profiles (id, user_id, department_id, specialization, consultation_fee_minor, slot_minutes, active, hours_version, created_at, updated_at, created_by, version)
     VALUES (?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?)`,
  );
  const hours = db.prepare(
    'INSERT INTO working_hours (id, doctor_id, weekday, start_minute, end_minute, created_at, updated_at, created_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    const departmentIds = (db.prepare('SELECT id FROM departments').pluck().all() as string[]).slice();
    for (const name of DEPARTMENTS) {
      const id = newId();
      department.run(id, name, ...row);
      departmentIds.push(id);
    }
    for (let index = existing; index < total; index += 1) {
      const id = newId();
      const name = `Dr. ${ctx.random.pick(GIVEN)} ${ctx.random.pick(FAMILY)} ${index}`;
      user.run(id, `bench.doctor.${index}`, name, doctorRole, hash, ...row);
      const departmentId = ctx.random.pick(departmentIds);
      profile.run(newId(), id, departmentId, 'General practice', 100_000 * ctx.random.int(1, 4), ctx.random.pick(SLOT_LENGTHS), ...row);
      const pattern = ctx.random.next();
      const blocks: Array<[number, number, number]> = [];
      if (pattern < 0.7) {
        // Full time: two blocks Monday to Friday.
        for (let weekday = 1; weekday <= 5; weekday += 1) blocks.push([weekday, 8 * 60, 12 * 60 + 30], [weekday, 13 * 60 + 30, 17 * 60]);
      } else if (pattern < 0.9) {
        // Full time and Saturday mornings.
        for (let weekday = 1; weekday <= 5; weekday += 1) blocks.push([weekday, 9 * 60, 13 * 60], [weekday, 14 * 60, 18 * 60]);
        blocks.push([6, 9 * 60, 13 * 60]);
      } else {
        // Part time: three mornings or two long days.
        const days = ctx.random.chance(0.5) ? [1, 3, 5] : [2, 4];
        for (const weekday of days) blocks.push([weekday, 8 * 60, days.length === 3 ? 13 * 60 : 16 * 60]);
      }
      for (const [weekday, start, end] of blocks) hours.run(newId(), id, weekday, start, end, ...row);
    }
  })();
}

function readDoctors(ctx: BenchContext): Doctor[] {
  const rows = ctx.sqlite
    .prepare(
      'SELECT d.user_id, d.slot_minutes, h.weekday, h.start_minute, h.end_minute FROM doctor_profiles d JOIN working_hours h ON h.doctor_id = d.user_id ORDER BY d.user_id, h.weekday, h.start_minute',
    )
    .all() as Array<{ user_id: string; slot_minutes: number; weekday: number; start_minute: number; end_minute: number }>;
  const doctors = new Map<string, Doctor>();
  for (const row of rows) {
    let doctor = doctors.get(row.user_id);
    if (!doctor) {
      doctor = { userId: row.user_id, slotMinutes: row.slot_minutes, hours: new Map(), leaveDays: new Set() };
      doctors.set(row.user_id, doctor);
    }
    const blocks = doctor.hours.get(row.weekday) ?? [];
    blocks.push([row.start_minute, row.end_minute]);
    doctor.hours.set(row.weekday, blocks);
  }
  return [...doctors.values()];
}

/** Slot starts (clinic-local minutes) of a doctor's weekday, with whether the next slot follows in the same block. */
function slotStarts(doctor: Doctor, weekday: number): Array<{ minute: number; followed: boolean }> {
  const starts: Array<{ minute: number; followed: boolean }> = [];
  for (const [start, end] of doctor.hours.get(weekday) ?? []) {
    for (let minute = start; minute + doctor.slotMinutes <= end; minute += doctor.slotMinutes) {
      starts.push({ minute, followed: minute + 2 * doctor.slotMinutes <= end });
    }
  }
  return starts;
}

function generateLeaveAndHolidays(ctx: BenchContext, doctors: Doctor[], dates: string[], clock: ReturnType<typeof dayClock>, nowIso: string): Set<string> {
  const db = ctx.sqlite;
  const holidays = new Set<string>();
  const holiday = db.prepare(
    'INSERT INTO clinic_holidays (id, date, name, removed_at, removed_by, created_at, updated_at, created_by, version) VALUES (?, ?, ?, NULL, NULL, ?, ?, NULL, 1)',
  );
  const leave = db.prepare(
    `INSERT INTO doctor_leave (id, doctor_id, start_at, end_at, reason, removed_at, removed_by, created_at, updated_at, created_by, version)
     VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, NULL, 1)`,
  );
  const taken = new Set(db.prepare('SELECT date FROM clinic_holidays WHERE removed_at IS NULL').pluck().all() as string[]);
  db.transaction(() => {
    for (const date of dates) {
      const named = HOLIDAYS.find(([monthDay]) => date.endsWith(monthDay));
      if (!named) continue;
      holidays.add(date);
      if (!taken.has(date)) holiday.run(newId(), date, named[1], nowIso, nowIso);
    }
    // About three weeks of leave a year per doctor, a week at a time.
    const weeks = Math.round((dates.length / 365) * 3 * doctors.length);
    for (let index = 0; index < weeks; index += 1) {
      const doctor = ctx.random.pick(doctors);
      const first = ctx.random.int(0, dates.length - 8);
      const from = dates[first] as string;
      const to = dates[first + 7] as string;
      for (let day = first; day < first + 7; day += 1) doctor.leaveDays.add(dates[day] as string);
      leave.run(newId(), doctor.userId, iso(clock.day(from).start), iso(clock.day(to).start), 'Annual leave', nowIso, nowIso);
    }
  })();
  return holidays;
}

export const appointmentsBench: BenchArea = {
  name: 'appointments',

  async generate(ctx) {
    const doctorCount = sizeArg(ctx, 'doctors', DEFAULT_DOCTORS, 10);
    const total = sizeArg(ctx, 'appointments', DEFAULT_APPOINTMENTS, 1_000);
    const db = ctx.sqlite;
    const { timeZone: zone } = await readClinicSettings(ctx.db);
    const now = Date.now();
    const nowIso = iso(now);
    const today = clinicLocalDate(new Date(now), zone);
    const clock = dayClock(zone);
    const frontDeskId = db.prepare("SELECT id FROM users WHERE username = 'frontdesk'").pluck().get() as string;
    const patients = db.prepare('SELECT id FROM patients WHERE merged_into IS NULL AND active = 1 ORDER BY rowid').pluck().all() as string[];
    if (patients.length === 0) throw new Error('appointments: no patients to book');

    generateDoctors(ctx, doctorCount, nowIso);
    const doctors = readDoctors(ctx);
    const dates = Array.from({ length: PAST_DAYS + FUTURE_DAYS + 1 }, (_, index) => addDays(today, index - PAST_DAYS));
    const holidays = generateLeaveAndHolidays(ctx, doctors, dates, clock, nowIso);

    // Every doctor-day with hours, and its weight: the past is full, the future thins out.
    interface DoctorDay {
      doctor: Doctor;
      date: string;
      starts: Array<{ minute: number; followed: boolean }>;
      count: number;
    }
    const doctorDays: DoctorDay[] = [];
    let capacity = 0;
    for (const [index, date] of dates.entries()) {
      if (holidays.has(date)) continue;
      const ahead = index - PAST_DAYS;
      const weight = ahead <= 0 ? 1 : Math.max(0.05, 1 - ahead / FUTURE_DAYS);
      const weekday = isoWeekday(date);
      for (const doctor of doctors) {
        if (doctor.leaveDays.has(date)) continue;
        const starts = slotStarts(doctor, weekday);
        if (starts.length === 0) continue;
        doctorDays.push({ doctor, date, starts, count: weight });
        capacity += weight * starts.length;
      }
    }
    // Share the total out in proportion to each day's slots and weight, then settle the rounding.
    const fill = total / capacity;
    if (fill > 0.95) throw new Error(`appointments: ${total} appointments would fill ${Math.round(fill * 100)}% of the doctors' slots; use fewer`);
    let assigned = 0;
    for (const day of doctorDays) {
      const exact = Math.min(day.starts.length, day.count * fill * day.starts.length * (0.6 + 0.8 * ctx.random.next()));
      day.count = Math.floor(exact) + (ctx.random.next() < exact - Math.floor(exact) ? 1 : 0);
      assigned += day.count;
    }
    while (assigned !== total) {
      const day = ctx.random.pick(doctorDays);
      if (assigned < total && day.count < day.starts.length) {
        day.count += 1;
        assigned += 1;
      } else if (assigned > total && day.count > 0) {
        day.count -= 1;
        assigned -= 1;
      }
    }

    const appointment = db.prepare(
      `INSERT INTO appointments (id, patient_id, doctor_id, start_at, end_at, reason, notes, status, cancel_reason, checked_in_at, completed_at, encounter_id,
         created_at, updated_at, created_by, version)
       VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, NULL, ?, ?, ?, 1)`,
    );
    const event = db.prepare(
      `INSERT INTO appointment_events (id, appointment_id, kind, at, from_start_at, from_end_at, from_doctor_id, reason, created_at, updated_at, created_by, version)
       VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, 1)`,
    );
    const write = (doctor: Doctor, date: string, minute: number, slots: number) => {
      const id = newId();
      const start = clock.at(date, minute);
      const startAt = iso(start);
      const endAt = iso(start + slots * doctor.slotMinutes * MINUTE);
      const bookedAt = iso(Math.min(now - MINUTE, start - ctx.random.int(1, 30 * 24 * 60) * MINUTE));
      const patientId = patients[ctx.random.int(0, patients.length - 1)] as string;
      const reason = ctx.random.pick(REASONS);
      const roll = ctx.random.next();
      if (start >= now) {
        const cancelled = roll < 0.1;
        appointment.run(
          id,
          patientId,
          doctor.userId,
          startAt,
          endAt,
          reason,
          cancelled ? 'cancelled' : 'booked',
          cancelled ? 'Patient asked' : null,
          null,
          null,
          bookedAt,
          bookedAt,
          frontDeskId,
        );
        event.run(newId(), id, 'booked', bookedAt, null, bookedAt, bookedAt, frontDeskId);
        if (cancelled) event.run(newId(), id, 'cancelled', bookedAt, 'Patient asked', bookedAt, bookedAt, frontDeskId);
        return;
      }
      const status = roll < 0.82 ? 'completed' : roll < 0.92 ? 'cancelled' : 'no_show';
      const checkedIn = status === 'completed' ? iso(start - 10 * MINUTE) : null;
      const completed = status === 'completed' ? endAt : null;
      appointment.run(
        id,
        patientId,
        doctor.userId,
        startAt,
        endAt,
        reason,
        status,
        status === 'cancelled' ? 'Patient asked' : null,
        checkedIn,
        completed,
        bookedAt,
        completed ?? bookedAt,
        frontDeskId,
      );
      event.run(newId(), id, 'booked', bookedAt, null, bookedAt, bookedAt, frontDeskId);
      if (status === 'completed') {
        event.run(newId(), id, 'checked_in', checkedIn, null, checkedIn, checkedIn, frontDeskId);
        event.run(newId(), id, 'completed', completed, null, completed, completed, doctor.userId);
      } else if (status === 'cancelled') event.run(newId(), id, 'cancelled', bookedAt, 'Patient asked', bookedAt, bookedAt, frontDeskId);
      else event.run(newId(), id, 'no_show', endAt, null, endAt, endAt, null);
    };

    const started = performance.now();
    let written = 0;
    let reported = 0;
    let next = 0;
    while (next < doctorDays.length) {
      db.transaction(() => {
        const end = written + BATCH;
        while (written < end && next < doctorDays.length) {
          const day = doctorDays[next] as DoctorDay;
          next += 1;
          // Choose day.count distinct slots; now and then one runs over two slots when the next is free.
          const chosen = new Set<number>();
          while (chosen.size < day.count) chosen.add(ctx.random.int(0, day.starts.length - 1));
          for (const index of [...chosen].sort((a, b) => a - b)) {
            const slot = day.starts[index] as { minute: number; followed: boolean };
            const double = slot.followed && !chosen.has(index + 1) && ctx.random.chance(0.08);
            write(day.doctor, day.date, slot.minute, double ? 2 : 1);
          }
          written += day.count;
        }
      })();
      if (written - reported >= 200_000 || next >= doctorDays.length) {
        reported = written;
        const seconds = (performance.now() - started) / 1000;
        ctx.log(`  ${written.toLocaleString('en')} appointments written (${Math.round(written / seconds).toLocaleString('en')}/s)`);
      }
    }

    // What to measure: future working days, 1 to MEASURED_AHEAD_DAYS ahead, of random doctors.
    const candidates = doctorDays.filter((day) => day.date > today && day.date <= addDays(today, MEASURED_AHEAD_DAYS));
    const pickDays = (count: number) => Array.from({ length: count }, () => ctx.random.pick(candidates));
    const days = pickDays(1_000).map((day) => ({ doctorId: day.doctor.userId, date: day.date }));

    // Bookings: one free slot on each of other random doctor-days (from the hand-written slot
    // computation), with a patient who has nothing else then.
    const free = baselineAvailability(ctx, zone);
    const patientBusy = db.prepare(
      "SELECT 1 FROM appointments WHERE patient_id = ? AND start_at >= ? AND start_at < ? AND end_at > ? AND status IN ('booked', 'checked_in', 'completed')",
    );
    const pending = new Map<string, Array<[string, string]>>();
    const bookings: Booking[] = [];
    const needed = 2 * (ctx.options.iterations + ctx.options.warmup) + 40;
    const seen = new Set<string>();
    while (bookings.length < needed) {
      if (seen.size === candidates.length)
        throw new Error(`appointments: too few free doctor-days for ${needed} bookings; use more --doctors or fewer --iterations`);
      const day = ctx.random.pick(candidates);
      const key = `${day.doctor.userId} ${day.date}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const slots = free(day.doctor.userId, day.date, nowIso);
      if (slots.length === 0) continue;
      const slot = ctx.random.pick(slots);
      // A patient with nothing else then, in the store or among the bookings still to be made.
      const clashes = (patientId: string) =>
        (pending.get(patientId) ?? []).some(([from, to]) => from < slot.endAt && slot.startAt < to) ||
        patientBusy.get(patientId, iso(Date.parse(slot.startAt) - 4 * 3_600_000), slot.endAt, slot.startAt) !== undefined;
      let patientId = patients[ctx.random.int(0, patients.length - 1)] as string;
      for (let attempt = 0; clashes(patientId); attempt += 1) {
        if (attempt > 1_000) throw new Error('appointments: found no free patient for a booking');
        patientId = patients[ctx.random.int(0, patients.length - 1)] as string;
      }
      pending.set(patientId, [...(pending.get(patientId) ?? []), [slot.startAt, slot.endAt]]);
      bookings.push({ doctorId: day.doctor.userId, patientId, startAt: slot.startAt, endAt: slot.endAt });
    }
    const half = bookings.length >> 1;
    state.set(ctx, { zone, days, coreBookings: bookings.slice(0, half), baselineBookings: bookings.slice(half), frontDeskId });
  },

  async operations(ctx) {
    const generated = state.get(ctx);
    if (!generated) throw new Error('appointments: generate() first');
    const frontDesk = await ctx.callerFor('front_desk');
    const free = baselineAvailability(ctx, generated.zone);
    const dayFor = (i: number) => generated.days[i % generated.days.length] as { doctorId: string; date: string };
    const envelopeOf = <T>(name: string, result: unknown): T => {
      const envelope = (result as { envelope: { ok: boolean; value?: T; error?: { message: string } } }).envelope;
      if (!envelope.ok || envelope.value === undefined) throw new Error(`${name} failed: ${envelope.error?.message}`);
      return envelope.value;
    };
    const counts = ctx.sqlite.prepare('SELECT (SELECT count(*) FROM appointments), (SELECT count(*) FROM doctor_profiles)').raw().get() as [number, number];
    const scale = `${counts[1].toLocaleString('en')} doctors, ${counts[0].toLocaleString('en')} appointments`;

    const slots: BenchOperation = {
      name: 'appointments.availability.doctor_day',
      description: `free slots of a random doctor on a random working day ≤ ${MEASURED_AHEAD_DAYS} days ahead (${scale})`,
      targetP95Ms: SLOTS_TARGET_P95_MS,
      core: (i) => {
        const { doctorId, date } = dayFor(i);
        return ctx.core.call('appointments.availability', { doctorId, from: date, to: date }, frontDesk);
      },
      baseline: (i) => {
        const { doctorId, date } = dayFor(i);
        return free(doctorId, date, new Date().toISOString());
      },
      check: (i, result) => {
        const { doctorId, date } = dayFor(i);
        const [day] = envelopeOf<DayAvailability[]>('appointments.availability', result);
        const expected = free(doctorId, date, new Date().toISOString());
        const got = day?.slots ?? [];
        if (got.length !== expected.length || got.some((slot, index) => slot.startAt !== expected[index]?.startAt || slot.label !== expected[index]?.label)) {
          throw new Error(`bench check failed: the free slots of ${doctorId} on ${date} differ from the baseline`);
        }
      },
    };

    // Every call books a slot of its own (the check and warm-up calls too), so none is booked twice.
    let coreNext = 0;
    let baselineNext = 0;
    const take = (list: Booking[], index: number): Booking => {
      const booking = list[index];
      if (!booking) throw new Error('appointments: ran out of generated free slots; the bench needs more');
      return booking;
    };
    const insert = ctx.sqlite.prepare(
      `INSERT INTO appointments (id, patient_id, doctor_id, start_at, end_at, reason, notes, status, cancel_reason, checked_in_at, completed_at, encounter_id,
         created_at, updated_at, created_by, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', NULL, NULL, NULL, NULL, ?, ?, ?, 1)`,
    );
    const event = ctx.sqlite.prepare(
      `INSERT INTO appointment_events (id, appointment_id, kind, at, from_start_at, from_end_at, from_doctor_id, reason, created_at, updated_at, created_by, version)
       VALUES (?, ?, 'booked', ?, NULL, NULL, NULL, NULL, ?, ?, ?, 1)`,
    );
    const bookByHand = ctx.sqlite.transaction((booking: Booking) => {
      const id = newId();
      const at = new Date().toISOString();
      insert.run(id, booking.patientId, booking.doctorId, booking.startAt, booking.endAt, 'Follow-up visit', '', at, at, generated.frontDeskId);
      event.run(newId(), id, at, at, at, generated.frontDeskId);
    });
    const book: BenchOperation = {
      name: 'appointments.book',
      description: 'book a free slot of a random doctor ≤ 90 days ahead for a free patient (+ event, audit row)',
      targetP95Ms: BOOK_TARGET_P95_MS,
      core: async () => {
        const booking = take(generated.coreBookings, coreNext);
        coreNext += 1;
        const result = await ctx.core.call(
          'appointments.book',
          { patientId: booking.patientId, doctorId: booking.doctorId, startAt: booking.startAt, reason: 'Follow-up visit', notes: '' },
          frontDesk,
        );
        // A refused booking must not be timed as a fast one.
        if (!(result as { envelope: { ok: boolean } }).envelope.ok) envelopeOf('appointments.book', result);
        return result;
      },
      baseline: () => {
        bookByHand(take(generated.baselineBookings, baselineNext));
        baselineNext += 1;
      },
      check: (_i, result) => {
        const saved = envelopeOf<{ status: string; startAt: string; endAt: string }>('appointments.book', result);
        if (saved.status !== 'booked') throw new Error('bench check failed: a booking did not come back booked');
      },
    };
    return [slots, book];
  },
};

/**
 * The same four reads as readDayContexts prepared by hand (hours for the weekday, holiday, leave,
 * the day's active appointments) plus the doctor's slot length, and the slot walk in plain JS.
 */
function baselineAvailability(ctx: BenchContext, zone: string) {
  const db = ctx.sqlite;
  const slotMinutes = db.prepare('SELECT slot_minutes FROM doctor_profiles WHERE user_id = ?').pluck();
  const hours = db.prepare('SELECT start_minute, end_minute FROM working_hours WHERE doctor_id = ? AND weekday = ? ORDER BY start_minute').raw();
  const holiday = db.prepare('SELECT name FROM clinic_holidays WHERE date = ? AND removed_at IS NULL').pluck();
  const leave = db.prepare('SELECT start_at, end_at FROM doctor_leave WHERE doctor_id = ? AND removed_at IS NULL AND end_at > ? AND start_at < ?').raw();
  const busy = db
    .prepare(
      "SELECT start_at, end_at FROM appointments WHERE doctor_id = ? AND start_at >= ? AND start_at < ? AND status IN ('booked', 'checked_in', 'completed')",
    )
    .raw();
  const clock = dayClock(zone);
  const offsetLabel = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
  return (doctorId: string, date: string, nowIso: string): Array<{ startAt: string; endAt: string; label: string }> => {
    const step = (slotMinutes.get(doctorId) as number) * MINUTE;
    const blocks = hours.all(doctorId, isoWeekday(date)) as Array<[number, number]>;
    const dayStart = iso(clock.day(date).start);
    const dayEnd = iso(clock.day(addDays(date, 1)).start);
    if (holiday.get(date) !== undefined || blocks.length === 0) return [];
    const taken = [
      ...(leave.all(doctorId, dayStart, dayEnd) as Array<[string, string]>),
      ...(busy.all(doctorId, iso(Date.parse(dayStart) - 4 * 3_600_000), dayEnd) as Array<[string, string]>),
    ];
    const plain = clock.day(date).plain;
    const slots: Array<{ startAt: string; endAt: string; label: string }> = [];
    for (const [startMinute, endMinute] of blocks) {
      const blockEnd = clock.at(date, endMinute);
      for (let at = clock.at(date, startMinute), minute = startMinute; at + step <= blockEnd; at += step, minute += step / MINUTE) {
        const startAt = iso(at);
        const endAt = iso(at + step);
        if (startAt < nowIso || taken.some(([from, to]) => from < endAt && startAt < to)) continue;
        slots.push({ startAt, endAt, label: plain ? `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}` : offsetLabel.format(at) });
      }
    }
    return slots;
  };
}
