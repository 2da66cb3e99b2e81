import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../core/app.js';
import { FakeClock, makeTempDir, passphraseProtection, REPO_MIGRATIONS_DIR, removeTempDir, signedOut } from '../../testing/harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

describe('setup.createClinic pressed twice', () => {
  it('creates one clinic and refuses the second call plainly, leaving the first intact', async () => {
    const dataDir = makeTempDir('asclepia-race');
    dirs.push(dataDir);
    const core = await createCore({ dataDir, protection: passphraseProtection(), migrationsDir: REPO_MIGRATIONS_DIR, clock: new FakeClock() });
    const input = {
      clinic: { clinicName: 'Twice Clinic', timeZone: 'UTC', currency: 'USD' },
      admin: { username: 'boss', displayName: 'The Boss', password: 'long enough password' },
    };
    const [first, second] = await Promise.all([core.call('setup.createClinic', input, signedOut), core.call('setup.createClinic', input, signedOut)]);
    const outcomes = [first, second].map((result) => (result.envelope.ok ? 'OK' : result.envelope.error.code)).sort();
    expect(outcomes).toEqual(['CONFLICT', 'OK']);
    expect(core.store.state()).toBe('ready');
    expect((await core.call('auth.signIn', { username: 'boss', password: 'long enough password' }, signedOut)).envelope.ok).toBe(true);
    core.close();
    const reopened = await createCore({ dataDir, protection: passphraseProtection(), migrationsDir: REPO_MIGRATIONS_DIR, clock: new FakeClock() });
    expect(reopened.store.state()).toBe('ready');
    reopened.close();
  });
});
