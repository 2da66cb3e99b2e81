import type { Kysely } from 'kysely';
import { addDays, clinicDayStart, clinicLocalDate, clinicLocalTime, clinicLocalTimeUnambiguous } from '../../../src-shared/time.js';
import { writeAudit } from '../../core/audit/audit.js';
import type { DB } from '../../core/db/schema.js';
import { newId } from '../../core/ids.js';
import { readClinicSettings } from '../settings/queries.js';
import { REMINDER_FROM_MINUTE } from './rules.js';

const JOB_WORKSTATION = 'daily-job';
/** A notification lists this many; the reminders screen has them all. */
const REMINDER_LINES = 30;

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
      const booked = await db
        .selectFrom('appointments as a')
        .innerJoin('patients as p', 'p.id', 'a.patient_id')
        .innerJoin('users as d', 'd.id', 'a.doctor_id')
        .select(['a.start_at', 'p.given_name', 'p.family_name', 'p.phone', 'd.display_name'])
        .where('a.status', '=', 'booked')
        .where('a.start_at', '>=', clinicDayStart(tomorrow, zone))
        .where('a.start_at', '<', clinicDayStart(addDays(tomorrow, 1), zone))
        .orderBy('a.start_at')
        .execute();
      const count = booked.length;
      // The list as it stood this morning; the reminders screen behind the link is always current.
      const lines = booked
        .slice(0, REMINDER_LINES)
        .map(
          (row) =>
            `${clinicLocalTimeUnambiguous(new Date(row.start_at), zone)} ${row.given_name} ${row.family_name}, ${row.phone ?? 'no phone'} (${row.display_name})`,
        );
      if (count > REMINDER_LINES) lines.push(`… and ${count - REMINDER_LINES} more: open the list.`);
      await db
        .insertInto('notifications')
        .values({
          id: newId(),
          kind: 'appointment_reminders',
          audience: 'appointments.manage',
          dedupe_key: tomorrow,
          title: `Tomorrow (${tomorrow}): ${count} appointment${count === 1 ? '' : 's'}`,
          body: count === 0 ? 'Nobody is booked for tomorrow.' : lines.join('\n'),
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
