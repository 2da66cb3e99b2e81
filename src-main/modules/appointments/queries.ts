import type { Kysely } from 'kysely';
import type { AppointmentDetail, AppointmentFilter, AppointmentOut, DepartmentOut, DoctorOut, ScheduleOut } from '../../../src-shared/contract/appointments.js';
import { AppError } from '../../../src-shared/errors.js';
import { ACTIVE_STATUSES, MAX_APPOINTMENT_MINUTES, type WorkingBlock } from '../../../src-shared/schemas/appointments.js';
import { patientDisplayName } from '../../../src-shared/schemas/patient.js';
import { addDays, clinicDayStart, isoWeekday } from '../../../src-shared/time.js';
import type { DB } from '../../core/db/schema.js';
import type { DayContext } from './rules.js';

/**
 * Appointments last at most MAX_APPOINTMENT_MINUTES, so one overlapping a time starts no earlier
 * than that before it: the bound keeps overlap reads on the (doctor, start) index.
 */
function lookbackFrom(instant: string): string {
  return new Date(Date.parse(instant) - MAX_APPOINTMENT_MINUTES * 60_000).toISOString();
}

const pad = (value: number) => String(value).padStart(2, '0');
const timeOf = (minute: number) => (minute === 1440 ? '24:00' : `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`);

function doctorQuery(db: Kysely<DB>) {
  return db
    .selectFrom('doctor_profiles as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .innerJoin('departments as dep', 'dep.id', 'd.department_id')
    .select([
      'd.user_id',
      'u.display_name',
      'd.department_id',
      'dep.name as department_name',
      'd.specialization',
      'd.consultation_fee_minor',
      'd.slot_minutes',
      'd.active',
      'u.active as user_active',
      'd.version',
    ]);
}

type DoctorRow = Awaited<ReturnType<ReturnType<typeof doctorQuery>['execute']>>[number];

function toDoctor(row: DoctorRow): DoctorOut {
  return {
    userId: row.user_id,
    name: row.display_name,
    departmentId: row.department_id,
    departmentName: row.department_name,
    specialization: row.specialization,
    consultationFeeMinor: row.consultation_fee_minor,
    slotMinutes: row.slot_minutes,
    active: row.active === 1 && row.user_active === 1,
    version: row.version,
  };
}

export async function listDoctors(db: Kysely<DB>, filter: { departmentId?: string; includeInactive?: boolean; ids?: string[] }): Promise<DoctorOut[]> {
  let query = doctorQuery(db).orderBy('u.display_name');
  if (filter.departmentId) query = query.where('d.department_id', '=', filter.departmentId);
  if (filter.ids) query = query.where('d.user_id', 'in', filter.ids.length > 0 ? filter.ids : ['']);
  if (!filter.includeInactive) query = query.where('d.active', '=', 1).where('u.active', '=', 1);
  return (await query.execute()).map(toDoctor);
}

export async function readDoctor(db: Kysely<DB>, userId: string): Promise<DoctorOut> {
  const row = await doctorQuery(db).where('d.user_id', '=', userId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'That doctor has no doctor profile; an administrator adds one under Departments & doctors.');
  return toDoctor(row);
}

export async function readSchedule(db: Kysely<DB>, doctorId: string, nowIso: string): Promise<ScheduleOut> {
  const profile = await db.selectFrom('doctor_profiles').select('hours_version').where('user_id', '=', doctorId).executeTakeFirst();
  if (!profile) throw new AppError('NOT_FOUND', 'That doctor has no doctor profile; an administrator adds one under Departments & doctors.');
  const hours = await db
    .selectFrom('working_hours')
    .select(['weekday', 'start_minute', 'end_minute'])
    .where('doctor_id', '=', doctorId)
    .orderBy('weekday')
    .orderBy('start_minute')
    .execute();
  const leave = await db
    .selectFrom('doctor_leave')
    .select(['id', 'start_at', 'end_at', 'reason', 'version'])
    .where('doctor_id', '=', doctorId)
    .where('removed_at', 'is', null)
    .where('end_at', '>', nowIso)
    .orderBy('start_at')
    .execute();
  return {
    doctorId,
    hoursVersion: profile.hours_version,
    hours: hours.map((block): WorkingBlock => ({ weekday: block.weekday, start: timeOf(block.start_minute), end: timeOf(block.end_minute) })),
    leave: leave.map((period) => ({ id: period.id, startAt: period.start_at, endAt: period.end_at, reason: period.reason, version: period.version })),
  };
}

type ScheduledDoctor = { userId: string; slotMinutes: number };

/**
 * Everything the slot rules need for one doctor over [from, to] clinic dates, read in four indexed
 * queries. Checking one booking needs no busy time (the overlap read decides that): without it, three.
 */
export async function readDayContexts(
  db: Kysely<DB>,
  doctor: ScheduledDoctor,
  from: string,
  to: string,
  zone: string,
  nowIso: string,
  options: { busy: boolean } = { busy: true },
): Promise<DayContext[]> {
  return (await readDoctorsDayContexts(db, [doctor], from, to, zone, nowIso, options)).get(doctor.userId) ?? [];
}

/**
 * The same for several doctors in the same four queries, so a board of many doctors, or the search
 * for a department's next free slot, costs four reads rather than four per doctor.
 */
export async function readDoctorsDayContexts(
  db: Kysely<DB>,
  doctors: readonly ScheduledDoctor[],
  from: string,
  to: string,
  zone: string,
  nowIso: string,
  options: { busy: boolean } = { busy: true },
): Promise<Map<string, DayContext[]>> {
  const result = new Map<string, DayContext[]>();
  if (doctors.length === 0) return result;
  const ids = doctors.map((doctor) => doctor.userId);
  const rangeStart = clinicDayStart(from, zone);
  const rangeEnd = clinicDayStart(addDays(to, 1), zone);
  const [hours, holidays, leave, busy] = await Promise.all([
    db.selectFrom('working_hours').select(['doctor_id', 'weekday', 'start_minute', 'end_minute']).where('doctor_id', 'in', ids).execute(),
    db.selectFrom('clinic_holidays').select(['date', 'name']).where('removed_at', 'is', null).where('date', '>=', from).where('date', '<=', to).execute(),
    db
      .selectFrom('doctor_leave')
      .select(['doctor_id', 'start_at', 'end_at', 'reason'])
      .where('doctor_id', 'in', ids)
      .where('removed_at', 'is', null)
      .where('end_at', '>', rangeStart)
      .where('start_at', '<', rangeEnd)
      .execute(),
    options.busy
      ? db
          .selectFrom('appointments')
          .select(['doctor_id', 'start_at', 'end_at'])
          .where('doctor_id', 'in', ids)
          .where('start_at', '>=', lookbackFrom(rangeStart))
          .where('start_at', '<', rangeEnd)
          .where('status', 'in', ACTIVE_STATUSES)
          .execute()
      : [],
  ]);
  const days: { date: string; weekday: number; start: string; end: string }[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    days.push({ date, weekday: isoWeekday(date), start: clinicDayStart(date, zone), end: clinicDayStart(addDays(date, 1), zone) });
  }
  const ofDoctor = <T extends { doctor_id: string }>(rows: readonly T[]) => {
    const grouped = new Map<string, T[]>();
    for (const row of rows) {
      const list = grouped.get(row.doctor_id);
      if (list) list.push(row);
      else grouped.set(row.doctor_id, [row]);
    }
    return grouped;
  };
  const hoursOf = ofDoctor(hours);
  const leaveOf = ofDoctor(leave);
  const busyOf = ofDoctor(busy);
  for (const doctor of doctors) {
    const blocks = hoursOf.get(doctor.userId) ?? [];
    const away = leaveOf.get(doctor.userId) ?? [];
    const booked = busyOf.get(doctor.userId) ?? [];
    result.set(
      doctor.userId,
      days.map(({ date, weekday, start, end }) => {
        const within = (interval: { start_at: string; end_at: string }) => interval.start_at < end && interval.end_at > start;
        return {
          date,
          zone,
          hours: blocks.filter((block) => block.weekday === weekday).map((block) => ({ startMinute: block.start_minute, endMinute: block.end_minute })),
          slotMinutes: doctor.slotMinutes,
          holiday: holidays.find((holiday) => holiday.date === date)?.name ?? null,
          leave: away.filter(within).map((period) => ({ startAt: period.start_at, endAt: period.end_at, reason: period.reason })),
          busy: booked.filter(within).map((appointment) => ({ startAt: appointment.start_at, endAt: appointment.end_at })),
          nowIso,
        };
      }),
    );
  }
  return result;
}

function appointmentQuery(db: Kysely<DB>) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .innerJoin('users as doc', 'doc.id', 'a.doctor_id')
    .leftJoin('doctor_profiles as dp', 'dp.user_id', 'a.doctor_id')
    .leftJoin('departments as dep', 'dep.id', 'dp.department_id')
    .select([
      'a.id',
      'a.patient_id',
      'p.given_name',
      'p.family_name',
      'p.other_names',
      'p.mrn',
      'p.phone',
      'a.doctor_id',
      'doc.display_name as doctor_name',
      'dep.name as department_name',
      'a.start_at',
      'a.end_at',
      'a.reason',
      'a.notes',
      'a.status',
      'a.cancel_reason',
      'a.checked_in_at',
      'a.completed_at',
      'a.encounter_id',
      'a.version',
    ]);
}

type AppointmentRow = Awaited<ReturnType<ReturnType<typeof appointmentQuery>['execute']>>[number];

function toAppointment(row: AppointmentRow): AppointmentOut {
  return {
    id: row.id,
    patient: {
      id: row.patient_id,
      name: patientDisplayName({ givenName: row.given_name, familyName: row.family_name, otherNames: row.other_names }),
      mrn: row.mrn,
      phone: row.phone,
    },
    doctor: { id: row.doctor_id, name: row.doctor_name },
    departmentName: row.department_name ?? '',
    startAt: row.start_at,
    endAt: row.end_at,
    reason: row.reason,
    notes: row.notes,
    status: row.status,
    cancelReason: row.cancel_reason,
    checkedInAt: row.checked_in_at,
    completedAt: row.completed_at,
    encounterId: row.encounter_id,
    version: row.version,
  };
}

export async function readAppointment(db: Kysely<DB>, id: string): Promise<AppointmentOut> {
  const row = await appointmentQuery(db).where('a.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'That appointment does not exist.');
  return toAppointment(row);
}

export function appointmentsInRange(db: Kysely<DB>, filter: AppointmentFilter, zone: string) {
  let query = appointmentQuery(db)
    .where('a.start_at', '>=', clinicDayStart(filter.from, zone))
    .where('a.start_at', '<', clinicDayStart(addDays(filter.to, 1), zone))
    .orderBy('a.start_at')
    .orderBy('doc.display_name');
  if (filter.doctorId) query = query.where('a.doctor_id', '=', filter.doctorId);
  if (filter.patientId) query = query.where('a.patient_id', '=', filter.patientId);
  if (filter.departmentId) query = query.where('dp.department_id', '=', filter.departmentId);
  if (filter.statuses && filter.statuses.length > 0) query = query.where('a.status', 'in', filter.statuses);
  return query;
}

export async function listAppointments(db: Kysely<DB>, filter: AppointmentFilter, zone: string, limit: number): Promise<AppointmentOut[]> {
  return (await appointmentsInRange(db, filter, zone).limit(limit).execute()).map(toAppointment);
}

/** A doctor's appointments still booked from now on, soonest first. */
export async function comingBooked(db: Kysely<DB>, doctorId: string, nowIso: string): Promise<AppointmentOut[]> {
  const rows = await appointmentQuery(db)
    .where('a.doctor_id', '=', doctorId)
    .where('a.status', '=', 'booked')
    .where('a.start_at', '>=', nowIso)
    .orderBy('a.start_at')
    .execute();
  return rows.map(toAppointment);
}

export async function readAppointmentDetail(db: Kysely<DB>, id: string): Promise<AppointmentDetail> {
  const appointment = await readAppointment(db, id);
  const events = await db
    .selectFrom('appointment_events as e')
    .leftJoin('users as by', 'by.id', 'e.created_by')
    .leftJoin('users as from', 'from.id', 'e.from_doctor_id')
    .select([
      'e.kind',
      'e.at',
      'e.created_by',
      'by.display_name as by_name',
      'e.from_start_at',
      'e.from_doctor_id',
      'from.display_name as from_name',
      'e.reason',
    ])
    .where('e.appointment_id', '=', id)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  return {
    ...appointment,
    history: events.map((event) => ({
      kind: event.kind,
      at: event.at,
      by: event.created_by ? { id: event.created_by, name: event.by_name ?? '' } : null,
      fromStartAt: event.from_start_at,
      fromDoctor: event.from_doctor_id ? { id: event.from_doctor_id, name: event.from_name ?? '' } : null,
      reason: event.reason,
    })),
  };
}

/** The first active appointment of the doctor overlapping [startAt, endAt), other than `exceptId`. */
export async function doctorClash(db: Kysely<DB>, doctorId: string, startAt: string, endAt: string, exceptId?: string) {
  let query = db
    .selectFrom('appointments')
    .select(['id', 'start_at', 'end_at'])
    .where('doctor_id', '=', doctorId)
    .where('start_at', '>=', lookbackFrom(startAt))
    .where('start_at', '<', endAt)
    .where('end_at', '>', startAt)
    .where('status', 'in', ACTIVE_STATUSES);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

/** The patient's other active appointments overlapping [startAt, endAt). */
export async function patientClashes(db: Kysely<DB>, patientId: string, startAt: string, endAt: string, exceptId?: string) {
  let query = db
    .selectFrom('appointments as a')
    .innerJoin('users as doc', 'doc.id', 'a.doctor_id')
    .select(['a.id', 'a.start_at', 'a.end_at', 'doc.display_name'])
    .where('a.patient_id', '=', patientId)
    .where('a.start_at', '>=', lookbackFrom(startAt))
    .where('a.start_at', '<', endAt)
    .where('a.end_at', '>', startAt)
    .where('a.status', 'in', ACTIVE_STATUSES);
  if (exceptId) query = query.where('a.id', '<>', exceptId);
  return query.execute();
}

export async function listDepartments(db: Kysely<DB>, includeInactive: boolean): Promise<DepartmentOut[]> {
  let query = db
    .selectFrom('departments as dep')
    .select((eb) => [
      'dep.id',
      'dep.name',
      'dep.active',
      'dep.version',
      eb
        .selectFrom('doctor_profiles as d')
        .innerJoin('users as u', 'u.id', 'd.user_id')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('d.department_id', '=', 'dep.id')
        .where('d.active', '=', 1)
        .where('u.active', '=', 1)
        .as('doctor_count'),
    ])
    .orderBy('dep.name');
  if (!includeInactive) query = query.where('dep.active', '=', 1);
  return (await query.execute()).map((row) => ({
    id: row.id,
    name: row.name,
    active: row.active === 1,
    doctorCount: Number(row.doctor_count ?? 0),
    version: row.version,
  }));
}
