import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/app.js';
import type { KeyProtection } from '../../core/store.js';
import {
  cleanupTempDirs,
  codeOf,
  errorOf,
  expectOk,
  FakeClock,
  filesWithPlaintextHeader,
  listFiles,
  makeTempDir,
  passphraseProtection,
  REPO_MIGRATIONS_DIR,
  signedOut,
} from '../../testing/harness.js';

afterAll(cleanupTempDirs);

const CLINIC = { clinicName: 'Hillside Clinic', timeZone: 'Europe/Berlin', currency: 'EUR' };
const ADMIN = { username: 'Chief', displayName: 'Chief Admin', password: 'first admin password' };

async function emptyCore(protection: KeyProtection) {
  const dataDir = makeTempDir('asclepia-setup');
  const core = await createCore({ dataDir, protection, migrationsDir: REPO_MIGRATIONS_DIR, clock: new FakeClock() });
  return { dataDir, core };
}

describe('first-run setup', () => {
  it('creates the encrypted store, the clinic and its administrator, who can then sign in', async () => {
    const { dataDir, core } = await emptyCore(passphraseProtection());
    expect(listFiles(dataDir)).toEqual([]);
    expect(expectOk(await core.call('setup.status', {}, signedOut))).toEqual({ state: 'needs_setup', clinicName: null, passphraseRequired: false });
    expect(codeOf(await core.call('auth.signIn', { username: 'chief', password: ADMIN.password }, signedOut))).toBe('UNAUTHENTICATED');

    const created = expectOk(await core.call('setup.createClinic', { clinic: CLINIC, admin: ADMIN }, signedOut)) as { recoveryKey: string };
    expect(created.recoveryKey).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    expect(expectOk(await core.call('setup.status', {}, signedOut))).toEqual({ state: 'ready', clinicName: 'Hillside Clinic', passphraseRequired: false });
    expect(listFiles(dataDir)).toContain('asclepia.key');
    expect(filesWithPlaintextHeader(dataDir)).toEqual([]);

    const me = expectOk(await core.call('auth.signIn', { username: 'chief', password: ADMIN.password }, signedOut));
    expect(me).toMatchObject({ username: 'chief', role: { name: 'admin' } });
    expect(codeOf(await core.call('setup.createClinic', { clinic: CLINIC, admin: ADMIN }, signedOut))).toBe('CONFLICT');
    const audit = core.store.sqlite.prepare(`SELECT outcome FROM audit_log WHERE procedure = 'setup.createClinic'`).pluck().all();
    expect(audit).toEqual(['ok']);
    core.close();
  });

  it('asks for a passphrase where the key store cannot protect the key, and creates nothing without one', async () => {
    const { dataDir, core } = await emptyCore({ kind: 'ask' });
    expect(expectOk(await core.call('setup.status', {}, signedOut))).toMatchObject({ state: 'needs_setup', passphraseRequired: true });
    expect(errorOf(await core.call('setup.createClinic', { clinic: CLINIC, admin: ADMIN }, signedOut))).toMatchObject({
      code: 'VALIDATION',
      fields: { passphrase: expect.any(String) },
    });
    expect(listFiles(dataDir)).toEqual([]);
    expect(codeOf(await core.call('setup.createClinic', { clinic: CLINIC, admin: ADMIN, passphrase: 'too short' }, signedOut))).toBe('VALIDATION');
    expect(listFiles(dataDir)).toEqual([]);

    expectOk(await core.call('setup.createClinic', { clinic: CLINIC, admin: ADMIN, passphrase: 'a typed passphrase' }, signedOut));
    core.close();
    const reopened = await createCore({ dataDir, protection: { kind: 'ask' }, migrationsDir: REPO_MIGRATIONS_DIR, clock: new FakeClock() });
    expect(expectOk(await reopened.call('setup.status', {}, signedOut))).toMatchObject({ state: 'locked', clinicName: null });
    expectOk(await reopened.call('setup.unlock', { method: 'passphrase', secret: 'a typed passphrase' }, signedOut));
    expect(expectOk(await reopened.call('setup.status', {}, signedOut))).toMatchObject({ state: 'ready', clinicName: 'Hillside Clinic' });
    expect(codeOf(await reopened.call('setup.unlock', { method: 'passphrase', secret: 'a typed passphrase' }, signedOut))).toBe('CONFLICT');
    reopened.close();
  });
});
