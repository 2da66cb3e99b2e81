import { authHandlers } from '../modules/auth/handlers.js';
import { settingsHandlers } from '../modules/settings/handlers.js';
import { setupHandlers } from '../modules/setup/handlers.js';
import type { TablesChangedListener } from './changes.js';
import { type Clock, systemClock } from './clock.js';
import { type CallerContext, type CallResult, Router } from './router.js';
import { type KeyProtection, Store } from './store.js';

export interface CoreOptions {
  dataDir: string;
  protection: KeyProtection;
  migrationsDir: string;
  clock?: Clock;
  nativeBinding?: string;
}

export interface Core {
  store: Store;
  call(name: string, input: unknown, caller: CallerContext): Promise<CallResult>;
  onTablesChanged(listener: TablesChangedListener): () => void;
  close(): void;
}

/** Every module's handlers; a new module adds one line here. */
const MODULES = [setupHandlers, authHandlers, settingsHandlers];

/**
 * Transport-free core: the store and the router. Opens the database at once where this
 * workstation can unwrap its key by itself; a wrong passphrase or damaged store throws here.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const store = new Store({ ...options, clock });
  await store.unlockAutomatically();
  const router = new Router(store, clock);
  for (const handlers of MODULES) router.register(handlers);
  router.assertComplete();
  return {
    store,
    call: (name, input, caller) => router.call(name, input, caller),
    onTablesChanged: (listener) => router.changes.subscribe(listener),
    close: () => store.close(),
  };
}
