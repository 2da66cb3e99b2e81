import type { Kysely } from 'kysely';
import { ROLE_LABELS, ROLE_NAMES, type RoleName } from '../../src-shared/permissions.js';
import { writeAudit } from '../core/audit/audit.js';
import type { DB } from '../core/db/schema.js';
import { insertClinicSettings } from '../modules/settings/queries.js';
import { insertUser, seedDefaultRoles } from '../modules/users/queries.js';

export const DEMO_PASSPHRASE = 'asclepia-demo';
export const DEMO_PASSWORD = 'asclepia-demo';

export const DEMO_USERNAMES: Record<RoleName, string> = {
  admin: 'admin',
  front_desk: 'frontdesk',
  doctor: 'doctor',
  nurse: 'nurse',
  pharmacist: 'pharmacist',
  patient: 'patient',
};

const DEMO_DISPLAY_NAMES: Record<RoleName, string> = {
  admin: 'Amina Okafor',
  front_desk: 'Farah Haddad',
  doctor: 'Dr. Daniel Mwangi',
  nurse: 'Nadia Petrova',
  pharmacist: 'Pedro Alves',
  patient: 'Grace Njeri',
};

/** The demo clinic: one user per role, all with the demo password, ready for a first look. */
export function seedDemoClinic(nowIso: string, workstation: string) {
  return async (db: Kysely<DB>): Promise<void> => {
    await insertClinicSettings(db, { clinicName: 'Asclepia Demo Clinic', timeZone: 'Africa/Nairobi', currency: 'KES' }, nowIso, null);
    const roles = await seedDefaultRoles(db, nowIso);
    for (const role of ROLE_NAMES) {
      const userId = await insertUser(
        db,
        { username: DEMO_USERNAMES[role], displayName: DEMO_DISPLAY_NAMES[role], roleId: roles[role], password: DEMO_PASSWORD },
        nowIso,
        null,
      );
      await writeAudit(db, {
        at: nowIso,
        userId: null,
        workstation,
        procedure: 'demo.seed',
        entity: 'user',
        entityId: userId,
        outcome: 'ok',
        details: { role: ROLE_LABELS[role] },
      });
    }
  };
}
