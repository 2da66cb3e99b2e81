import { z } from 'zod';

/** Appointments and schedule edges fall on a 5-minute grid; the no-double-booking constraint counts in these units. */
export const GRID_MINUTES = 5;
export const MAX_APPOINTMENT_MINUTES = 240;

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** Statuses that hold the doctor's time: no two of them may overlap for one doctor. */
export const ACTIVE_STATUSES = ['booked', 'checked_in', 'completed'] as const satisfies readonly AppointmentStatus[];

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const WEEKDAY_LABELS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const localTime = z
  .string()
  .regex(LOCAL_TIME, 'Use a 24-hour time like 08:30')
  .refine((value) => Number(value.slice(3)) % GRID_MINUTES === 0, `Use a time on a ${GRID_MINUTES}-minute mark, like 08:30 or 08:35`);
/** End of a block may be 24:00 (midnight at the end of the day). */
export const localEndTime = z.union([z.literal('24:00'), localTime]);

export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-23')
  .refine(
    (value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'That date does not exist',
  );

export const workingBlock = z
  .strictObject({
    weekday: z.number().int().min(1, 'Pick a weekday').max(7, 'Pick a weekday'),
    start: localTime,
    end: localEndTime,
  })
  .refine((block) => minutesOfDay(block.start) < minutesOfDay(block.end), { message: 'A block must end after it starts', path: ['end'] });
export type WorkingBlock = z.infer<typeof workingBlock>;

const trimmed = (max: number, what: string) => z.string().trim().max(max, `Keep the ${what} under ${max} characters`);

export const departmentFields = z.strictObject({
  name: z.string().trim().min(2, 'Give the department a name').max(80, 'Keep the name under 80 characters'),
  active: z.boolean(),
});
export type DepartmentFields = z.infer<typeof departmentFields>;

export const doctorProfileFields = z.strictObject({
  departmentId: z.string().min(1, 'Choose a department').max(64),
  specialization: trimmed(120, 'specialization'),
  consultationFeeMinor: z.number().int('Enter the fee in whole minor units').min(0, 'The fee cannot be negative').max(100_000_000, 'That fee is too large'),
  slotMinutes: z
    .number()
    .int()
    .min(GRID_MINUTES, `A slot is at least ${GRID_MINUTES} minutes`)
    .max(MAX_APPOINTMENT_MINUTES, `A slot is at most ${MAX_APPOINTMENT_MINUTES} minutes`)
    .refine((value) => value % GRID_MINUTES === 0, `Use a multiple of ${GRID_MINUTES} minutes`),
  active: z.boolean(),
});
export type DoctorProfileFields = z.infer<typeof doctorProfileFields>;

export const appointmentMinutes = doctorProfileFields.shape.slotMinutes;

export const bookingFields = z.strictObject({
  reason: z.string().trim().min(2, 'Say what the appointment is for').max(300, 'Keep the reason under 300 characters'),
  notes: trimmed(1000, 'notes'),
});

export const cancelReason = z
  .string()
  .trim()
  .min(3, 'Say why the appointment is cancelled (at least 3 characters)')
  .max(300, 'Keep the reason under 300 characters');
export const leaveReason = z.string().trim().min(2, 'Say what the leave is for').max(200, 'Keep the reason under 200 characters');
export const holidayName = z.string().trim().min(2, 'Name the holiday').max(80, 'Keep the name under 80 characters');
