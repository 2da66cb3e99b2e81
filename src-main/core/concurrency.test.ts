import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamChain } from '../modules/audit/queries.js';
import { codeOf, type DemoClinic, openDemoClinic } from '../testing/harness.js';
import { verifyChain } from './audit/chain.js';

let clinic: DemoClinic;
beforeEach(async () => {
  clinic = await openDemoClinic();
});
afterEach(() => clinic.dispose());

describe('requests that overlap', () => {
  it('audit every refusal and every change, and keep the chain whole', async () => {
    const nurse = await clinic.signInAs('nurse');
    const admin = await clinic.signInAs('admin');
    const before = clinic.core.store.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    const settings = (await clinic.call('settings.getSecurity', {}, admin)).envelope;
    if (!settings.ok) throw new Error('no settings');
    const calls = [
      ...Array.from({ length: 15 }, () => clinic.call('users.list', {}, nurse)),
      ...Array.from({ length: 15 }, () => clinic.call('auth.lock', {}, admin).then(() => clinic.call('auth.unlock', { password: 'asclepia-demo' }, admin))),
    ];
    const results = await Promise.all(calls);
    expect(results.slice(0, 15).map(codeOf)).toEqual(Array(15).fill('FORBIDDEN'));
    const after = clinic.core.store.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    // 15 refusals + 15 locks + 15 unlocks.
    expect(after - before).toBe(45);
    expect(await verifyChain(streamChain(clinic.core.store.db))).toMatchObject({ intact: true });
  });
});
