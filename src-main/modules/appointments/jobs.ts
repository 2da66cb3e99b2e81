import type { Kysely } from 'kysely';
import { addDays, clinicDayStart, clinicLocalDate, clinicLocalTime } from '../../../src-shared/time.js';
import { writeAudit } from '../../core/audit/audit.js';
import type { DB } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';
import { readClinicSettings } from '../settings/queries.js';
import { REMINDER_FROM_MINUTE } from './rules.js';

const JOB_WORKSTATION = 'daily-job';

/**
 * The clinic's daily housekeeping, safe to run any number of times: booked appointments of earlier
 * clinic days become no-shows, and from 06:00 the front desk gets one notification listing
 * tomorrow's appointments. Returns what it did, for the caller's log and tests.
 */
export async function runAppointmentJobs(db: Kysely<DB>, now: Date): Promise<{ noShows: number; reminder: boolean }> {
  const settings = await readClinicSettings(db).catch(() => null);
  if (!settings) return { noShows: 0, reminder: false };
  const zone = settings.timeZone;
  const nowIso = now.toISOString();
  const today = clinicLocalDate(now, zone);

  const stale = await db
    .selectFrom('appointments')
    .select(['id', 'patient_id'])
    .where('status', '=', 'booked')
    .where('start_at', '<', clinicDayStart(today, zone))
    .execute();
  for (const appointment of stale) {
    await db
      .updateTable('appointments')
      .set((eb) => ({ status: 'no_show', updated_at: nowIso, version: eb('version', '+', 1) }))
      .where('id', '=', appointment.id)
      .execute();
    await db
      .insertInto('appointment_events')
      .values({
        id: newId(),
        appointment_id: appointment.id,
        kind: 'no_show',
        at: nowIso,
        from_start_at: null,
        from_end_at: null,
        from_doctor_id: null,
        reason: 'Still booked after its day ended (daily job)',
        created_at: nowIso,
        updated_at: nowIso,
        created_by: null,
        version: 1,
      })
      .execute();
  }
  if (stale.length > 0) {
    await writeAudit(db, {
      at: nowIso,
      userId: null,
      workstation: JOB_WORKSTATION,
      procedure: 'jobs.markNoShows',
      entity: 'appointment_list',
      outcome: 'ok',
      details: { appointmentIds: stale.map((appointment) => appointment.id) },
    });
  }

  let reminder = false;
  const [hours, minutes] = clinicLocalTime(now, zone).split(':').map(Number);
  if ((hours ?? 0) * 60 + (minutes ?? 0) >= REMINDER_FROM_MINUTE) {
    const tomorrow = addDays(today, 1);
    const exists = await db
      .selectFrom('notifications')
      .select('id')
      .where('kind', '=', 'appointment_reminders')
      .where('dedupe_key', '=', tomorrow)
      .executeTakeFirst();
    if (!exists) {
      const { n } = await db
        .selectFrom('appointments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'booked')
        .where('start_at', '>=', clinicDayStart(tomorrow, zone))
        .where('start_at', '<', clinicDayStart(addDays(tomorrow, 1), zone))
        .executeTakeFirstOrThrow();
      const count = Number(n);
      await db
        .insertInto('notifications')
        .values({
          id: newId(),
          kind: 'appointment_reminders',
          audience: 'appointments.manage',
          dedupe_key: tomorrow,
          title: `Tomorrow (${tomorrow}): ${count} appointment${count === 1 ? '' : 's'}`,
          body: count === 0 ? 'Nobody is booked for tomorrow.' : 'Open the list to call or text each patient a reminder, or export it as CSV.',
          link: `/appointments/reminders?date=${tomorrow}`,
          created_at: nowIso,
          updated_at: nowIso,
          created_by: null,
          version: 1,
        })
        .execute();
      reminder = true;
    }
  }
  return { noShows: stale.length, reminder };
}
