import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appointmentsHandlers } from '../modules/appointments/handlers.js';
import { runAppointmentJobs } from '../modules/appointments/jobs.js';
import { auditHandlers } from '../modules/audit/handlers.js';
import { authHandlers } from '../modules/auth/handlers.js';
import { emergencyHandlers } from '../modules/emergency/handlers.js';
import { patientsHandlers } from '../modules/patients/handlers.js';
import { recordsHandlers } from '../modules/records/handlers.js';
import { settingsHandlers } from '../modules/settings/handlers.js';
import { setupHandlers } from '../modules/setup/handlers.js';
import { usersHandlers } from '../modules/users/handlers.js';
import { ChangeTracker, type TablesChangedListener } from './changes.js';
import { type Clock, systemClock } from './clock.js';
import { describeError } from './log.js';
import { type CallerContext, type CallResult, Router } from './router.js';
import { type KeyProtection, Store } from './store.js';

export interface CoreOptions {
  dataDir: string;
  /** The folder with common-passwords.txt; by default resources/ beside the migrations folder, as in the repository and the packaged app. */
  resourcesDir?: string;
  protection: KeyProtection;
  migrationsDir: string;
  clock?: Clock;
  nativeBinding?: string;
  /** Run the daily jobs on a timer (the apps); tests call runJobs() themselves. */
  scheduleJobs?: boolean;
}

export interface Core {
  store: Store;
  call(name: string, input: unknown, caller: CallerContext): Promise<CallResult>;
  onTablesChanged(listener: TablesChangedListener): () => void;
  /** The daily housekeeping (no-shows, tomorrow's reminders); also run on a timer while the store is open. */
  runJobs(): Promise<void>;
  close(): void;
}

function loadCommonPasswords(resourcesDir: string): Set<string> {
  const text = readFileSync(join(resourcesDir, 'common-passwords.txt'), 'utf8');
  return new Set(
    text
      .split(/\r?\n/)
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Every module's handlers; a new module adds one line here. */
const MODULES = [
  setupHandlers,
  authHandlers,
  settingsHandlers,
  usersHandlers,
  auditHandlers,
  patientsHandlers,
  emergencyHandlers,
  recordsHandlers,
  appointmentsHandlers,
];

/** Often enough that a reminder appears soon after 06:00 and yesterday's no-shows soon after midnight. */
const JOB_INTERVAL_MS = 5 * 60_000;

/**
 * Transport-free core: the store and the router. Opens the database at once where this
 * workstation can unwrap its key by itself; a wrong passphrase or damaged store throws here.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const store = new Store({ ...options, clock });
  await store.unlockAutomatically();
  const router = new Router(store, clock, { commonPasswords: loadCommonPasswords(options.resourcesDir ?? join(options.migrationsDir, '..', 'resources')) });
  for (const handlers of MODULES) router.register(handlers);
  router.assertComplete();
  const runJobs = async () => {
    if (store.state() !== 'ready') return;
    const tracker = new ChangeTracker();
    await store.db.transaction().execute((trx) => runAppointmentJobs(trx.withPlugin(tracker), clock.now()));
    router.changes.emit(tracker.tables);
  };
  const tick = () => {
    runJobs().catch((error) => console.error('daily jobs failed', describeError(error)));
  };
  // Soon after start (the clinic opens its day), then every few minutes.
  const timers = options.scheduleJobs ? [setTimeout(tick, 10_000), setInterval(tick, JOB_INTERVAL_MS)] : [];
  for (const timer of timers) timer.unref();
  return {
    store,
    call: (name, input, caller) => router.call(name, input, caller),
    onTablesChanged: (listener) => router.changes.subscribe(listener),
    runJobs,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      store.close();
    },
  };
}
