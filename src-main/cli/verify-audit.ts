import { parseArgs } from 'node:util';
import { verifyChain } from '../core/audit/chain.js';
import { systemClock } from '../core/clock.js';
import { REPO_MIGRATIONS_DIR } from '../core/paths.js';
import { Store } from '../core/store.js';
import { streamChain } from '../modules/audit/queries.js';
import { fail, resolveDataDir, resolvePassphrase } from './options.js';

const USAGE = `Usage: npm run verify-audit -- [--data-dir DIR] [--demo] [--passphrase-file FILE]

Checks the audit log's hash chain from the first entry to the last. Exits 0 when it is intact,
1 when an entry was changed or removed (naming the first one), 2 on a usage error.`;

async function main(): Promise<void> {
  let args: { 'data-dir'?: string; demo?: boolean; 'passphrase-file'?: string; help?: boolean };
  try {
    args = parseArgs({
      options: { 'data-dir': { type: 'string' }, demo: { type: 'boolean' }, 'passphrase-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.help) return void console.log(USAGE);
  const demo = args.demo ?? false;
  const dataDir = resolveDataDir(args['data-dir'], demo);
  const passphrase = resolvePassphrase(args['passphrase-file'], demo, 'verify-audit');
  const store = new Store({ dataDir, protection: { kind: 'passphrase', passphrase }, migrationsDir: REPO_MIGRATIONS_DIR, clock: systemClock });
  if (store.state() === 'needs_setup') fail(`There is no clinic database in ${dataDir}.`);
  await store.unlockAutomatically();
  try {
    const verdict = await verifyChain(streamChain(store.db));
    if (verdict.intact) {
      console.log(`The audit log is intact: ${verdict.checked} entries checked.`);
      return;
    }
    const { seq, id, at, problem } = verdict.firstBroken;
    console.log(`The audit log was altered at entry #${seq} (${at}, id ${id}): ${problem}. ${verdict.checked} entries before it are intact.`);
    process.exitCode = 1;
  } finally {
    store.close();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
