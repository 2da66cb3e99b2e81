import { z } from 'zod';
import {
  APPOINTMENT_STATUSES,
  appointmentMinutes,
  bookingFields,
  cancelReason,
  departmentFields,
  doctorProfileFields,
  holidayName,
  leaveReason,
  localDate,
  workingBlock,
} from '../schemas/appointments.js';
import { isoInstant } from '../time.js';
import { mutation, query } from './define.js';

const id = z.string().min(1).max(64);
const version = z.number().int().positive();
const person = z.strictObject({ id: z.string(), name: z.string() });

const APPOINTMENT_READERS = ['appointments.read', 'appointments.read_own'] as const;
const SCHEDULE_READERS = ['appointments.read', 'appointments.read_own', 'schedules.manage', 'schedules.manage_own', 'catalogs.manage'] as const;
/** A doctor's hours and leave (with its reasons) are for staff, not patients. */
const STAFF_SCHEDULE_READERS = ['appointments.read', 'schedules.manage', 'schedules.manage_own', 'catalogs.manage'] as const;
const SCHEDULE_WRITERS = ['schedules.manage', 'schedules.manage_own'] as const;
const BOOKERS = ['appointments.manage', 'appointments.manage_own'] as const;

export const departmentOut = z.strictObject({ id: z.string(), name: z.string(), active: z.boolean(), doctorCount: z.number().int(), version });
export type DepartmentOut = z.infer<typeof departmentOut>;

export const doctorOut = z.strictObject({
  userId: z.string(),
  name: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  specialization: z.string(),
  consultationFeeMinor: z.number().int(),
  slotMinutes: z.number().int(),
  /** False when the profile or the user account is inactive: such a doctor cannot be booked. */
  active: z.boolean(),
  version,
});
export type DoctorOut = z.infer<typeof doctorOut>;

export const leaveOut = z.strictObject({ id: z.string(), startAt: z.string(), endAt: z.string(), reason: z.string(), version });
export const scheduleOut = z.strictObject({
  doctorId: z.string(),
  /** Bumped by every change to the weekly hours; send it back with the next change. */
  hoursVersion: z.number().int(),
  hours: z.array(workingBlock),
  /** Leave that has not ended yet, soonest first. */
  leave: z.array(leaveOut),
});
export type ScheduleOut = z.infer<typeof scheduleOut>;

export const holidayOut = z.strictObject({ id: z.string(), date: z.string(), name: z.string() });

export const slotOut = z.strictObject({ startAt: z.string(), endAt: z.string(), /** Clinic-local HH:MM. */ label: z.string() });
export type SlotOut = z.infer<typeof slotOut>;

export const dayAvailability = z.strictObject({
  date: z.string(),
  /** Why nothing can be booked that day, if so: "Holiday: …", "On leave", "No working hours". */
  closedReason: z.string().nullable(),
  /** Working blocks that day as instants (half-open), for drawing the grid. */
  blocks: z.array(z.strictObject({ startAt: z.string(), endAt: z.string() })),
  slots: z.array(slotOut),
});
export type DayAvailability = z.infer<typeof dayAvailability>;

export const appointmentEvent = z.strictObject({
  kind: z.enum(['booked', 'rescheduled', 'cancelled', 'checked_in', 'completed', 'no_show']),
  at: z.string(),
  /** Null for the daily job. */
  by: person.nullable(),
  fromStartAt: z.string().nullable(),
  fromDoctor: person.nullable(),
  reason: z.string().nullable(),
});

export const appointmentOut = z.strictObject({
  id: z.string(),
  patient: z.strictObject({ id: z.string(), name: z.string(), mrn: z.string(), phone: z.string().nullable() }),
  doctor: person,
  departmentName: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  reason: z.string(),
  notes: z.string(),
  status: z.enum(APPOINTMENT_STATUSES),
  cancelReason: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  encounterId: z.string().nullable(),
  version,
});
export type AppointmentOut = z.infer<typeof appointmentOut>;

export const appointmentDetail = appointmentOut.extend({ history: z.array(appointmentEvent) });
export type AppointmentDetail = z.infer<typeof appointmentDetail>;

const dateRange = {
  from: localDate,
  /** Inclusive. */
  to: localDate,
};

export const appointmentFilter = z.strictObject({
  ...dateRange,
  doctorId: id.optional(),
  patientId: id.optional(),
  departmentId: id.optional(),
  statuses: z.array(z.enum(APPOINTMENT_STATUSES)).max(APPOINTMENT_STATUSES.length).optional(),
});
export type AppointmentFilter = z.infer<typeof appointmentFilter>;

const booking = {
  doctorId: id,
  startAt: isoInstant,
  /** Defaults to the doctor's slot length. */
  minutes: appointmentMinutes.optional(),
  /** Set after the user saw the warning that the patient is booked elsewhere at that time. */
  acknowledgeOverlap: z.boolean().optional(),
};

export const notificationOut = z.strictObject({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** A screen to open, e.g. /appointments/reminders?date=2026-11-24. */
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationOut = z.infer<typeof notificationOut>;

const csvFile = z.strictObject({ fileName: z.string(), csv: z.string(), rows: z.number().int() });

export const appointmentsContract = {
  'departments.list': query({
    summary: 'Departments with how many active doctors each has',
    access: [...SCHEDULE_READERS],
    reads: ['departments', 'doctor_profiles', 'users'],
    input: z.strictObject({ includeInactive: z.boolean().optional() }),
    output: z.array(departmentOut),
  }),
  'departments.save': mutation({
    summary: 'Add a department or rename / deactivate one',
    access: ['catalogs.manage'],
    input: z.strictObject({ id: id.optional(), version: version.optional(), department: departmentFields }),
    output: departmentOut,
  }),
  'doctors.list': query({
    summary: 'Doctor profiles, by name',
    access: [...SCHEDULE_READERS],
    reads: ['doctor_profiles', 'departments', 'users'],
    input: z.strictObject({ departmentId: id.optional(), includeInactive: z.boolean().optional() }),
    output: z.array(doctorOut),
  }),
  'doctors.candidates': query({
    summary: 'Active users whose role lets them complete appointments and who have no doctor profile yet',
    access: ['catalogs.manage'],
    reads: ['doctor_profiles', 'users', 'role_permissions'],
    input: z.strictObject({}),
    output: z.array(person),
  }),
  'doctors.save': mutation({
    summary: 'Create or change a doctor profile linked to a user account',
    access: ['catalogs.manage'],
    input: z.strictObject({ userId: id, version: version.optional(), profile: doctorProfileFields }),
    output: doctorOut,
  }),
  'schedules.get': query({
    summary: 'A doctor’s weekly working hours and coming leave',
    access: [...STAFF_SCHEDULE_READERS],
    reads: ['working_hours', 'doctor_leave', 'doctor_profiles'],
    input: z.strictObject({ doctorId: id }),
    output: scheduleOut,
  }),
  'schedules.setHours': mutation({
    summary: 'Replace a doctor’s weekly working hours (several blocks a day allowed)',
    access: [...SCHEDULE_WRITERS],
    input: z.strictObject({
      doctorId: id,
      hoursVersion: z.number().int().min(0),
      hours: z.array(workingBlock).max(70),
      /**
       * Booked appointments the new hours leave outside them stay booked; the save is refused until
       * each of them is named here (schedules.outsideHours lists them), so none is left unseen.
       */
      acknowledgedOutsideHours: z.array(id).max(1000).optional(),
    }),
    output: scheduleOut,
  }),
  'schedules.outsideHours': query({
    summary: 'The coming booked appointments that proposed weekly hours would newly leave outside them',
    access: [...SCHEDULE_WRITERS],
    reads: ['appointments', 'working_hours', 'doctor_profiles', 'patients', 'settings'],
    input: z.strictObject({ doctorId: id, hours: z.array(workingBlock).max(70) }),
    output: z.array(appointmentOut),
  }),
  'schedules.addLeave': mutation({
    summary: 'Record a leave period; refused while booked appointments fall inside it',
    access: [...SCHEDULE_WRITERS],
    input: z.strictObject({ doctorId: id, startAt: isoInstant, endAt: isoInstant, reason: leaveReason }),
    output: scheduleOut,
  }),
  'schedules.removeLeave': mutation({
    summary: 'Withdraw a leave period (kept in the record as withdrawn)',
    access: [...SCHEDULE_WRITERS],
    input: z.strictObject({ id, version }),
    output: scheduleOut,
  }),
  'holidays.list': query({
    summary: 'Clinic holidays from a date on',
    access: [...SCHEDULE_READERS],
    reads: ['clinic_holidays'],
    input: z.strictObject({ from: localDate.optional() }),
    output: z.array(holidayOut),
  }),
  'holidays.add': mutation({
    summary: 'Declare a clinic holiday; refused while booked appointments fall on it',
    access: ['catalogs.manage'],
    input: z.strictObject({ date: localDate, name: holidayName }),
    output: holidayOut,
  }),
  'holidays.remove': mutation({
    summary: 'Withdraw a clinic holiday (kept in the record as withdrawn)',
    access: ['catalogs.manage'],
    input: z.strictObject({ id }),
    output: z.strictObject({ removed: z.literal(true) }),
  }),
  'appointments.availability': query({
    summary: 'A doctor’s free slots for each day of a range (at most 31 days), in the clinic’s time zone',
    access: [...APPOINTMENT_READERS],
    reads: ['appointments', 'working_hours', 'doctor_leave', 'clinic_holidays', 'doctor_profiles', 'settings'],
    input: z.strictObject({ doctorId: id, ...dateRange }),
    output: z.array(dayAvailability),
  }),
  'appointments.nextAvailable': query({
    summary: 'The earliest free slots across a department (or all doctors), one per doctor, soonest first',
    access: [...APPOINTMENT_READERS],
    reads: ['appointments', 'working_hours', 'doctor_leave', 'clinic_holidays', 'doctor_profiles', 'settings'],
    input: z.strictObject({ departmentId: id.optional(), fromDate: localDate.optional(), limit: z.number().int().min(1).max(50).optional() }),
    output: z.array(z.strictObject({ doctor: doctorOut, slot: slotOut, date: z.string() })),
  }),
  'appointments.board': query({
    summary: 'One clinic day across doctors: each doctor’s hours, free slots and appointments',
    access: ['appointments.read'],
    reads: ['appointments', 'working_hours', 'doctor_leave', 'clinic_holidays', 'doctor_profiles', 'patients', 'settings'],
    input: z.strictObject({ date: localDate, departmentId: id.optional(), doctorId: id.optional() }),
    output: z.strictObject({
      date: z.string(),
      doctors: z.array(z.strictObject({ doctor: doctorOut, day: dayAvailability, appointments: z.array(appointmentOut) })),
    }),
  }),
  'appointments.list': query({
    summary: 'Appointments in a date range, filtered; a patient sees only their own',
    access: [...APPOINTMENT_READERS],
    reads: ['appointments', 'patients', 'doctor_profiles'],
    input: z.strictObject({ filter: appointmentFilter, limit: z.number().int().min(1).max(1000).optional() }),
    output: z.array(appointmentOut),
  }),
  'appointments.get': query({
    summary: 'One appointment with its history (bookings, reschedules, status changes)',
    access: [...APPOINTMENT_READERS],
    reads: ['appointments', 'appointment_events', 'patients'],
    input: z.strictObject({ id }),
    output: appointmentDetail,
  }),
  'appointments.book': mutation({
    summary: 'Book a patient with a doctor; a doctor is never double-booked (CONFLICT)',
    access: [...BOOKERS],
    input: z.strictObject({ patientId: id.optional(), ...booking, ...bookingFields.shape }),
    output: appointmentOut,
  }),
  'appointments.reschedule': mutation({
    summary: 'Move a booked appointment to another time or doctor; the history keeps where it was',
    access: ['appointments.manage'],
    input: z.strictObject({ id, version, ...booking, reason: z.string().trim().max(300).optional() }),
    output: appointmentOut,
  }),
  'appointments.cancel': mutation({
    summary: 'Cancel a booked appointment, with a reason',
    access: [...BOOKERS],
    input: z.strictObject({ id, version, reason: cancelReason }),
    output: appointmentOut,
  }),
  'appointments.checkIn': mutation({
    summary: 'The patient has arrived',
    access: ['appointments.manage'],
    input: z.strictObject({ id, version }),
    output: appointmentOut,
  }),
  'appointments.noShow': mutation({
    summary: 'The patient did not come',
    access: ['appointments.manage'],
    input: z.strictObject({ id, version }),
    output: appointmentOut,
  }),
  'appointments.complete': mutation({
    summary: 'The doctor completes their own checked-in appointment once its visit is written',
    access: ['appointments.complete_own'],
    input: z.strictObject({ id, version }),
    output: appointmentOut,
  }),
  'appointments.exportCsv': mutation({
    summary: 'Appointments by date range, doctor and status, as a CSV file (for those who read appointments and export lists)',
    access: ['appointments.read'],
    input: z.strictObject({ filter: appointmentFilter }),
    output: csvFile,
  }),
  'appointments.reminders': query({
    summary: 'A day’s booked appointments with the patients’ phone numbers, for reminder calls',
    access: ['appointments.manage'],
    reads: ['appointments', 'patients'],
    input: z.strictObject({ date: localDate }),
    output: z.array(appointmentOut),
  }),
  'appointments.remindersCsv': mutation({
    summary: 'A day’s reminder list as CSV, for calling or an SMS gateway',
    access: ['appointments.manage'],
    input: z.strictObject({ date: localDate }),
    output: csvFile,
  }),
  'appointments.dayListPdf': mutation({
    summary: 'A doctor’s printable day list',
    access: ['appointments.read'],
    input: z.strictObject({ doctorId: id, date: localDate }),
    output: z.strictObject({ fileName: z.string(), pdfBase64: z.string() }),
  }),
  'notifications.list': query({
    summary: 'Notifications for the signed-in user’s role, newest first',
    access: 'signed-in',
    reads: ['notifications', 'notification_reads'],
    input: z.strictObject({}),
    output: z.array(notificationOut),
  }),
  'notifications.markRead': mutation({
    summary: 'Mark notifications as read for the signed-in user',
    access: 'signed-in',
    input: z.strictObject({ ids: z.array(id).min(1).max(200) }),
    output: z.strictObject({ marked: z.number().int() }),
  }),
} as const;
