/**
 * The crash test's victim: opens the clinic store the way the app does and commits small
 * transactions as fast as it can, printing each one's id only after its commit returned. The
 * parent kills it with SIGKILL at a random moment and checks that every printed id survived.
 *
 * Environment: CRASH_DATA_DIR, CRASH_PASSPHRASE, CRASH_MIGRATIONS_DIR, CRASH_ROUND.
 * Output: "ready", then one committed id per line. (Writes to a pipe are synchronous on Linux and
 * macOS, so a printed line has left this process before the next transaction starts.)
 */
import { writeAudit } from '../core/audit/audit.js';
import { systemClock } from '../core/clock.js';
import { Store } from '../core/store.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const store = new Store({
  dataDir: env('CRASH_DATA_DIR'),
  protection: { kind: 'passphrase', passphrase: env('CRASH_PASSPHRASE') },
  migrationsDir: env('CRASH_MIGRATIONS_DIR'),
  clock: systemClock,
});
await store.unlockAutomatically();
const round = env('CRASH_ROUND');
// Rows of a few kilobytes, so the write-ahead log fills and checkpoints now and then mid-run.
const padding = 'x'.repeat(3000);
process.stdout.write('ready\n');

for (let n = 0; ; n++) {
  const id = `r${round}-${n}`;
  const at = new Date().toISOString();
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings')
      .values({ id, key: `crash.${id}`, value: JSON.stringify({ padding }), created_at: at, updated_at: at, created_by: null, version: 1 })
      .execute();
    await writeAudit(trx, { at, userId: null, workstation: 'crash-test', procedure: 'crash.commit', entity: 'settings', entityId: id, outcome: 'ok' });
  });
  process.stdout.write(`${id}\n`);
}
