import type { AppointmentOut, DayAvailability, DoctorOut } from '../../../src-shared/contract/appointments.js';
import { AppError } from '../../../src-shared/errors.js';
import { minutesOfDay, type WorkingBlock } from '../../../src-shared/schemas/appointments.js';
import { addDays, clinicLocalDate, clinicLocalTimeUnambiguous, formatClinicDay } from '../../../src-shared/time.js';
import { exportFileName, toCsv } from '../../core/csv.js';
import { expectVersionedUpdate, staleVersionError } from '../../core/db/versioned.js';
import { newId } from '../../core/ids.js';
import type { HandlerContext, Handlers } from '../../core/procedure.js';
import { ownPatientId, requireLivePatient } from '../patients/queries.js';
import { readClinicSettings } from '../settings/queries.js';
import { dayListPdf } from './pdf.js';
import {
  appointmentsInRange,
  comingBooked,
  doctorClash,
  listAppointments,
  listDepartments,
  listDoctors,
  patientClashes,
  readAppointment,
  readAppointmentDetail,
  readDayContexts,
  readDoctor,
  readDoctorsDayContexts,
  readSchedule,
} from './queries.js';
import { type AppointmentAction, assertTransition, bookingProblem, type DayContext, dayAvailability, endOf, hoursProblems, outsideHours } from './rules.js';

const MAX_RANGE_DAYS = 31;
const NEXT_AVAILABLE_DAYS = 60;

function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function requireRange(from: string, to: string, maxDays: number): void {
  if (to < from) throw new AppError('VALIDATION', 'The end date is before the start date.', { to: 'Choose a date on or after the start date.' });
  if (dayCount(from, to) > maxDays)
    throw new AppError('VALIDATION', `Choose at most ${maxDays} days at a time.`, { to: `At most ${maxDays} days after the start.` });
}

/** A doctor may edit only their own schedule unless they hold schedules.manage. */
function requireScheduleWriter(ctx: HandlerContext, doctorId: string): void {
  const session = ctx.user();
  if (session.permissions.has('schedules.manage')) return;
  if (session.userId !== doctorId) throw new AppError('FORBIDDEN', 'You can change only your own schedule.');
}

/** The patient a caller books for: anyone with appointments.manage names one; a patient books only themself. */
async function bookingPatient(ctx: HandlerContext, requested: string | undefined): Promise<string> {
  const session = ctx.user();
  if (session.permissions.has('appointments.manage')) {
    if (!requested) throw new AppError('VALIDATION', 'Choose the patient to book.', { patientId: 'Choose a patient.' });
    return requested;
  }
  const own = await ownPatientId(ctx.db, session.userId);
  if (!own) throw new AppError('FORBIDDEN', 'Your account is not linked to a patient record; ask the front desk.');
  if (requested && requested !== own) throw new AppError('FORBIDDEN', 'You can book appointments only for yourself.');
  return own;
}

/** appointments.read sees every appointment; appointments.read_own only the caller's own. */
async function ownPatientScope(ctx: HandlerContext): Promise<string | null> {
  const session = ctx.user();
  if (session.permissions.has('appointments.read') || session.permissions.has('appointments.manage')) return null;
  const own = await ownPatientId(ctx.db, session.userId);
  if (!own) throw new AppError('FORBIDDEN', 'Your account is not linked to a patient record.');
  return own;
}

async function requireVisible(ctx: HandlerContext, appointment: AppointmentOut): Promise<void> {
  const own = await ownPatientScope(ctx);
  if (own !== null && appointment.patient.id !== own) throw new AppError('FORBIDDEN', 'You can see only your own appointments.');
}

/** How many coming appointments a patient may hold that they booked themselves. */
const MAX_OPEN_SELF_BOOKINGS = 5;

/**
 * A patient books one of the offered slots, of the doctor's slot length, and holds a few at most:
 * the front desk can book anything else.
 */
async function requireSelfBookingAllowed(ctx: HandlerContext, doctor: DoctorOut, patientId: string, startAt: string, minutes: number | undefined) {
  if (minutes !== undefined && minutes !== doctor.slotMinutes)
    throw new AppError('VALIDATION', `Appointments with ${doctor.name} are ${doctor.slotMinutes} minutes; ask the front desk for a longer one.`, {
      minutes: 'Use the doctor’s slot length.',
    });
  const { timeZone } = await readClinicSettings(ctx.db);
  const date = clinicLocalDate(new Date(startAt), timeZone);
  const [day] = await readDayContexts(ctx.db, doctor, date, date, timeZone, ctx.nowIso);
  if (day && !dayAvailability(day).slots.some((slot) => slot.startAt === startAt)) {
    const problem = bookingProblem({ startAt, endAt: endOf(startAt, doctor.slotMinutes) }, day);
    const message = problem?.includes('on leave')
      ? `${PATIENT_LEAVE_TEXT} then; choose another time.`
      : (problem ?? 'That time is not free; choose one of the free times.');
    throw new AppError(problem ? 'VALIDATION' : 'CONFLICT', message, { startAt: message });
  }
  const { n } = await ctx.db
    .selectFrom('appointments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_id', '=', patientId)
    .where('status', '=', 'booked')
    .where('start_at', '>', ctx.nowIso)
    .executeTakeFirstOrThrow();
  if (Number(n) >= MAX_OPEN_SELF_BOOKINGS)
    throw new AppError('CONFLICT', `You already have ${Number(n)} coming appointments; cancel one or call the clinic to book more.`);
}

async function requireBookableDoctor(ctx: HandlerContext, doctorId: string): Promise<DoctorOut> {
  const doctor = await readDoctor(ctx.db, doctorId);
  if (!doctor.active) throw new AppError('VALIDATION', `${doctor.name} is not taking appointments (inactive).`, { doctorId: 'Choose an active doctor.' });
  return doctor;
}

async function requireBookablePatient(ctx: HandlerContext, patientId: string): Promise<void> {
  await requireLivePatient(ctx.db, patientId);
  const patient = await ctx.db.selectFrom('patients').select(['active', 'mrn']).where('id', '=', patientId).executeTakeFirstOrThrow();
  if (patient.active !== 1)
    throw new AppError('VALIDATION', `Patient ${patient.mrn} is inactive and cannot be booked; reactivate the record first.`, {
      patientId: 'Choose an active patient.',
    });
}

/**
 * Checks a proposed time against the doctor's day and both people's other appointments. The
 * doctor's clash is CONFLICT on startAt; the patient's is CONFLICT on acknowledgeOverlap until the
 * user confirms it.
 */
async function checkSlot(
  ctx: HandlerContext,
  booking: { doctor: DoctorOut; patientId: string; startAt: string; endAt: string; acknowledgeOverlap?: boolean; exceptId?: string },
): Promise<void> {
  const { timeZone } = await readClinicSettings(ctx.db);
  const date = clinicLocalDate(new Date(booking.startAt), timeZone);
  const [day] = await readDayContexts(ctx.db, booking.doctor, date, date, timeZone, ctx.nowIso, { busy: false });
  if (!day) throw new Error('no day context');
  const problem = bookingProblem({ startAt: booking.startAt, endAt: booking.endAt }, day);
  if (problem) throw new AppError('VALIDATION', problem, { startAt: problem });
  const clash = await doctorClash(ctx.db, booking.doctor.userId, booking.startAt, booking.endAt, booking.exceptId);
  if (clash) throw doctorTaken(booking.doctor.name, clash.start_at, clash.end_at, timeZone);
  if (!booking.acknowledgeOverlap) {
    const others = await patientClashes(ctx.db, booking.patientId, booking.startAt, booking.endAt, booking.exceptId);
    const [first] = others;
    if (first) {
      const when = `${first.display_name} from ${clinicLocalTimeUnambiguous(new Date(first.start_at), timeZone)} to ${clinicLocalTimeUnambiguous(new Date(first.end_at), timeZone)}`;
      const message = ctx.user().permissions.has('appointments.manage')
        ? `The patient is already booked with ${when}. Book this one as well?`
        : `You already have an appointment with ${when}. Book this one as well?`;
      throw new AppError('CONFLICT', message, { acknowledgeOverlap: message });
    }
  }
}

/**
 * The coming booked appointments that new hours leave outside them and the current hours hold:
 * one left outside by an earlier change was asked about then.
 */
async function leftOutsideBy(ctx: HandlerContext, doctorId: string, timeZone: string, current: readonly WorkingBlock[], proposed: readonly WorkingBlock[]) {
  const coming = await comingBooked(ctx.db, doctorId, ctx.nowIso);
  const already = new Set(outsideHours(coming, current, timeZone).map((appointment) => appointment.id));
  return outsideHours(coming, proposed, timeZone).filter((appointment) => !already.has(appointment.id));
}

const LISTED_OUTSIDE = 3;

function outsideHoursMessage(doctorName: string, outside: readonly AppointmentOut[], zone: string): string {
  const listed = outside
    .slice(0, LISTED_OUTSIDE)
    .map(
      (appointment) =>
        `${formatClinicDay(new Date(appointment.startAt), zone)} ${clinicLocalTimeUnambiguous(new Date(appointment.startAt), zone)}, ${appointment.patient.name}`,
    );
  const more = outside.length > LISTED_OUTSIDE ? ` and ${outside.length - LISTED_OUTSIDE} more` : '';
  const count = outside.length === 1 ? '1 booked appointment falls' : `${outside.length} booked appointments fall`;
  return `${count} outside ${doctorName}’s new hours (${listed.join('; ')}${more}). They stay booked until someone moves or cancels them. Save the hours anyway?`;
}

function doctorTaken(doctorName: string, startAt: string, endAt: string, zone: string): AppError {
  const message = `${doctorName} already has an appointment from ${clinicLocalTimeUnambiguous(new Date(startAt), zone)} to ${clinicLocalTimeUnambiguous(new Date(endAt), zone)}. Choose another time.`;
  return new AppError('CONFLICT', message, { startAt: message });
}

/** The database's own refusal (appointment_units' key) when a booking raced past the read above. */
async function guardDoubleBooking<T>(ctx: HandlerContext, doctor: DoctorOut, startAt: string, endAt: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT') && error.message.includes('appointment_units')) {
      const { timeZone } = await readClinicSettings(ctx.db);
      throw doctorTaken(doctor.name, startAt, endAt, timeZone);
    }
    throw error;
  }
}

async function addEvent(
  ctx: HandlerContext,
  appointmentId: string,
  kind: 'booked' | 'rescheduled' | 'cancelled' | 'checked_in' | 'completed' | 'no_show',
  extra: { fromStartAt?: string; fromEndAt?: string; fromDoctorId?: string; reason?: string | null } = {},
): Promise<void> {
  await ctx.db
    .insertInto('appointment_events')
    .values({
      id: newId(),
      appointment_id: appointmentId,
      kind,
      at: ctx.nowIso,
      from_start_at: extra.fromStartAt ?? null,
      from_end_at: extra.fromEndAt ?? null,
      from_doctor_id: extra.fromDoctorId ?? null,
      reason: extra.reason ?? null,
      created_at: ctx.nowIso,
      updated_at: ctx.nowIso,
      created_by: ctx.user().userId,
      version: 1,
    })
    .execute();
}

function auditAppointment(ctx: HandlerContext, appointment: { id: string; patient: { id: string } }): void {
  ctx.audit.entity = 'appointment';
  ctx.audit.entityId = appointment.id;
  ctx.audit.details = { patientId: appointment.patient.id, ...ctx.audit.details };
}

/**
 * Reads the appointment, checks who may act on it (appointments.manage: anyone's; otherwise only
 * the caller's own) and that the action is legal from its status.
 */
async function loadForAction(ctx: HandlerContext, id: string, action: AppointmentAction): Promise<AppointmentOut> {
  const appointment = await readAppointment(ctx.db, id);
  const session = ctx.user();
  if (!session.permissions.has('appointments.manage')) {
    const own = await ownPatientId(ctx.db, session.userId);
    if (own === null || appointment.patient.id !== own) throw new AppError('FORBIDDEN', 'You can change only your own appointments.');
  }
  assertTransition(action, appointment.status);
  return appointment;
}

/** A doctor's day as offered for booking: an inactive doctor offers nothing, whatever their hours. */
function doctorDay(doctor: DoctorOut, day: DayContext): DayAvailability {
  return doctor.active ? dayAvailability(day) : { date: day.date, closedReason: 'Not taking appointments', blocks: [], slots: [] };
}

/** A patient sees that a doctor is away, not why, and not the front desk's notes. */
function forPatient<T extends { notes: string }>(appointment: T): T {
  return { ...appointment, notes: '' };
}
const PATIENT_LEAVE_TEXT = 'The doctor is away';

async function setStatus(
  ctx: HandlerContext,
  appointment: AppointmentOut,
  version: number,
  changes: Partial<{ status: AppointmentOut['status']; cancel_reason: string; checked_in_at: string; completed_at: string; encounter_id: string }>,
) {
  const result = await ctx.db
    .updateTable('appointments')
    .set((eb) => ({ ...changes, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
    .where('id', '=', appointment.id)
    .where('version', '=', version)
    .executeTakeFirst();
  expectVersionedUpdate(result, 'appointment');
}

/** A day's still-booked appointments: who to remind. */
async function remindersOf(ctx: HandlerContext, date: string) {
  const { timeZone } = await readClinicSettings(ctx.db);
  return { timeZone, appointments: await listAppointments(ctx.db, { from: date, to: date, statuses: ['booked'] }, timeZone, 5000) };
}

const CSV_COLUMNS = [
  { key: 'date', header: 'Date' },
  { key: 'start', header: 'Start' },
  { key: 'end', header: 'End' },
  { key: 'doctor', header: 'Doctor' },
  { key: 'department', header: 'Department' },
  { key: 'mrn', header: 'MRN' },
  { key: 'patient', header: 'Patient' },
  { key: 'phone', header: 'Phone' },
  { key: 'reason', header: 'Reason' },
  { key: 'status', header: 'Status' },
  { key: 'cancelReason', header: 'Cancellation reason' },
] as const;

function csvRows(appointments: readonly AppointmentOut[], zone: string) {
  return appointments.map((appointment) => ({
    date: clinicLocalDate(new Date(appointment.startAt), zone),
    start: clinicLocalTimeUnambiguous(new Date(appointment.startAt), zone),
    end: clinicLocalTimeUnambiguous(new Date(appointment.endAt), zone),
    doctor: appointment.doctor.name,
    department: appointment.departmentName,
    mrn: appointment.patient.mrn,
    patient: appointment.patient.name,
    phone: appointment.patient.phone ?? '',
    reason: appointment.reason,
    status: appointment.status,
    cancelReason: appointment.cancelReason ?? '',
  }));
}

export const appointmentsHandlers: Handlers<
  | 'departments.list'
  | 'departments.save'
  | 'doctors.list'
  | 'doctors.candidates'
  | 'doctors.save'
  | 'schedules.get'
  | 'schedules.outsideHours'
  | 'schedules.setHours'
  | 'schedules.addLeave'
  | 'schedules.removeLeave'
  | 'holidays.list'
  | 'holidays.add'
  | 'holidays.remove'
  | 'appointments.availability'
  | 'appointments.nextAvailable'
  | 'appointments.board'
  | 'appointments.list'
  | 'appointments.get'
  | 'appointments.book'
  | 'appointments.reschedule'
  | 'appointments.cancel'
  | 'appointments.checkIn'
  | 'appointments.noShow'
  | 'appointments.complete'
  | 'appointments.exportCsv'
  | 'appointments.reminders'
  | 'appointments.remindersCsv'
  | 'appointments.dayListPdf'
  | 'notifications.list'
  | 'notifications.markRead'
> = {
  'departments.list': async ({ includeInactive }, ctx) => listDepartments(ctx.db, includeInactive ?? false),

  'departments.save': async ({ id, version, department }, ctx) => {
    const clash = await ctx.db.selectFrom('departments').select('id').where('name', '=', department.name).executeTakeFirst();
    if (clash && clash.id !== id) throw new AppError('CONFLICT', `There is already a department called ${department.name}.`, { name: 'This name is taken.' });
    const active = department.active ? (1 as const) : (0 as const);
    let savedId = id;
    if (id) {
      if (!version) throw new AppError('VALIDATION', 'Send the version you edited.', { version: 'Required when changing a department.' });
      if (!(await ctx.db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()))
        throw new AppError('NOT_FOUND', 'That department does not exist.');
      const result = await ctx.db
        .updateTable('departments')
        .set((eb) => ({ name: department.name, active, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      expectVersionedUpdate(result, 'department');
    } else {
      savedId = newId();
      await ctx.db
        .insertInto('departments')
        .values({ id: savedId, name: department.name, active, created_at: ctx.nowIso, updated_at: ctx.nowIso, created_by: ctx.user().userId, version: 1 })
        .execute();
    }
    ctx.audit.entity = 'department';
    ctx.audit.entityId = savedId;
    const saved = (await listDepartments(ctx.db, true)).find((row) => row.id === savedId);
    if (!saved) throw new Error('saved department not found');
    return saved;
  },

  'doctors.list': async ({ departmentId, includeInactive }, ctx) => listDoctors(ctx.db, { departmentId, includeInactive }),

  'doctors.candidates': async (_input, ctx) =>
    (
      await ctx.db
        .selectFrom('users as u')
        .innerJoin('role_permissions as rp', 'rp.role_id', 'u.role_id')
        .leftJoin('doctor_profiles as d', 'd.user_id', 'u.id')
        .select(['u.id', 'u.display_name'])
        .where('rp.permission', '=', 'appointments.complete_own')
        .where('u.active', '=', 1)
        .where('d.id', 'is', null)
        .orderBy('u.display_name')
        .execute()
    ).map((row) => ({ id: row.id, name: row.display_name })),

  'doctors.save': async ({ userId, version, profile }, ctx) => {
    const user = await ctx.db
      .selectFrom('users as u')
      .leftJoin('role_permissions as rp', (join) => join.onRef('rp.role_id', '=', 'u.role_id').on('rp.permission', '=', 'appointments.complete_own'))
      .select(['u.id', 'u.display_name', 'rp.id as grant'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', 'That user account does not exist.');
    const department = await ctx.db.selectFrom('departments').select(['id', 'active']).where('id', '=', profile.departmentId).executeTakeFirst();
    if (!department) throw new AppError('VALIDATION', 'Choose an existing department.', { 'profile.departmentId': 'Choose a department.' });
    const existing = await ctx.db.selectFrom('doctor_profiles').select('id').where('user_id', '=', userId).executeTakeFirst();
    const values = {
      department_id: profile.departmentId,
      specialization: profile.specialization,
      consultation_fee_minor: profile.consultationFeeMinor,
      slot_minutes: profile.slotMinutes,
      active: profile.active ? (1 as const) : (0 as const),
    };
    if (existing) {
      if (!version) throw new AppError('VALIDATION', 'Send the version you edited.', { version: 'Required when changing a profile.' });
      const result = await ctx.db
        .updateTable('doctor_profiles')
        .set((eb) => ({ ...values, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where('user_id', '=', userId)
        .where('version', '=', version)
        .executeTakeFirst();
      expectVersionedUpdate(result, 'doctor profile');
    } else {
      if (!user.grant)
        throw new AppError('VALIDATION', `${user.display_name}’s role does not let them see patients as a doctor, so they cannot have a doctor profile.`, {
          userId: 'Choose a user with a doctor’s role.',
        });
      if (department.active !== 1) throw new AppError('VALIDATION', 'That department is inactive.', { 'profile.departmentId': 'Choose an active department.' });
      await ctx.db
        .insertInto('doctor_profiles')
        .values({
          id: newId(),
          user_id: userId,
          ...values,
          hours_version: 0,
          created_at: ctx.nowIso,
          updated_at: ctx.nowIso,
          created_by: ctx.user().userId,
          version: 1,
        })
        .execute();
    }
    ctx.audit.entity = 'doctor_profile';
    ctx.audit.entityId = userId;
    return readDoctor(ctx.db, userId);
  },

  'schedules.get': async ({ doctorId }, ctx) => readSchedule(ctx.db, doctorId, ctx.nowIso),

  'schedules.outsideHours': async ({ doctorId, hours }, ctx) => {
    requireScheduleWriter(ctx, doctorId);
    await readDoctor(ctx.db, doctorId);
    const { timeZone } = await readClinicSettings(ctx.db);
    return leftOutsideBy(ctx, doctorId, timeZone, (await readSchedule(ctx.db, doctorId, ctx.nowIso)).hours, hours);
  },

  'schedules.setHours': async ({ doctorId, hoursVersion, hours, acknowledgedOutsideHours }, ctx) => {
    requireScheduleWriter(ctx, doctorId);
    const doctor = await readDoctor(ctx.db, doctorId);
    const problems = hoursProblems(hours);
    const firstProblem = Object.values(problems)[0];
    if (firstProblem) throw new AppError('VALIDATION', `Working hours overlap: ${firstProblem}`, problems);
    const before = await readSchedule(ctx.db, doctorId, ctx.nowIso);
    // A stale edit hears so first, not after confirming a question about hours it would not save.
    if (before.hoursVersion !== hoursVersion) throw staleVersionError('working hours');
    // Booked appointments stay as they are when hours change; the front desk moves them from the
    // board. The save goes ahead only once every one it leaves outside has been seen.
    const { timeZone } = await readClinicSettings(ctx.db);
    const outside = await leftOutsideBy(ctx, doctorId, timeZone, before.hours, hours);
    if (outside.some((appointment) => !acknowledgedOutsideHours?.includes(appointment.id))) {
      const message = outsideHoursMessage(doctor.name, outside, timeZone);
      throw new AppError('CONFLICT', message, { acknowledgedOutsideHours: message });
    }
    const result = await ctx.db
      .updateTable('doctor_profiles')
      .set({ hours_version: hoursVersion + 1, updated_at: ctx.nowIso })
      .where('user_id', '=', doctorId)
      .where('hours_version', '=', hoursVersion)
      .executeTakeFirst();
    expectVersionedUpdate(result, 'working hours');
    // The rows are replaced; the audit row keeps the hours that were in force before.
    await ctx.db.deleteFrom('working_hours').where('doctor_id', '=', doctorId).execute();
    if (hours.length > 0) {
      await ctx.db
        .insertInto('working_hours')
        .values(
          hours.map((block) => ({
            id: newId(),
            doctor_id: doctorId,
            weekday: block.weekday,
            start_minute: minutesOfDay(block.start),
            end_minute: minutesOfDay(block.end),
            created_at: ctx.nowIso,
            updated_at: ctx.nowIso,
            created_by: ctx.user().userId,
            version: 1,
          })),
        )
        .execute();
    }
    ctx.audit.entity = 'doctor_schedule';
    ctx.audit.entityId = doctorId;
    ctx.audit.details = {
      before: before.hours,
      after: hours,
      ...(outside.length > 0 ? { bookedOutsideHours: outside.map((appointment) => appointment.id) } : {}),
    };
    return readSchedule(ctx.db, doctorId, ctx.nowIso);
  },

  'schedules.addLeave': async ({ doctorId, startAt, endAt, reason }, ctx) => {
    requireScheduleWriter(ctx, doctorId);
    await readDoctor(ctx.db, doctorId);
    if (endAt <= startAt) throw new AppError('VALIDATION', 'Leave must end after it starts.', { endAt: 'Choose an end after the start.' });
    if (endAt <= ctx.nowIso) throw new AppError('VALIDATION', 'That leave is entirely in the past.', { endAt: 'Choose an end in the future.' });
    const booked = await ctx.db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('doctor_id', '=', doctorId)
      .where('status', 'in', ['booked', 'checked_in'])
      .where('start_at', '<', endAt)
      .where('end_at', '>', startAt)
      .executeTakeFirstOrThrow();
    if (Number(booked.n) > 0)
      throw new AppError(
        'CONFLICT',
        `${Number(booked.n)} booked appointment${Number(booked.n) === 1 ? '' : 's'} fall${Number(booked.n) === 1 ? 's' : ''} in this leave. Reschedule or cancel them first.`,
        { startAt: 'Appointments are booked in this period.' },
      );
    const id = newId();
    await ctx.db
      .insertInto('doctor_leave')
      .values({
        id,
        doctor_id: doctorId,
        start_at: startAt,
        end_at: endAt,
        reason,
        removed_at: null,
        removed_by: null,
        created_at: ctx.nowIso,
        updated_at: ctx.nowIso,
        created_by: ctx.user().userId,
        version: 1,
      })
      .execute();
    ctx.audit.entity = 'doctor_leave';
    ctx.audit.entityId = id;
    ctx.audit.details = { doctorId };
    return readSchedule(ctx.db, doctorId, ctx.nowIso);
  },

  'schedules.removeLeave': async ({ id, version }, ctx) => {
    const leave = await ctx.db.selectFrom('doctor_leave').select(['doctor_id', 'removed_at']).where('id', '=', id).executeTakeFirst();
    if (!leave || leave.removed_at) throw new AppError('NOT_FOUND', 'That leave period does not exist or was already withdrawn.');
    requireScheduleWriter(ctx, leave.doctor_id);
    const result = await ctx.db
      .updateTable('doctor_leave')
      .set((eb) => ({ removed_at: ctx.nowIso, removed_by: ctx.user().userId, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    expectVersionedUpdate(result, 'leave');
    ctx.audit.entity = 'doctor_leave';
    ctx.audit.entityId = id;
    return readSchedule(ctx.db, leave.doctor_id, ctx.nowIso);
  },

  'holidays.list': async ({ from }, ctx) =>
    ctx.db
      .selectFrom('clinic_holidays')
      .select(['id', 'date', 'name'])
      .where('removed_at', 'is', null)
      .where('date', '>=', from ?? '0000-01-01')
      .orderBy('date')
      .execute(),

  'holidays.add': async ({ date, name }, ctx) => {
    const taken = await ctx.db.selectFrom('clinic_holidays').select('name').where('date', '=', date).where('removed_at', 'is', null).executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `${date} is already a holiday (${taken.name}).`, { date: 'Already a holiday.' });
    const { timeZone } = await readClinicSettings(ctx.db);
    const booked = await appointmentsInRange(ctx.db, { from: date, to: date, statuses: ['booked', 'checked_in'] }, timeZone)
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .clearOrderBy()
      .executeTakeFirstOrThrow();
    if (Number(booked.n) > 0)
      throw new AppError(
        'CONFLICT',
        `${Number(booked.n)} booked appointment${Number(booked.n) === 1 ? ' is' : 's are'} on ${date}. Reschedule or cancel them first.`,
        {
          date: 'Appointments are booked on this day.',
        },
      );
    const id = newId();
    await ctx.db
      .insertInto('clinic_holidays')
      .values({ id, date, name, removed_at: null, removed_by: null, created_at: ctx.nowIso, updated_at: ctx.nowIso, created_by: ctx.user().userId, version: 1 })
      .execute();
    ctx.audit.entity = 'clinic_holiday';
    ctx.audit.entityId = id;
    return { id, date, name };
  },

  'holidays.remove': async ({ id }, ctx) => {
    const result = await ctx.db
      .updateTable('clinic_holidays')
      .set((eb) => ({ removed_at: ctx.nowIso, removed_by: ctx.user().userId, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new AppError('NOT_FOUND', 'That holiday does not exist or was already withdrawn.');
    ctx.audit.entity = 'clinic_holiday';
    ctx.audit.entityId = id;
    return { removed: true as const };
  },

  'appointments.availability': async ({ doctorId, from, to }, ctx) => {
    requireRange(from, to, MAX_RANGE_DAYS);
    const doctor = await readDoctor(ctx.db, doctorId);
    const { timeZone } = await readClinicSettings(ctx.db);
    const staff = (await ownPatientScope(ctx)) === null;
    const days = await readDayContexts(ctx.db, doctor, from, to, timeZone, ctx.nowIso);
    return days.map((day) => {
      const availability = doctorDay(doctor, day);
      return staff || !availability.closedReason?.startsWith('On leave') ? availability : { ...availability, closedReason: PATIENT_LEAVE_TEXT };
    });
  },

  'appointments.nextAvailable': async ({ departmentId, fromDate, limit }, ctx) => {
    const { timeZone } = await readClinicSettings(ctx.db);
    const today = clinicLocalDate(ctx.now, timeZone);
    const start = fromDate && fromDate > today ? fromDate : today;
    const wanted = limit ?? 10;
    const found: { doctor: DoctorOut; slot: { startAt: string; endAt: string; label: string }; date: string }[] = [];
    // A week at a time for every doctor still without a free slot: most find one within days. Once
    // enough are found, a later week cannot offer anything sooner. Each week reads the whole list,
    // so the SQL text (IN with one ? per doctor) stays the same and its prepared statement is reused.
    const doctors = await listDoctors(ctx.db, { departmentId });
    let waiting = doctors;
    for (let from = start; waiting.length > 0 && found.length < wanted && from < addDays(start, NEXT_AVAILABLE_DAYS); from = addDays(from, 7)) {
      const contexts = await readDoctorsDayContexts(ctx.db, doctors, from, addDays(from, 6), timeZone, ctx.nowIso);
      waiting = waiting.filter((doctor) => {
        for (const day of contexts.get(doctor.userId) ?? []) {
          const slot = dayAvailability(day).slots[0];
          if (slot) {
            found.push({ doctor, slot, date: day.date });
            return false;
          }
        }
        return true;
      });
    }
    return found.sort((a, b) => (a.slot.startAt < b.slot.startAt ? -1 : a.slot.startAt > b.slot.startAt ? 1 : 0)).slice(0, wanted);
  },

  'appointments.board': async ({ date, departmentId, doctorId }, ctx) => {
    const { timeZone } = await readClinicSettings(ctx.db);
    const appointments = await listAppointments(ctx.db, { from: date, to: date, departmentId, doctorId }, timeZone, 5000);
    // An inactive doctor's column stays while they still have appointments that day, so none is lost from sight.
    const doctors = (await listDoctors(ctx.db, { departmentId, includeInactive: true })).filter(
      (doctor) => (!doctorId || doctor.userId === doctorId) && (doctor.active || appointments.some((appointment) => appointment.doctor.id === doctor.userId)),
    );
    const contexts = await readDoctorsDayContexts(ctx.db, doctors, date, date, timeZone, ctx.nowIso);
    const rows = [];
    for (const doctor of doctors) {
      const [day] = contexts.get(doctor.userId) ?? [];
      if (!day) continue;
      rows.push({ doctor, day: doctorDay(doctor, day), appointments: appointments.filter((appointment) => appointment.doctor.id === doctor.userId) });
    }
    return { date, doctors: rows };
  },

  'appointments.list': async ({ filter, limit }, ctx) => {
    requireRange(filter.from, filter.to, 800);
    const own = await ownPatientScope(ctx);
    if (own !== null && filter.patientId && filter.patientId !== own) throw new AppError('FORBIDDEN', 'You can see only your own appointments.');
    const { timeZone } = await readClinicSettings(ctx.db);
    const appointments = await listAppointments(ctx.db, own === null ? filter : { ...filter, patientId: own }, timeZone, limit ?? 500);
    return own === null ? appointments : appointments.map(forPatient);
  },

  'appointments.get': async ({ id }, ctx) => {
    const detail = await readAppointmentDetail(ctx.db, id);
    await requireVisible(ctx, detail);
    return (await ownPatientScope(ctx)) === null ? detail : forPatient(detail);
  },

  'appointments.book': async ({ patientId: requested, doctorId, startAt, minutes, acknowledgeOverlap, reason, notes }, ctx) => {
    const patientId = await bookingPatient(ctx, requested);
    await requireBookablePatient(ctx, patientId);
    const doctor = await requireBookableDoctor(ctx, doctorId);
    if (!ctx.user().permissions.has('appointments.manage')) await requireSelfBookingAllowed(ctx, doctor, patientId, startAt, minutes);
    const endAt = endOf(startAt, minutes ?? doctor.slotMinutes);
    await checkSlot(ctx, { doctor, patientId, startAt, endAt, acknowledgeOverlap });
    const id = newId();
    await guardDoubleBooking(ctx, doctor, startAt, endAt, () =>
      ctx.db
        .insertInto('appointments')
        .values({
          id,
          patient_id: patientId,
          doctor_id: doctorId,
          start_at: startAt,
          end_at: endAt,
          reason,
          notes,
          status: 'booked',
          cancel_reason: null,
          checked_in_at: null,
          completed_at: null,
          encounter_id: null,
          created_at: ctx.nowIso,
          updated_at: ctx.nowIso,
          created_by: ctx.user().userId,
          version: 1,
        })
        .execute(),
    );
    await addEvent(ctx, id, 'booked');
    const saved = await readAppointment(ctx.db, id);
    auditAppointment(ctx, saved);
    return saved;
  },

  'appointments.reschedule': async ({ id, version, doctorId, startAt, minutes, acknowledgeOverlap, reason }, ctx) => {
    const current = await loadForAction(ctx, id, 'reschedule');
    const doctor = await requireBookableDoctor(ctx, doctorId);
    const endAt = endOf(startAt, minutes ?? Math.round((Date.parse(current.endAt) - Date.parse(current.startAt)) / 60_000));
    if (doctorId === current.doctor.id && startAt === current.startAt && endAt === current.endAt)
      throw new AppError('VALIDATION', 'That is the time it is already booked for; choose a different time.', { startAt: 'Choose a different time.' });
    await requireBookablePatient(ctx, current.patient.id);
    await checkSlot(ctx, { doctor, patientId: current.patient.id, startAt, endAt, acknowledgeOverlap, exceptId: id });
    await guardDoubleBooking(ctx, doctor, startAt, endAt, async () => {
      const result = await ctx.db
        .updateTable('appointments')
        .set((eb) => ({ doctor_id: doctorId, start_at: startAt, end_at: endAt, updated_at: ctx.nowIso, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      expectVersionedUpdate(result, 'appointment');
    });
    await addEvent(ctx, id, 'rescheduled', { fromStartAt: current.startAt, fromEndAt: current.endAt, fromDoctorId: current.doctor.id, reason: reason || null });
    const saved = await readAppointment(ctx.db, id);
    auditAppointment(ctx, saved);
    return saved;
  },

  'appointments.cancel': async ({ id, version, reason }, ctx) => {
    const current = await loadForAction(ctx, id, 'cancel');
    if (!ctx.user().permissions.has('appointments.manage') && current.startAt <= ctx.nowIso)
      throw new AppError('CONFLICT', 'This appointment has already started; call the clinic to change it.');
    await setStatus(ctx, current, version, { status: 'cancelled', cancel_reason: reason });
    await addEvent(ctx, id, 'cancelled', { reason });
    auditAppointment(ctx, current);
    return readAppointment(ctx.db, id);
  },

  'appointments.checkIn': async ({ id, version }, ctx) => {
    const current = await loadForAction(ctx, id, 'checkIn');
    const { timeZone } = await readClinicSettings(ctx.db);
    const day = clinicLocalDate(new Date(current.startAt), timeZone);
    if (day !== clinicLocalDate(ctx.now, timeZone))
      throw new AppError('CONFLICT', `This appointment is on ${day}; a patient is checked in on the day of the appointment.`);
    await setStatus(ctx, current, version, { status: 'checked_in', checked_in_at: ctx.nowIso });
    await addEvent(ctx, id, 'checked_in');
    auditAppointment(ctx, current);
    return readAppointment(ctx.db, id);
  },

  'appointments.noShow': async ({ id, version }, ctx) => {
    const current = await loadForAction(ctx, id, 'noShow');
    if (current.startAt > ctx.nowIso) throw new AppError('CONFLICT', 'This appointment has not started yet, so the patient cannot be marked as a no-show.');
    await setStatus(ctx, current, version, { status: 'no_show' });
    await addEvent(ctx, id, 'no_show');
    auditAppointment(ctx, current);
    return readAppointment(ctx.db, id);
  },

  'appointments.complete': async ({ id, version }, ctx) => {
    const current = await readAppointment(ctx.db, id);
    if (current.doctor.id !== ctx.user().userId) throw new AppError('FORBIDDEN', 'Only the appointment’s own doctor can complete it.');
    assertTransition('complete', current.status);
    const encounter = await ctx.db.selectFrom('encounters').select('id').where('appointment_id', '=', id).orderBy('occurred_at', 'desc').executeTakeFirst();
    if (!encounter) throw new AppError('CONFLICT', 'Write the visit for this appointment first (Write visit), then complete it.');
    await setStatus(ctx, current, version, { status: 'completed', completed_at: ctx.nowIso, encounter_id: encounter.id });
    await addEvent(ctx, id, 'completed');
    auditAppointment(ctx, current);
    return readAppointment(ctx.db, id);
  },

  'appointments.exportCsv': async ({ filter }, ctx) => {
    const permissions = ctx.user().permissions;
    if (!permissions.has('reports.all') && !permissions.has('reports.lists')) throw new AppError('FORBIDDEN', 'Your role does not export lists.');
    requireRange(filter.from, filter.to, 800);
    const { timeZone } = await readClinicSettings(ctx.db);
    const appointments = await listAppointments(ctx.db, filter, timeZone, 1_000_000);
    ctx.audit.entity = 'appointment_list';
    ctx.audit.details = { rows: appointments.length, from: filter.from, to: filter.to, doctorId: filter.doctorId ?? null, statuses: filter.statuses ?? null };
    return {
      fileName: exportFileName(`appointments-${filter.from}-to-${filter.to}`, clinicLocalDate(ctx.now, timeZone)),
      csv: toCsv(CSV_COLUMNS, csvRows(appointments, timeZone)),
      rows: appointments.length,
    };
  },

  'appointments.reminders': async ({ date }, ctx) => (await remindersOf(ctx, date)).appointments,

  'appointments.remindersCsv': async ({ date }, ctx) => {
    const { timeZone, appointments } = await remindersOf(ctx, date);
    ctx.audit.entity = 'appointment_reminders';
    ctx.audit.details = { rows: appointments.length, date };
    return { fileName: `appointment-reminders-${date}.csv`, csv: toCsv(CSV_COLUMNS, csvRows(appointments, timeZone)), rows: appointments.length };
  },

  'appointments.dayListPdf': async ({ doctorId, date }, ctx) => {
    const doctor = await readDoctor(ctx.db, doctorId);
    const { clinicName, timeZone } = await readClinicSettings(ctx.db);
    const appointments = await listAppointments(ctx.db, { from: date, to: date, doctorId }, timeZone, 5000);
    const bytes = await dayListPdf({ clinicName, doctor, date, timeZone, appointments });
    ctx.audit.entity = 'appointment_day_list';
    ctx.audit.details = { doctorId, date, rows: appointments.length };
    return { fileName: `day-list-${doctor.name.replace(/[^A-Za-z0-9]+/g, '-')}-${date}.pdf`, pdfBase64: Buffer.from(bytes).toString('base64') };
  },

  'notifications.list': async (_input, ctx) => {
    const session = ctx.user();
    const audiences = [...session.permissions];
    const rows = await ctx.db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (join) => join.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', session.userId))
      .select(['n.id', 'n.kind', 'n.title', 'n.body', 'n.link', 'n.created_at', 'r.id as read_id'])
      .where('n.audience', 'in', audiences.length > 0 ? audiences : [''])
      .orderBy('n.created_at', 'desc')
      .limit(50)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      link: row.link,
      createdAt: row.created_at,
      read: row.read_id !== null,
    }));
  },

  'notifications.markRead': async ({ ids }, ctx) => {
    const session = ctx.user();
    const visible = await ctx.db
      .selectFrom('notifications as n')
      .leftJoin('notification_reads as r', (join) => join.onRef('r.notification_id', '=', 'n.id').on('r.user_id', '=', session.userId))
      .select('n.id')
      .where('n.id', 'in', ids)
      .where('n.audience', 'in', [...session.permissions, ''])
      .where('r.id', 'is', null)
      .execute();
    if (visible.length > 0) {
      await ctx.db
        .insertInto('notification_reads')
        .values(
          visible.map((row) => ({
            id: newId(),
            notification_id: row.id,
            user_id: session.userId,
            created_at: ctx.nowIso,
            updated_at: ctx.nowIso,
            created_by: session.userId,
            version: 1,
          })),
        )
        .execute();
    }
    return { marked: visible.length };
  },
};
