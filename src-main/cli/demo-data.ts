import type { Kysely } from 'kysely';
import { ROLE_LABELS, ROLE_NAMES, type RoleName } from '../../src-shared/permissions.js';
import { type PatientFieldsInput, patientFields } from '../../src-shared/schemas/patient.js';
import { writeAudit } from '../core/audit/audit.js';
import type { DB } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { insertPatient } from '../modules/patients/queries.js';
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

/** A handful of registered patients; the first is the demo patient user's own record. */
const DEMO_PATIENTS: PatientFieldsInput[] = [
  {
    givenName: 'Grace',
    familyName: 'Njeri',
    sex: 'female',
    birthDate: '1988-04-12',
    phone: '+254 712 345 678',
    email: 'grace.njeri@example.org',
    address: 'Ngong Road 14, Nairobi',
    nationalId: '28817345',
    bloodGroup: 'O+',
    allergies: [{ substance: 'Penicillin', reaction: 'Hives', severity: 'severe' }],
    emergencyContact: { name: 'Peter Njeri', relationship: 'Husband', phone: '+254 722 000 111' },
  },
  { givenName: 'Samuel', familyName: 'Otieno', sex: 'male', birthDate: '1975-09-30', phone: '0733 210 998', bloodGroup: 'A+' },
  { givenName: 'Amani', familyName: 'Wanjiru', otherNames: 'Faith', sex: 'female', birthDate: '2019-02-03', phone: '0701 555 020' },
  {
    givenName: 'Joseph',
    familyName: 'Kamau',
    sex: 'male',
    birthDate: '1952-12-01',
    allergies: [{ substance: 'Sulfonamides', reaction: null, severity: 'moderate' }],
  },
  { givenName: 'Halima', familyName: 'Abdi', sex: 'female', birthDate: '1996-07-21', phone: '0790 443 121', nationalId: '31200456' },
  { givenName: 'Brian', familyName: 'Mutua', sex: 'male', birthDate: '2004-03-15', phone: '0711 909 303' },
];

/** A starter catalog: enough to order, result and flag against a reference range. */
const DEMO_TESTS = [
  { code: 'HB', name: 'Haemoglobin', kind: 'test', price_minor: 50000, unit: 'g/dL', ref_low: 12, ref_high: 17.5, ref_text: null },
  { code: 'FBG', name: 'Fasting blood glucose', kind: 'test', price_minor: 30000, unit: 'mmol/L', ref_low: 3.9, ref_high: 5.5, ref_text: null },
  { code: 'MRDT', name: 'Malaria rapid diagnostic test', kind: 'test', price_minor: 40000, unit: null, ref_low: null, ref_high: null, ref_text: 'Negative' },
  { code: 'CXR', name: 'Chest X-ray', kind: 'procedure', price_minor: 250000, unit: null, ref_low: null, ref_high: null, ref_text: null },
  { code: 'WBC', name: 'White blood cell count', kind: 'test', price_minor: 45000, unit: '×10⁹/L', ref_low: 4, ref_high: 11, ref_text: null },
] as const;

/** Two departments and their doctors' weeks, so the booking grid has columns to show. */
const DEMO_DEPARTMENTS = ['General Medicine', 'Paediatrics'] as const;
const WEEKDAYS = [1, 2, 3, 4, 5] as const;
const DEMO_DOCTORS = [
  {
    username: DEMO_USERNAMES.doctor,
    department: 'General Medicine',
    specialization: 'Family medicine',
    feeMinor: 150000,
    slotMinutes: 15,
    hours: [...WEEKDAYS.flatMap((weekday) => [[weekday, 8 * 60, 12 * 60] as const, [weekday, 14 * 60, 17 * 60] as const]), [6, 9 * 60, 12 * 60] as const],
  },
  {
    username: 'kimani',
    displayName: 'Dr. Sara Kimani',
    department: 'Paediatrics',
    specialization: 'Paediatrics',
    feeMinor: 200000,
    slotMinutes: 20,
    hours: WEEKDAYS.flatMap((weekday) => [[weekday, 9 * 60, 13 * 60] as const, [weekday, 14 * 60, 16 * 60] as const]),
  },
] as const;

/** The demo clinic: one user per role, all with the demo password, ready for a first look. */
export function seedDemoClinic(nowIso: string, workstation: string) {
  return async (db: Kysely<DB>): Promise<void> => {
    await insertClinicSettings(db, { clinicName: 'Asclepia Demo Clinic', timeZone: 'Africa/Nairobi', currency: 'KES' }, nowIso, null);
    const roles = await seedDefaultRoles(db, nowIso);
    for (const test of DEMO_TESTS) {
      await db
        .insertInto('test_catalog')
        .values({ id: newId(), ...test, active: 1, created_at: nowIso, updated_at: nowIso, created_by: null, version: 1 })
        .execute();
    }
    const patientIds: string[] = [];
    for (const patient of DEMO_PATIENTS) patientIds.push(await insertPatient(db, patientFields.parse(patient), nowIso, 'demo'));
    for (const role of ROLE_NAMES) {
      const userId = await insertUser(
        db,
        {
          username: DEMO_USERNAMES[role],
          displayName: DEMO_DISPLAY_NAMES[role],
          roleId: roles[role],
          password: DEMO_PASSWORD,
          patientId: role === 'patient' ? patientIds[0] : null,
        },
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
    await seedDemoSchedules(db, nowIso, roles.doctor);
  };
}

async function seedDemoSchedules(db: Kysely<DB>, nowIso: string, doctorRoleId: string): Promise<void> {
  const row = { created_at: nowIso, updated_at: nowIso, created_by: null, version: 1 };
  const departments = new Map<string, string>();
  for (const name of DEMO_DEPARTMENTS) {
    const id = newId();
    departments.set(name, id);
    await db
      .insertInto('departments')
      .values({ id, name, active: 1, ...row })
      .execute();
  }
  for (const doctor of DEMO_DOCTORS) {
    const userId =
      'displayName' in doctor
        ? await insertUser(
            db,
            { username: doctor.username, displayName: doctor.displayName, roleId: doctorRoleId, password: DEMO_PASSWORD, patientId: null },
            nowIso,
            null,
          )
        : (await db.selectFrom('users').select('id').where('username', '=', doctor.username).executeTakeFirstOrThrow()).id;
    await db
      .insertInto('doctor_profiles')
      .values({
        id: newId(),
        user_id: userId,
        department_id: departments.get(doctor.department) ?? '',
        specialization: doctor.specialization,
        consultation_fee_minor: doctor.feeMinor,
        slot_minutes: doctor.slotMinutes,
        active: 1,
        hours_version: 1,
        ...row,
      })
      .execute();
    for (const [weekday, start, end] of doctor.hours) {
      await db
        .insertInto('working_hours')
        .values({ id: newId(), doctor_id: userId, weekday, start_minute: start, end_minute: end, ...row })
        .execute();
    }
  }
}
