import Papa from 'papaparse';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentDetail, AppointmentOut, DayAvailability, DoctorOut, NotificationOut, ScheduleOut } from '../../../src-shared/contract/appointments.js';
import type { RoleName } from '../../../src-shared/permissions.js';
import type { CallerContext } from '../../core/router.js';
import { cleanupTempDirs, codeOf, type DemoClinic, errorOf, expectOk, openDemoClinic } from '../../testing/harness.js';

/**
 * Appointments through the router on a copy of the encrypted demo clinic (Africa/Nairobi, UTC+3;
 * the fake clock starts Monday 2026-03-02 11:00 local). Dr. Mwangi (`doctor`) works 08–12 and
 * 14–17 on weekdays with 15-minute slots; Dr. Kimani 09–13 and 14–16 with 20-minute slots.
 */

let clinic: DemoClinic;
let sessions: Map<string, CallerContext>;

beforeEach(async () => {
  clinic = await openDemoClinic();
  sessions = new Map();
});
afterEach(() => clinic.dispose());
afterAll(() => cleanupTempDirs());

const sqlite = () => clinic.core.store.sqlite;
const userId = (username: string) => sqlite().prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
const patientIds = () => sqlite().prepare('SELECT id FROM patients ORDER BY mrn').pluck().all() as string[];
const ownPatient = () => sqlite().prepare(`SELECT patient_id FROM users WHERE username = 'patient'`).pluck().get() as string;

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
async function refused(role: RoleName, name: string, input: unknown) {
  return errorOf(await clinic.call(name, input, await as(role)));
}

/** Nairobi has no daylight saving: local time is UTC+3 all year. */
const at = (date: string, time: string) => new Date(`${date}T${time}:00.000+03:00`).toISOString();
const TODAY = '2026-03-02';
const TOMORROW = '2026-03-03';

async function book(input: Record<string, unknown>, role: RoleName = 'front_desk') {
  return ok<AppointmentOut>(role, 'appointments.book', { patientId: patientIds()[1], doctorId: userId('doctor'), reason: 'Review', notes: '', ...input });
}

describe('departments and doctor profiles', () => {
  it('lists departments with their active doctors, and links a new profile to a doctor-role user only', async () => {
    const departments = await ok<{ name: string; doctorCount: number }[]>('admin', 'departments.list', {});
    expect(departments.map((d) => [d.name, d.doctorCount])).toEqual([
      ['General Medicine', 1],
      ['Paediatrics', 1],
    ]);
    const created = await ok<{ id: string; doctorCount: number }>('admin', 'departments.save', { department: { name: 'Surgery', active: true } });
    expect(created.doctorCount).toBe(0);
    expect((await refused('admin', 'departments.save', { department: { name: 'surgery', active: true } })).code).toBe('CONFLICT');

    expect((await refused('admin', 'doctors.save', { userId: userId('nurse'), profile: profileIn(created.id) })).fields).toHaveProperty('userId');
    // A new doctor account appears among the candidates until it has a profile.
    await ok('admin', 'users.create', {
      username: 'otieno',
      displayName: 'Dr. Paul Otieno',
      roleId: sqlite().prepare(`SELECT id FROM roles WHERE name = 'doctor'`).pluck().get(),
    });
    const candidates = await ok<{ id: string }[]>('admin', 'doctors.candidates', {});
    expect(candidates.map((c) => c.id)).toEqual([userId('otieno')]);
    expect(candidates.map((c) => c.id)).not.toContain(userId('doctor'));

    const profile = await ok<DoctorOut>('admin', 'doctors.save', {
      userId: userId('kimani'),
      version: 1,
      profile: { ...profileIn(created.id), slotMinutes: 30 },
    });
    expect(profile).toMatchObject({ departmentName: 'Surgery', slotMinutes: 30, active: true, version: 2 });
    expect(codeOf(await clinic.call('doctors.save', { userId: userId('kimani'), version: 1, profile: profileIn(created.id) }, await as('admin')))).toBe(
      'CONFLICT',
    );
    expect(codeOf(await clinic.call('departments.save', { department: { name: 'X ray', active: true } }, await as('front_desk')))).toBe('FORBIDDEN');
  });
});

function profileIn(departmentId: string) {
  return { departmentId, specialization: 'General', consultationFeeMinor: 100000, slotMinutes: 15, active: true };
}

describe('schedules', () => {
  it('lets a doctor set their own hours but not a colleague’s, refuses overlapping blocks, and keeps the version', async () => {
    const mine = await ok<ScheduleOut>('doctor', 'schedules.get', { doctorId: userId('doctor') });
    expect(mine.hours).toContainEqual({ weekday: 1, start: '08:00', end: '12:00' });
    const overlap = await refused('doctor', 'schedules.setHours', {
      doctorId: userId('doctor'),
      hoursVersion: mine.hoursVersion,
      hours: [
        { weekday: 1, start: '08:00', end: '12:00' },
        { weekday: 1, start: '11:30', end: '13:00' },
      ],
    });
    expect(overlap.code).toBe('VALIDATION');
    expect(overlap.fields?.['hours.1.start']).toMatch(/overlaps 08:00–12:00/);
    const saved = await ok<ScheduleOut>('doctor', 'schedules.setHours', {
      doctorId: userId('doctor'),
      hoursVersion: mine.hoursVersion,
      hours: [{ weekday: 2, start: '07:00', end: '24:00' }],
    });
    expect(saved).toMatchObject({ hoursVersion: mine.hoursVersion + 1, hours: [{ weekday: 2, start: '07:00', end: '24:00' }] });
    expect(
      codeOf(await clinic.call('schedules.setHours', { doctorId: userId('doctor'), hoursVersion: mine.hoursVersion, hours: [] }, await as('doctor'))),
    ).toBe('CONFLICT');
    expect(codeOf(await clinic.call('schedules.setHours', { doctorId: userId('kimani'), hoursVersion: 1, hours: [] }, await as('doctor')))).toBe('FORBIDDEN');
    // The front desk may set anyone's.
    await ok('front_desk', 'schedules.setHours', { doctorId: userId('kimani'), hoursVersion: 1, hours: [] });
  });

  it('asks before new hours leave booked appointments outside them, names them, and saves once each of them is acknowledged', async () => {
    const doctorId = userId('doctor');
    const inAfternoon = await book({ startAt: at(TOMORROW, '15:00') });
    const inMorning = await book({ startAt: at(TOMORROW, '09:00'), patientId: patientIds()[2] });
    const current = await ok<ScheduleOut>('front_desk', 'schedules.get', { doctorId });
    const mornings = current.hours.filter((block) => block.start < '12:00');
    const change = { doctorId, hoursVersion: current.hoursVersion, hours: mornings };

    const asked = await refused('front_desk', 'schedules.setHours', change);
    expect(asked.code).toBe('CONFLICT');
    expect(asked.message).toBe(
      `1 booked appointment falls outside Dr. Daniel Mwangi’s new hours (Tue 3 Mar 2026 15:00, ${inAfternoon.patient.name}). They stay booked until someone moves or cancels them. Save the hours anyway?`,
    );
    expect(asked.fields).toEqual({ acknowledgedOutsideHours: asked.message });
    const listed = await ok<AppointmentOut[]>('front_desk', 'schedules.outsideHours', { doctorId, hours: mornings });
    expect(listed.map((appointment) => appointment.id)).toEqual([inAfternoon.id]);
    // Nothing changed yet.
    expect((await ok<ScheduleOut>('front_desk', 'schedules.get', { doctorId })).hoursVersion).toBe(current.hoursVersion);

    // A booking made after the question was shown is asked about too.
    const meanwhile = await book({ startAt: at(TOMORROW, '16:00'), patientId: patientIds()[3] });
    const again = await refused('front_desk', 'schedules.setHours', { ...change, acknowledgedOutsideHours: [inAfternoon.id] });
    expect(again.message).toMatch(/^2 booked appointments fall outside .*15:00, .*; Tue 3 Mar 2026 16:00, /);

    const saved = await ok<ScheduleOut>('front_desk', 'schedules.setHours', { ...change, acknowledgedOutsideHours: [inAfternoon.id, meanwhile.id] });
    expect(saved.hours).toEqual(mornings);
    for (const appointment of [inAfternoon, inMorning, meanwhile])
      expect((await ok<AppointmentOut>('front_desk', 'appointments.get', { id: appointment.id })).status).toBe('booked');
    const details = JSON.parse(
      sqlite().prepare(`SELECT details FROM audit_log WHERE procedure = 'schedules.setHours' ORDER BY seq DESC LIMIT 1`).pluck().get() as string,
    );
    expect(details.bookedOutsideHours).toEqual([inAfternoon.id, meanwhile.id]);

    // Those already outside are not asked about again; a stale edit hears so before any question.
    expect(await ok<AppointmentOut[]>('front_desk', 'schedules.outsideHours', { doctorId, hours: mornings })).toEqual([]);
    const stale = await refused('front_desk', 'schedules.setHours', { doctorId, hoursVersion: current.hoursVersion, hours: [] });
    expect(stale.message).toMatch(/^Someone else changed the working hours/);
    const none = await refused('front_desk', 'schedules.setHours', { doctorId, hoursVersion: saved.hoursVersion, hours: [] });
    expect(none.message).toMatch(/^1 booked appointment falls outside .*\(Tue 3 Mar 2026 09:00, /);
    // Only writers of that schedule may ask.
    expect((await refused('doctor', 'schedules.outsideHours', { doctorId: userId('kimani'), hours: [] })).code).toBe('FORBIDDEN');
    expect((await refused('nurse', 'schedules.outsideHours', { doctorId, hours: [] })).code).toBe('FORBIDDEN');
  });

  it('keeps leave and holidays out of the free slots, and refuses them over booked appointments', async () => {
    const day = async () =>
      (await ok<DayAvailability[]>('front_desk', 'appointments.availability', { doctorId: userId('doctor'), from: TOMORROW, to: TOMORROW }))[0];
    expect((await day())?.slots.map((slot) => slot.label).slice(0, 3)).toEqual(['08:00', '08:15', '08:30']);
    const leave = await ok<ScheduleOut>('doctor', 'schedules.addLeave', {
      doctorId: userId('doctor'),
      startAt: at(TOMORROW, '08:00'),
      endAt: at(TOMORROW, '10:00'),
      reason: 'Training',
    });
    expect((await day())?.slots[0]?.label).toBe('10:00');
    const bookingInLeave = await refused('front_desk', 'appointments.book', {
      patientId: patientIds()[1],
      doctorId: userId('doctor'),
      startAt: at(TOMORROW, '09:00'),
      reason: 'Review',
      notes: '',
    });
    expect(bookingInLeave).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/on leave/) });
    await ok('doctor', 'schedules.removeLeave', { id: leave.leave[0]?.id, version: 1 });
    expect((await day())?.slots[0]?.label).toBe('08:00');

    await book({ startAt: at(TOMORROW, '08:00') });
    expect(
      (
        await refused('doctor', 'schedules.addLeave', {
          doctorId: userId('doctor'),
          startAt: at(TOMORROW, '07:00'),
          endAt: at(TOMORROW, '09:00'),
          reason: 'Training',
        })
      ).message,
    ).toMatch(/1 booked appointment falls in this leave/);
    expect((await refused('admin', 'holidays.add', { date: TOMORROW, name: 'Founders day' })).message).toMatch(/1 booked appointment is on 2026-03-03/);
    await ok('admin', 'holidays.add', { date: '2026-03-04', name: 'Founders day' });
    expect(
      (await ok<DayAvailability[]>('front_desk', 'appointments.availability', { doctorId: userId('doctor'), from: '2026-03-04', to: '2026-03-04' }))[0],
    ).toMatchObject({
      closedReason: 'Holiday: Founders day',
      slots: [],
    });
  });
});

describe('free slots and booking', () => {
  it('offers only the future part of today, and refuses the past, outside hours and off-grid times with specific messages', async () => {
    const [today] = await ok<DayAvailability[]>('front_desk', 'appointments.availability', { doctorId: userId('doctor'), from: TODAY, to: TODAY });
    expect(today?.slots.map((slot) => slot.label)).toEqual([
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      ...['14', '15', '16'].flatMap((h) => ['00', '15', '30', '45'].map((m) => `${h}:${m}`)),
    ]);
    const problems = async (startAt: string) =>
      (await refused('front_desk', 'appointments.book', { patientId: patientIds()[1], doctorId: userId('doctor'), startAt, reason: 'Review', notes: '' }))
        .message;
    expect(await problems(at(TODAY, '10:00'))).toMatch(/already passed/);
    expect(await problems(at(TOMORROW, '12:00'))).toMatch(/outside the doctor’s working hours/);
    expect(await problems(at(TOMORROW, '11:50'))).toMatch(/outside/); // 11:50 + 15 min runs past 12:00
    expect(await problems(at(TOMORROW, '08:02'))).toMatch(/5-minute mark/);
  });

  it('never double-books a doctor: the second booking of a slot is CONFLICT with a plain message', async () => {
    const first = await book({ startAt: at(TOMORROW, '09:00') });
    expect(first).toMatchObject({ status: 'booked', endAt: at(TOMORROW, '09:15'), doctor: { name: 'Dr. Daniel Mwangi' } });
    const second = await refused('front_desk', 'appointments.book', {
      patientId: patientIds()[2],
      doctorId: userId('doctor'),
      startAt: at(TOMORROW, '09:10'),
      reason: 'Review',
      notes: '',
    });
    expect(second).toMatchObject({ code: 'CONFLICT', message: 'Dr. Daniel Mwangi already has an appointment from 09:00 to 09:15. Choose another time.' });
    expect(second.fields).toHaveProperty('startAt');
    // The slot is no longer offered.
    const [day] = await ok<DayAvailability[]>('front_desk', 'appointments.availability', { doctorId: userId('doctor'), from: TOMORROW, to: TOMORROW });
    expect(day?.slots.map((slot) => slot.label)).not.toContain('09:00');
  });

  it('the database itself refuses an overlapping active appointment written around the handlers', () => {
    const insert = sqlite().prepare(
      `INSERT INTO appointments (id, patient_id, doctor_id, start_at, end_at, reason, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', ?, 'now', 'now')`,
    );
    insert.run('a1', patientIds()[1], userId('doctor'), at(TOMORROW, '09:00'), at(TOMORROW, '09:30'), 'booked');
    expect(() => insert.run('a2', patientIds()[2], userId('doctor'), at(TOMORROW, '09:25'), at(TOMORROW, '09:40'), 'booked')).toThrow(/UNIQUE|PRIMARY KEY/);
    // Cancelled appointments hold no time; reviving one into a taken slot is refused too.
    sqlite()
      .prepare(
        `INSERT INTO appointments (id, patient_id, doctor_id, start_at, end_at, reason, status, cancel_reason, created_at, updated_at) VALUES ('a3', ?, ?, ?, ?, 'x', 'cancelled', 'moved', 'now', 'now')`,
      )
      .run(patientIds()[2], userId('doctor'), at(TOMORROW, '09:00'), at(TOMORROW, '09:15'));
    expect(() => sqlite().prepare(`UPDATE appointments SET status = 'booked', cancel_reason = NULL WHERE id = 'a3'`).run()).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('warns before booking a patient who is booked elsewhere at that time, and books once confirmed', async () => {
    const patient = patientIds()[1];
    await book({ patientId: patient, startAt: at(TOMORROW, '09:00') });
    const input = { patientId: patient, doctorId: userId('kimani'), startAt: at(TOMORROW, '09:00'), reason: 'Child review', notes: '' };
    const warning = await refused('front_desk', 'appointments.book', input);
    expect(warning).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already booked with Dr. Daniel Mwangi from 09:00 to 09:15/) });
    expect(warning.fields).toHaveProperty('acknowledgeOverlap');
    expect(await ok<AppointmentOut>('front_desk', 'appointments.book', { ...input, acknowledgeOverlap: true })).toMatchObject({
      status: 'booked',
      endAt: at(TOMORROW, '09:20'),
    });
  });

  it('refuses inactive patients and doctors', async () => {
    const patient = patientIds()[2];
    sqlite().prepare(`UPDATE patients SET active = 0, deactivation_reason = 'moved' WHERE id = ?`).run(patient);
    expect(
      (
        await refused('front_desk', 'appointments.book', {
          patientId: patient,
          doctorId: userId('doctor'),
          startAt: at(TOMORROW, '09:00'),
          reason: 'X1',
          notes: '',
        })
      ).message,
    ).toMatch(/inactive/);
    sqlite().prepare(`UPDATE doctor_profiles SET active = 0 WHERE user_id = ?`).run(userId('kimani'));
    expect(
      (
        await refused('front_desk', 'appointments.book', {
          patientId: patientIds()[1],
          doctorId: userId('kimani'),
          startAt: at(TOMORROW, '09:00'),
          reason: 'X1',
          notes: '',
        })
      ).message,
    ).toMatch(/not taking appointments/);
  });

  it('finds the next available slot across a department', async () => {
    const next = await ok<{ doctor: DoctorOut; slot: { label: string }; date: string }[]>('patient', 'appointments.nextAvailable', {});
    expect(next.map((hit) => [hit.doctor.name, hit.date, hit.slot.label])).toEqual([
      ['Dr. Daniel Mwangi', TODAY, '11:00'],
      ['Dr. Sara Kimani', TODAY, '11:00'],
    ]);
    // A doctor away for the next ten days is found in the week after; the limit keeps the soonest.
    await ok('front_desk', 'schedules.addLeave', {
      doctorId: userId('kimani'),
      startAt: at(TODAY, '00:00'),
      endAt: at('2026-03-12', '00:00'),
      reason: 'Conference',
    });
    const later = await ok<{ doctor: DoctorOut; slot: { label: string }; date: string }[]>('front_desk', 'appointments.nextAvailable', { fromDate: TOMORROW });
    expect(later.map((hit) => [hit.doctor.name, hit.date, hit.slot.label])).toEqual([
      ['Dr. Daniel Mwangi', TOMORROW, '08:00'],
      ['Dr. Sara Kimani', '2026-03-12', '09:00'],
    ]);
    const first = await ok<{ doctor: DoctorOut }[]>('front_desk', 'appointments.nextAvailable', { fromDate: TOMORROW, limit: 1 });
    expect(first.map((hit) => hit.doctor.name)).toEqual(['Dr. Daniel Mwangi']);
  });
});

describe('a patient books and cancels their own', () => {
  it('books for themself only, sees only their own, and cancels before it starts', async () => {
    const own = await book({ patientId: undefined, startAt: at(TOMORROW, '10:00') }, 'patient');
    expect(own.patient.id).toBe(ownPatient());
    const other = patientIds().find((id) => id !== ownPatient()) as string;
    expect(
      (await refused('patient', 'appointments.book', { patientId: other, doctorId: userId('doctor'), startAt: at(TOMORROW, '11:00'), reason: 'X1', notes: '' }))
        .code,
    ).toBe('FORBIDDEN');
    const theirs = await book({ patientId: other, startAt: at(TOMORROW, '11:00') });
    const listed = await ok<AppointmentOut[]>('patient', 'appointments.list', { filter: { from: TODAY, to: TOMORROW } });
    expect(listed.map((a) => a.id)).toEqual([own.id]);
    expect((await refused('patient', 'appointments.get', { id: theirs.id })).code).toBe('FORBIDDEN');
    expect((await refused('patient', 'appointments.cancel', { id: theirs.id, version: 1, reason: 'Not mine' })).code).toBe('FORBIDDEN');
    expect(
      (await refused('patient', 'appointments.reschedule', { id: own.id, version: 1, doctorId: userId('doctor'), startAt: at(TOMORROW, '10:30') })).code,
    ).toBe('FORBIDDEN');
    const cancelled = await ok<AppointmentOut>('patient', 'appointments.cancel', { id: own.id, version: 1, reason: 'Feeling better' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Feeling better' });
  });
});

describe('lifecycle', () => {
  it('reschedules with history, checks in on the day, and the doctor completes once the visit is written', async () => {
    const booked = await book({ startAt: at(TOMORROW, '09:00') });
    const moved = await ok<AppointmentOut>('front_desk', 'appointments.reschedule', {
      id: booked.id,
      version: booked.version,
      doctorId: userId('doctor'),
      startAt: at(TOMORROW, '10:00'),
      reason: 'Patient asked',
    });
    expect(moved).toMatchObject({ startAt: at(TOMORROW, '10:00'), endAt: at(TOMORROW, '10:15'), version: 2 });
    expect(
      (await refused('front_desk', 'appointments.reschedule', { id: booked.id, version: 1, doctorId: userId('doctor'), startAt: at(TOMORROW, '11:00') })).code,
    ).toBe('CONFLICT');
    // The old time is free again.
    await book({ patientId: patientIds()[3], startAt: at(TOMORROW, '09:00') });

    expect((await refused('front_desk', 'appointments.checkIn', { id: booked.id, version: 2 })).message).toMatch(/checked in on the day/);
    expect((await refused('front_desk', 'appointments.noShow', { id: booked.id, version: 2 })).message).toMatch(/not started yet/);
    clinic.clock.set(at(TOMORROW, '09:55'));
    sessions.clear();
    const arrived = await ok<AppointmentOut>('front_desk', 'appointments.checkIn', { id: booked.id, version: 2 });
    expect(arrived.status).toBe('checked_in');
    expect((await refused('front_desk', 'appointments.cancel', { id: booked.id, version: 3, reason: 'Too late now' })).message).toBe(
      'This appointment is checked in, so it cannot be cancelled.',
    );

    expect((await refused('doctor', 'appointments.complete', { id: booked.id, version: 3 })).message).toMatch(/Write the visit/);
    const encounter = await ok<{ id: string }>('doctor', 'encounters.create', {
      patientId: booked.patient.id,
      appointmentId: booked.id,
      encounter: { complaint: 'Cough', findings: 'Clear chest', diagnoses: [{ text: 'Viral URTI', icd10: null }], plan: 'Fluids' },
    });
    expect(
      (
        await refused('doctor', 'encounters.create', {
          patientId: patientIds()[3],
          appointmentId: booked.id,
          encounter: { complaint: 'x', findings: 'x', diagnoses: [{ text: 'Viral URTI', icd10: null }], plan: 'x' },
        })
      ).code,
    ).toBe('VALIDATION');
    // The visit is linked to the appointment as it is written, and a second one is refused.
    expect((await ok<AppointmentOut>('front_desk', 'appointments.get', { id: booked.id })).encounterId).toBe(encounter.id);
    expect(
      (
        await refused('doctor', 'encounters.create', {
          patientId: booked.patient.id,
          appointmentId: booked.id,
          encounter: { complaint: 'x', findings: 'x', diagnoses: [{ text: 'Viral URTI', icd10: null }], plan: 'x' },
        })
      ).message,
    ).toMatch(/already written/);
    const done = await ok<AppointmentOut>('doctor', 'appointments.complete', { id: booked.id, version: 4 });
    expect(done).toMatchObject({ status: 'completed', encounterId: encounter.id });
    expect((await refused('front_desk', 'appointments.checkIn', { id: booked.id, version: 5 })).message).toBe(
      'This appointment is completed, so it cannot be checked in.',
    );

    const detail = await ok<AppointmentDetail>('front_desk', 'appointments.get', { id: booked.id });
    expect(detail.history.map((event) => [event.kind, event.fromStartAt, event.reason])).toEqual([
      ['booked', null, null],
      ['rescheduled', at(TOMORROW, '09:00'), 'Patient asked'],
      ['checked_in', null, null],
      ['completed', null, null],
    ]);
    const audit = sqlite().prepare(`SELECT procedure FROM audit_log WHERE entity = 'appointment' AND entity_id = ? ORDER BY seq`).pluck().all(booked.id);
    expect(audit).toEqual(['appointments.book', 'appointments.reschedule', 'appointments.checkIn', 'appointments.complete']);
  });

  it('only the appointment’s own doctor completes it', async () => {
    const booked = await ok<AppointmentOut>('front_desk', 'appointments.book', {
      patientId: patientIds()[1],
      doctorId: userId('kimani'),
      startAt: at(TODAY, '11:20'),
      reason: 'Review',
      notes: '',
    });
    await ok('front_desk', 'appointments.checkIn', { id: booked.id, version: 1 });
    expect((await refused('doctor', 'appointments.complete', { id: booked.id, version: 2 })).code).toBe('FORBIDDEN');
  });
});

describe('the daily job', () => {
  it('marks yesterday’s booked appointments as no-shows and posts tomorrow’s reminder list once, from 06:00', async () => {
    const stale = await book({ startAt: at(TODAY, '14:00') });
    const tomorrows = await book({ patientId: patientIds()[2], startAt: at(TOMORROW, '09:00') });
    clinic.clock.set(at(TOMORROW, '05:00'));
    await clinic.core.runJobs();
    expect(sqlite().prepare('SELECT status FROM appointments WHERE id = ?').pluck().get(stale.id)).toBe('no_show');
    expect(sqlite().prepare('SELECT status FROM appointments WHERE id = ?').pluck().get(tomorrows.id)).toBe('booked');
    expect(sqlite().prepare('SELECT count(*) FROM notifications').pluck().get()).toBe(0); // before 06:00
    clinic.clock.set(at(TOMORROW, '06:30'));
    await clinic.core.runJobs();
    await clinic.core.runJobs();
    sessions.clear();
    const notes = await ok<NotificationOut[]>('front_desk', 'notifications.list', {});
    expect(notes).toEqual([
      expect.objectContaining({ title: 'Tomorrow (2026-03-04): 0 appointments', read: false, link: '/appointments/reminders?date=2026-03-04' }),
    ]);
    expect(await ok<NotificationOut[]>('doctor', 'notifications.list', {})).toEqual([]);
    await ok('front_desk', 'notifications.markRead', { ids: [notes[0]?.id] });
    expect((await ok<NotificationOut[]>('front_desk', 'notifications.list', {}))[0]?.read).toBe(true);
    expect(sqlite().prepare(`SELECT user_id FROM audit_log WHERE procedure = 'jobs.markNoShows'`).pluck().all()).toEqual([null]);
  });
});

describe('lists, CSV and the printable day list', () => {
  it('exports by date range, doctor and status, and the reminders with phone numbers', async () => {
    await book({ startAt: at(TOMORROW, '09:00') });
    const cancelled = await book({ patientId: patientIds()[2], startAt: at(TOMORROW, '09:30') });
    await ok('front_desk', 'appointments.cancel', { id: cancelled.id, version: 1, reason: 'Travelling' });
    await ok('front_desk', 'appointments.book', {
      patientId: patientIds()[3],
      doctorId: userId('kimani'),
      startAt: at(TOMORROW, '10:00'),
      reason: '=HYPERLINK()',
      notes: '',
    });

    const exported = await ok<{ csv: string; rows: number; fileName: string }>('admin', 'appointments.exportCsv', {
      filter: { from: TOMORROW, to: TOMORROW, doctorId: userId('doctor') },
    });
    const parsed = Papa.parse<string[]>(exported.csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['Date', 'Start', 'End', 'Doctor', 'Department', 'MRN', 'Patient', 'Phone', 'Reason', 'Status', 'Cancellation reason']);
    expect(parsed.slice(1).map((row) => [row[1], row[9], row[10]])).toEqual([
      ['09:00', 'booked', ''],
      ['09:30', 'cancelled', 'Travelling'],
    ]);
    const onlyCancelled = await ok<{ rows: number }>('admin', 'appointments.exportCsv', { filter: { from: TOMORROW, to: TOMORROW, statuses: ['cancelled'] } });
    expect(onlyCancelled.rows).toBe(1);

    const reminders = await ok<AppointmentOut[]>('front_desk', 'appointments.reminders', { date: TOMORROW });
    expect(reminders.map((a) => [a.patient.mrn, a.patient.phone])).toEqual([
      [expect.any(String), '0733 210 998'],
      [expect.any(String), null],
    ]);
    const csv = await ok<{ csv: string }>('front_desk', 'appointments.remindersCsv', { date: TOMORROW });
    expect(csv.csv).toContain("'=HYPERLINK()");
    expect((await refused('doctor', 'appointments.remindersCsv', { date: TOMORROW })).code).toBe('FORBIDDEN');

    const pdf = await ok<{ fileName: string; pdfBase64: string }>('front_desk', 'appointments.dayListPdf', { doctorId: userId('doctor'), date: TOMORROW });
    expect(pdf.fileName).toBe('day-list-Dr-Daniel-Mwangi-2026-03-03.pdf');
    expect(Buffer.from(pdf.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('shows the day board across doctors with each one’s appointments', async () => {
    const booked = await book({ startAt: at(TOMORROW, '09:00') });
    const board = await ok<{ doctors: { doctor: DoctorOut; day: DayAvailability; appointments: AppointmentOut[] }[] }>('front_desk', 'appointments.board', {
      date: TOMORROW,
    });
    expect(board.doctors.map((row) => [row.doctor.name, row.appointments.map((a) => a.id), row.day.blocks.length])).toEqual([
      ['Dr. Daniel Mwangi', [booked.id], 2],
      ['Dr. Sara Kimani', [], 2],
    ]);
    expect((await refused('patient', 'appointments.board', { date: TOMORROW })).code).toBe('FORBIDDEN');
  });

  it('moves a duplicate patient’s appointments to the kept record on merge', async () => {
    const [keep, duplicate] = [patientIds()[1] as string, patientIds()[2] as string];
    const booked = await book({ patientId: duplicate, startAt: at(TOMORROW, '09:00') });
    await ok('admin', 'patients.merge', { keepId: keep, duplicateId: duplicate, reason: 'Registered twice at the desk' });
    expect(sqlite().prepare('SELECT patient_id FROM appointments WHERE id = ?').pluck().get(booked.id)).toBe(keep);
  });
});

describe('what a patient may do and see', () => {
  it('books only an offered slot of the doctor’s length, holds at most five, and sees neither leave reasons nor desk notes', async () => {
    const doctorId = userId('doctor');
    const attempt = (input: Record<string, unknown>) => refused('patient', 'appointments.book', { doctorId, reason: 'Check-up', notes: '', ...input });
    expect((await attempt({ startAt: at(TOMORROW, '09:00'), minutes: 60 })).message).toMatch(/are 15 minutes; ask the front desk/);
    expect((await attempt({ startAt: at(TOMORROW, '09:05') })).message).toBe('That time is not free; choose one of the free times.');
    await ok('doctor', 'schedules.addLeave', { doctorId, startAt: at(TOMORROW, '08:00'), endAt: at(TOMORROW, '09:00'), reason: 'Hospital board meeting' });
    expect((await attempt({ startAt: at(TOMORROW, '08:00') })).message).toBe('The doctor is away then; choose another time.');
    await ok('doctor', 'schedules.addLeave', {
      doctorId,
      startAt: at('2026-03-04', '00:00'),
      endAt: at('2026-03-05', '00:00'),
      reason: 'Hospital board meeting',
    });
    const days = await ok<DayAvailability[]>('patient', 'appointments.availability', { doctorId, from: '2026-03-04', to: '2026-03-04' });
    expect(days[0]?.closedReason).toBe('The doctor is away');
    expect((await refused('patient', 'schedules.get', { doctorId })).code).toBe('FORBIDDEN');

    const booked = await book({ patientId: ownPatient(), startAt: at(TOMORROW, '09:00'), notes: 'Owes for last visit' });
    expect((await ok<AppointmentDetail>('patient', 'appointments.get', { id: booked.id })).notes).toBe('');
    expect((await ok<AppointmentOut[]>('patient', 'appointments.list', { filter: { from: TOMORROW, to: TOMORROW } }))[0]?.notes).toBe('');
    for (const time of ['09:15', '09:30', '09:45', '10:00']) await book({ patientId: undefined, startAt: at(TOMORROW, time) }, 'patient');
    expect((await attempt({ startAt: at(TOMORROW, '10:15') })).message).toMatch(/already have 5 coming appointments/);
  });
});

describe('guards found in review', () => {
  it('refuses a start time that only looks like a date, and keeps exports to those who read appointments', async () => {
    const crafted = await refused('front_desk', 'appointments.book', {
      patientId: patientIds()[1],
      doctorId: userId('doctor'),
      startAt: '2026-02-30T06:00:00.000Z',
      reason: 'Review',
      notes: '',
    });
    expect(crafted).toMatchObject({ code: 'VALIDATION', fields: { startAt: 'That date or time does not exist' } });
    expect((await refused('pharmacist', 'appointments.exportCsv', { filter: { from: TODAY, to: TODAY } })).code).toBe('FORBIDDEN');
  });

  it('keeps an inactive doctor’s column on the board while they still have appointments that day', async () => {
    await ok('front_desk', 'appointments.book', {
      patientId: patientIds()[1],
      doctorId: userId('kimani'),
      startAt: at(TOMORROW, '09:00'),
      reason: 'Review',
      notes: '',
    });
    sqlite().prepare('UPDATE doctor_profiles SET active = 0 WHERE user_id = ?').run(userId('kimani'));
    const board = await ok<{ doctors: { doctor: DoctorOut; day: DayAvailability; appointments: AppointmentOut[] }[] }>('front_desk', 'appointments.board', {
      date: TOMORROW,
    });
    expect(board.doctors.map((row) => [row.doctor.name, row.doctor.active, row.appointments.length])).toEqual([
      ['Dr. Daniel Mwangi', true, 0],
      ['Dr. Sara Kimani', false, 1],
    ]);
    // Their column offers no free time: a booking there would be refused.
    expect(board.doctors[1]?.day).toMatchObject({ closedReason: 'Not taking appointments', slots: [] });
    expect(board.doctors[0]?.day.slots.length).toBeGreaterThan(0);
  });
});
