import { hostname } from 'node:os';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { ipcMain } from 'electron';
import type { Envelope } from '../../src-shared/errors.js';
import type { Core } from '../core/app.js';
import { describeError } from '../core/log.js';
import { INVOKE_CHANNEL, TABLES_CHANNEL } from './channels.js';
import { isAppUrl, type PageSource } from './security.js';

const MAX_NAME_LENGTH = 200;

function failure(code: 'FORBIDDEN' | 'VALIDATION' | 'INTERNAL', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

/**
 * The window's only door into main. The session token lives here, keyed by webContents, the way
 * the browser host keeps it in an HttpOnly cookie: page script can use the session but never read
 * it.
 */
export function connectWindowToCore(
  core: Core,
  getWindow: () => BrowserWindow | null,
  source: PageSource,
): { disconnect: () => void; lockSessions: () => Promise<void> } {
  const workstation = hostname();
  const tokens = new Map<number, string>();

  /** Our window's top-level frame showing our page; not a subframe, another webContents, or a page it was steered to. */
  function fromOurPage(event: IpcMainInvokeEvent): boolean {
    const window = getWindow();
    if (!window || window.isDestroyed() || event.sender !== window.webContents) return false;
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isAppUrl(frame.url, source);
  }

  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, input: unknown): Promise<Envelope<unknown>> => {
    // senderFrame is read before any await: after a navigation it would describe another page or be null.
    if (!fromOurPage(event)) return failure('FORBIDDEN', 'Only Asclepia’s own window may call procedures.');
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
      return failure('VALIDATION', 'A procedure name must be a short text.');
    }
    const contents = event.sender;
    const contentsId = contents.id;
    try {
      const result = await core.call(name, input ?? {}, { sessionToken: tokens.get(contentsId) ?? null, workstation });
      if (result.session?.kind === 'started') {
        if (!tokens.has(contentsId)) contents.once('destroyed', () => tokens.delete(contentsId));
        tokens.set(contentsId, result.session.token);
      } else if (result.session?.kind === 'ended') {
        tokens.delete(contentsId);
      }
      return result.envelope;
    } catch (error) {
      console.error(`ipc call ${name} failed`, describeError(error));
      return failure('INTERNAL', 'Asclepia could not finish this request. Try again; if it keeps failing, restart Asclepia.');
    }
  });

  const unsubscribe = core.onTablesChanged((tables) => {
    const window = getWindow();
    if (!window || window.isDestroyed()) return;
    const contents = window.webContents;
    if (isAppUrl(contents.getURL(), source)) contents.send(TABLES_CHANNEL, tables);
  });

  return {
    disconnect: () => {
      unsubscribe();
      ipcMain.removeHandler(INVOKE_CHANNEL);
      tokens.clear();
    },
    /** The window hears of the lock through the table-change event and shows its lock screen. */
    lockSessions: async () => {
      for (const token of tokens.values()) await core.call('auth.lock', {}, { sessionToken: token, workstation });
    },
  };
}
