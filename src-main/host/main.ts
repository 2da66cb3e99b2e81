import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedDemoClinic } from '../cli/demo-data.js';
import { fail, readSecretFile, resolveDataDir, resolvePassphrase } from '../cli/options.js';
import { createCore } from '../core/app.js';
import { type Clock, isoNow, systemClock } from '../core/clock.js';
import { REPO_MIGRATIONS_DIR } from '../core/paths.js';
import { Store } from '../core/store.js';
import { startHost } from './server.js';

const USAGE = `Usage: npm run serve -- [--data-dir DIR] [--port N] [--demo] [--passphrase-file FILE] [--recovery-key-file FILE]

  --data-dir DIR            where the clinic's database and key file live
  --port N                  port on 127.0.0.1 (default 5417; 0 picks a free one)
  --demo                    open the demo clinic, creating it on first use (passphrase asclepia-demo)
  --passphrase-file FILE    read the database passphrase from FILE (else ASCLEPIA_PASSPHRASE)
  --recovery-key-file FILE  forgot the passphrase: unlock with the recovery key in FILE and make
                            the given passphrase the new one`;

/**
 * ASCLEPIA_CLOCK_START (a UTC instant) starts the clinic's clock there and lets it run on: the
 * journeys book and check in "today" on a fixed weekday morning whatever the real time is.
 */
function hostClock(): Clock {
  const start = process.env.ASCLEPIA_CLOCK_START;
  if (!start) return systemClock;
  const startMs = Date.parse(start);
  if (Number.isNaN(startMs)) fail(`ASCLEPIA_CLOCK_START must be a UTC time like 2026-03-02T05:30:00.000Z, not "${start}".`, 2);
  const bootMs = Date.now();
  console.log(`The clinic's clock starts at ${start} (ASCLEPIA_CLOCK_START).`);
  return { now: () => new Date(startMs + (Date.now() - bootMs)) };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseOptions>;
  try {
    args = parseOptions();
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const demo = args.demo ?? false;
  const port = Number(args.port ?? '5417');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, not "${args.port}".`, 2);
  const dataDir = resolveDataDir(args['data-dir'], demo);
  const passphrase = resolvePassphrase(args['passphrase-file'], demo, 'The browser host');

  const protection = { kind: 'passphrase' as const, passphrase };
  if (args['recovery-key-file']) {
    const recoveryKey = readSecretFile(args['recovery-key-file'], 'recovery key');
    await new Store({ dataDir, protection, migrationsDir: REPO_MIGRATIONS_DIR, clock: systemClock }).resetPassphrase('recovery_key', recoveryKey, passphrase);
    console.log('The recovery key opened the database; the passphrase you gave is now its passphrase.');
  }

  const clock = hostClock();
  const core = await createCore({ dataDir, protection, migrationsDir: REPO_MIGRATIONS_DIR, clock, scheduleJobs: true });
  // ASCLEPIA_RENDERER_DIR lets tests serve a stand-in page without building the real one.
  const staticDir = resolve(process.env.ASCLEPIA_RENDERER_DIR ?? fileURLToPath(new URL('../../dist/renderer', import.meta.url)));
  if (!existsSync(resolve(staticDir, 'index.html'))) {
    core.close();
    fail('The screens are not built yet: run "npm run build:renderer" (npm run serve does it for you).');
  }
  if (demo && core.store.state() === 'needs_setup') {
    await core.store.create(seedDemoClinic(isoNow(clock), hostname()));
    console.log('Created the demo clinic: sign in as admin, frontdesk, doctor, nurse, pharmacist or patient, password asclepia-demo.');
  }
  let host: Awaited<ReturnType<typeof startHost>>;
  try {
    host = await startHost(core, { port, staticDir });
  } catch (error) {
    core.close();
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use: stop the other program or pass --port N.`
        : `The browser host could not start: ${code ?? 'unknown error'}.`,
    );
  }
  console.log(`Data folder: ${dataDir}`);
  console.log(`Asclepia is ready at ${host.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await host.close();
    core.close();
    console.log(`Stopped (${signal}).`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function parseOptions() {
  return parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean' },
      'passphrase-file': { type: 'string' },
      'recovery-key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

main().catch((error: unknown) => {
  // Known failures (wrong passphrase, damaged or newer database) carry sentences meant for people.
  fail(error instanceof Error ? error.message : String(error));
});
