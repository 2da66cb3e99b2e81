import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmergencyGrant } from '../../../src-shared/contract/emergency.js';
import { codeOf, type DemoClinic, errorOf, expectOk, HOUR, MINUTE, openDemoClinic } from '../../testing/harness.js';
import { clinicalAccess } from './rules.js';

let clinic: DemoClinic;
beforeEach(async () => {
  clinic = await openDemoClinic();
});
afterEach(() => clinic.dispose());

const patientId = (mrn: string) => clinic.core.store.sqlite.prepare('SELECT id FROM patients WHERE mrn = ?').pluck().get(mrn) as string;
const REASON = 'Unconscious on arrival; need allergy history';

describe('clinicalAccess', () => {
  const base = { ownPatientId: null, patientId: 'p1', emergencyUntil: null, nowIso: '2026-03-02T08:00:00.000Z' };
  it('is by role, by own record, or by an unexpired emergency access, in that order', () => {
    expect(clinicalAccess(new Set(['clinical.read']), base)).toBe('role');
    expect(clinicalAccess(new Set(['clinical.read_own']), { ...base, ownPatientId: 'p1' })).toBe('own_record');
    expect(clinicalAccess(new Set(['clinical.read_own']), { ...base, ownPatientId: 'p2' })).toBeNull();
    expect(clinicalAccess(new Set(), { ...base, emergencyUntil: '2026-03-02T08:59:59.999Z' })).toBe('emergency');
    expect(clinicalAccess(new Set(), { ...base, emergencyUntil: '2026-03-02T08:00:00.000Z' })).toBeNull();
  });
});

describe('emergency access (break glass)', () => {
  it('opens one patient’s record for one hour to a user without clinical permission, audited as high severity', async () => {
    // The hour is longer than the idle lock; this workstation is kept busy instead.
    const admin = await clinic.signInAs('admin');
    expectOk(await clinic.call('settings.updateSecurity', { idleLockMinutes: 240, requireTwoFactorForAdmins: false, version: 0 }, admin));
    const frontDesk = await clinic.signInAs('front_desk');
    const grace = patientId('P-000001');
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: grace }, frontDesk))).toEqual({ allowed: false, via: null, until: null });

    const grant = expectOk(await clinic.call('emergency.open', { patientId: grace, reason: REASON }, frontDesk)) as EmergencyGrant;
    expect(grant).toMatchObject({ reason: REASON, patient: { mrn: 'P-000001' }, user: { username: 'frontdesk' }, review: null });
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(HOUR);
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: grace }, frontDesk))).toEqual({
      allowed: true,
      via: 'emergency',
      until: grant.expiresAt,
    });
    // Another patient stays closed.
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: patientId('P-000002') }, frontDesk))).toMatchObject({ allowed: false });

    const audit = clinic.core.store.sqlite.prepare(`SELECT severity, entity, entity_id FROM audit_log WHERE procedure = 'emergency.open'`).get() as Record<
      string,
      string
    >;
    expect(audit).toEqual({ severity: 'high', entity: 'patient', entity_id: grace });

    clinic.clock.advance(59 * MINUTE);
    expect(expectOk(await clinic.call('emergency.mine', {}, frontDesk))).toHaveLength(1);
    clinic.clock.advance(MINUTE);
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: grace }, frontDesk))).toMatchObject({ allowed: false });
    expect(expectOk(await clinic.call('emergency.mine', {}, frontDesk))).toHaveLength(0);
  });

  it('needs a reason of substance, a real patient, and is not for roles that already read records', async () => {
    const pharmacist = await clinic.signInAs('pharmacist');
    expect(errorOf(await clinic.call('emergency.open', { patientId: patientId('P-000001'), reason: 'urgent' }, pharmacist))).toMatchObject({
      code: 'VALIDATION',
      fields: { reason: expect.any(String) },
    });
    expect(codeOf(await clinic.call('emergency.open', { patientId: 'no-such-patient', reason: REASON }, pharmacist))).toBe('NOT_FOUND');
    const doctor = await clinic.signInAs('doctor');
    // A doctor reads records by role; the permission to break the glass is not the doctor's.
    expect(codeOf(await clinic.call('emergency.open', { patientId: patientId('P-000001'), reason: REASON }, doctor))).toBe('FORBIDDEN');
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: patientId('P-000001') }, doctor))).toMatchObject({ allowed: true, via: 'role' });
  });

  it('appears in the administrator’s review list until reviewed, once', async () => {
    const nurseless = await clinic.signInAs('pharmacist');
    const grant = expectOk(await clinic.call('emergency.open', { patientId: patientId('P-000003'), reason: REASON }, nurseless)) as EmergencyGrant;
    const admin = await clinic.signInAs('admin');
    expect((expectOk(await clinic.call('emergency.list', {}, admin)) as EmergencyGrant[]).map((entry) => entry.id)).toEqual([grant.id]);
    const reviewed = expectOk(await clinic.call('emergency.review', { id: grant.id, note: 'Confirmed with ward' }, admin)) as EmergencyGrant;
    expect(reviewed.review).toMatchObject({ note: 'Confirmed with ward' });
    expect(expectOk(await clinic.call('emergency.list', {}, admin))).toEqual([]);
    expect(expectOk(await clinic.call('emergency.list', { status: 'all' }, admin))).toHaveLength(1);
    expect(codeOf(await clinic.call('emergency.review', { id: grant.id }, admin))).toBe('CONFLICT');
    expect(codeOf(await clinic.call('emergency.list', {}, nurseless))).toBe('FORBIDDEN');
  });

  it('lets a patient see their own record by right, and no one else’s', async () => {
    const patient = await clinic.signInAs('patient');
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: patientId('P-000001') }, patient))).toMatchObject({
      allowed: true,
      via: 'own_record',
    });
    expect(expectOk(await clinic.call('emergency.accessTo', { patientId: patientId('P-000002') }, patient))).toMatchObject({ allowed: false });
  });
});

describe('who may break the glass and who reviews it', () => {
  it('is refused to a patient, and an administrator cannot review their own emergency access', async () => {
    const patient = await clinic.signInAs('patient');
    expect(codeOf(await clinic.call('emergency.open', { patientId: patientId('P-000002'), reason: REASON }, patient))).toBe('FORBIDDEN');
    const admin = await clinic.signInAs('admin');
    const grant = expectOk(await clinic.call('emergency.open', { patientId: patientId('P-000002'), reason: REASON }, admin)) as EmergencyGrant;
    expect(errorOf(await clinic.call('emergency.review', { id: grant.id }, admin))).toMatchObject({ code: 'FORBIDDEN' });
    expect((expectOk(await clinic.call('emergency.list', {}, admin)) as EmergencyGrant[]).map((entry) => entry.id)).toEqual([grant.id]);
  });
});
