/**
 * npm run bench [-- --patients N] [--doctors N] [--appointments N] [--iterations N] [--out FILE]
 *
 * Generates a clinic into a real encrypted store in a temp folder, then times each area's
 * operations through the whole core (router, session, permission, zod, transaction) beside the
 * same queries as hand-written prepared statements on the raw handle. Reports p50/p95 in ms; a
 * target is reported, never asserted. A new area adds a file under bench/ and one line to AREAS.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_PASSWORD, DEMO_USERNAMES, seedDemoClinic } from '../src-main/cli/demo-data.js';
import { createCore } from '../src-main/core/app.js';
import { REPO_MIGRATIONS_DIR } from '../src-main/core/paths.js';
import type { CallerContext } from '../src-main/core/router.js';
import type { RoleName } from '../src-shared/permissions.js';
import { appointmentsBench } from './appointments.js';
import { type BenchArea, type BenchContext, type BenchOptions, formatTable, type Measurement, measure, Random } from './lib.js';
import { patientsBench } from './patients.js';
import { recordsBench } from './records.js';

/** Every area, in the order its data is generated (later areas may use earlier areas' data). */
const AREAS: BenchArea[] = [patientsBench, recordsBench, appointmentsBench];

const WORKSTATION = 'bench';
const USAGE = [
  'Usage: npm run bench -- [options]',
  '  --patients N      patients to generate (default 200000)',
  '  --events N        clinical events to generate (default 2000000; one patient gets 2000)',
  '  --doctors N       doctors to generate (default 500)',
  '  --appointments N  appointments to generate (default 2000000)',
  '  --iterations N    measured calls per operation, at least 300 (default 400)',
  '  --warmup N        unmeasured calls first (default 50)',
  '  --only TEXT       time only the operations whose name contains TEXT',
  '  --cache-mb N      try another SQLite page cache size on the core’s connection (default: the store’s own)',
  '  --seed N          another generated clinic',
  '  --out FILE.json   write {"operation": {"p50_ms", "p95_ms", "baseline_p50_ms", …}}',
  '  --keep            keep the temp data folder',
].join('\n');

function parseArgs(argv: readonly string[]): { options: BenchOptions; out: string | null; keep: boolean; seed: number } {
  const args = new Map<string, string>();
  let keep = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--keep') {
      keep = true;
      continue;
    }
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    const value = match?.[2] ?? argv[index + 1];
    if (!match?.[1] || value === undefined) {
      console.error(`Not understood: ${arg}\n${USAGE}`);
      process.exit(2);
    }
    args.set(match[1], value);
    if (match[2] === undefined) index += 1;
  }
  const number = (name: string, fallback: number, min: number) => {
    const value = Number(args.get(name) ?? fallback);
    if (!Number.isInteger(value) || value < min) {
      console.error(`--${name} needs a whole number of at least ${min}.\n${USAGE}`);
      process.exit(2);
    }
    return value;
  };
  const iterations = number('iterations', 400, 300);
  if (args.has('cache-mb')) number('cache-mb', 0, 1);
  return {
    options: { iterations, warmup: number('warmup', 50, 0), args },
    out: args.get('out') ?? null,
    keep,
    seed: number('seed', 20_260_302, 0),
  };
}

async function main(): Promise<void> {
  const { options, out, keep, seed } = parseArgs(process.argv.slice(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'asclepia-bench-'));
  const log = (message: string) => console.log(message);
  const core = await createCore({
    dataDir,
    protection: { kind: 'passphrase', passphrase: 'bench passphrase, not a secret' },
    migrationsDir: REPO_MIGRATIONS_DIR,
  });
  try {
    log(`Asclepia bench — an encrypted store in ${dataDir}`);
    await core.store.create(seedDemoClinic(new Date().toISOString(), WORKSTATION));

    const sessions = new Map<RoleName, CallerContext>();
    const ctx: BenchContext = {
      core,
      db: core.store.db,
      sqlite: core.store.sqlite,
      options,
      random: new Random(seed),
      log,
      callerFor: async (role) => {
        const known = sessions.get(role);
        if (known) return known;
        const result = await core.call(
          'auth.signIn',
          { username: DEMO_USERNAMES[role], password: DEMO_PASSWORD },
          { sessionToken: null, workstation: WORKSTATION },
        );
        if (!result.envelope.ok || result.session?.kind !== 'started') throw new Error(`could not sign in as ${role}`);
        const caller = { sessionToken: result.session.token, workstation: WORKSTATION };
        sessions.set(role, caller);
        return caller;
      },
    };

    for (const area of AREAS) {
      log(`Generating ${area.name}…`);
      const started = performance.now();
      await area.generate(ctx);
      log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    core.store.checkpoint();
    ctx.sqlite.pragma('optimize');
    const cacheMb = options.args.get('cache-mb');
    if (cacheMb !== undefined) {
      ctx.sqlite.pragma(`cache_size = ${-1024 * Number(cacheMb)}`);
      log(`Page cache set to ${ctx.sqlite.pragma('cache_size', { simple: true })} (negative: KiB)`);
    }
    const only = options.args.get('only');

    const rows: Array<{ name: string; description: string; measurement: Measurement }> = [];
    for (const area of AREAS) {
      for (const operation of await area.operations(ctx)) {
        if (only && !operation.name.includes(only)) continue;
        const started = performance.now();
        const measurement = await measure(operation, options);
        rows.push({ name: operation.name, description: operation.description, measurement });
        log(`Measured ${operation.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    }

    log('');
    log(`Times in ms over ${options.iterations} iterations each (after ${options.warmup} unmeasured). core = core.call through the router as a signed-in`);
    log('front-desk user; SQL = the same statements prepared by hand on the raw better-sqlite3 handle. Targets are reported, not asserted.');
    log('');
    log(formatTable(rows));
    log('');
    if (out) {
      const json = Object.fromEntries(rows.map(({ name, measurement }) => [name, measurement]));
      writeFileSync(resolve(out), `${JSON.stringify(json, null, 2)}\n`);
      log(`Wrote ${resolve(out)}`);
    }
  } finally {
    core.close();
    if (keep) log(`Kept the data folder ${dataDir} (passphrase: bench passphrase, not a secret)`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
