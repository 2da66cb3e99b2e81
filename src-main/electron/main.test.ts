import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNEL, TABLES_CHANNEL } from './channels.js';

/**
 * The desktop main process against the real core and a real encrypted database. The Electron
 * runtime cannot run on the build machines, so its API is replaced by the small stand-in below,
 * which records what main asks of it; everything behind the API (core, store, router) is real.
 */
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  class Emitter {
    private listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    off(event: string, listener: Listener) {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((entry) => entry !== listener),
      );
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }
  let nextId = 1;
  class FakeWebContents extends Emitter {
    readonly id = nextId++;
    url = '';
    sent: unknown[][] = [];
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    getURL() {
      return this.url;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }
  const state = {
    appRoot: '',
    userData: '',
    resolveReady: () => {},
    appEvents: new Emitter(),
    power: new Emitter(),
    schemes: [] as unknown[],
    sandboxed: false,
    protocolHandler: null as null | ((request: Request) => Promise<Response>),
    ipc: new Map<string, (...args: unknown[]) => Promise<unknown>>(),
    errors: [] as string[][],
    windows: [] as { options: { webPreferences: Record<string, unknown> }; webContents: FakeWebContents }[],
    menu: [] as { label?: string; submenu?: { role?: string }[] }[],
    openedExternally: [] as string[],
    permissionRequest: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    quitCalls: 0,
  };
  const ready = new Promise<void>((resolve) => {
    state.resolveReady = resolve;
  });
  class BrowserWindow extends Emitter {
    readonly webContents = new FakeWebContents();
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      state.windows.push(this);
      state.appEvents.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      return this.webContents.loadURL(url);
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {}
    focus() {}
  }
  const electron = {
    app: {
      isPackaged: false,
      getAppPath: () => state.appRoot,
      getPath: () => state.userData,
      getVersion: () => '0.0.0-test',
      whenReady: () => ready,
      on: (event: string, listener: Listener) => state.appEvents.on(event, listener),
      off: (event: string, listener: Listener) => state.appEvents.off(event, listener),
      quit: () => {
        state.quitCalls++;
      },
      exit: (code: number) => state.errors.push(['exit', String(code)]),
      requestSingleInstanceLock: () => true,
      enableSandbox: () => {
        state.sandboxed = true;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.schemes.push(...schemes),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => {
        state.protocolHandler = handler;
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      // Reversible, which is all main relies on; the real one is the OS keyring.
      encryptString: (text: string) => Buffer.from(`wrapped:${text}`),
      decryptString: (blob: Buffer) => blob.toString().slice('wrapped:'.length),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof state.permissionRequest) => {
          state.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: typeof state.permissionCheck) => {
          state.permissionCheck = handler;
        },
        setDevicePermissionHandler: () => {},
        webRequest: { onHeadersReceived: () => {} },
      },
    },
    powerMonitor: {
      on: (event: string, listener: Listener) => state.power.on(event, listener),
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => Promise<unknown>) => state.ipc.set(channel, handler),
      removeHandler: (channel: string) => state.ipc.delete(channel),
    },
    dialog: {
      showErrorBox: (title: string, body: string) => state.errors.push([title, body]),
      showMessageBox: async () => ({ response: 0 }),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: typeof state.menu) => {
        state.menu = menu;
      },
    },
    shell: {
      openExternal: async (url: string) => {
        state.openedExternally.push(url);
      },
    },
  };
  return { state, electron, FakeWebContents };
});

vi.mock('electron', () => fake.electron);

const { state } = fake;
const PASSWORD = 'plum-otter-lantern-42';
const APP_PAGE = 'app://asclepia/index.html';

function invoke(name: unknown, input: unknown, from: { url?: string; sender?: unknown; parent?: unknown; noFrame?: boolean } = {}) {
  const handler = state.ipc.get(INVOKE_CHANNEL);
  if (!handler) throw new Error('no IPC handler registered');
  const window = state.windows[0];
  const event = {
    sender: from.sender ?? window?.webContents,
    senderFrame: from.noFrame ? null : { parent: from.parent ?? null, url: from.url ?? APP_PAGE },
  };
  return handler(event, name, input) as Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string } }>;
}

beforeAll(async () => {
  const repo = join(import.meta.dirname, '..', '..');
  state.appRoot = mkdtempSync(join(tmpdir(), 'asclepia-electron-root-'));
  state.userData = mkdtempSync(join(tmpdir(), 'asclepia-electron-data-'));
  cpSync(join(repo, 'migrations'), join(state.appRoot, 'migrations'), { recursive: true });
  cpSync(join(repo, 'resources'), join(state.appRoot, 'resources'), { recursive: true });
  mkdirSync(join(state.appRoot, 'dist', 'renderer', 'assets'), { recursive: true });
  writeFileSync(
    join(state.appRoot, 'dist', 'renderer', 'index.html'),
    '<!doctype html><div id="root"></div><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(state.appRoot, 'dist', 'renderer', 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(state.appRoot, 'package.json'), '{"secret":"outside the renderer folder"}');
  delete process.env.ASCLEPIA_DEV_URL;

  await import('./main.js');
  state.resolveReady();
  for (let attempt = 0; attempt < 200 && state.windows.length === 0 && state.errors.length === 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(state.errors).toEqual([]);
});

afterAll(() => {
  state.appEvents.emit('will-quit');
  for (const dir of [state.appRoot, state.userData]) rmSync(dir, { recursive: true, force: true });
});

describe('the desktop window', () => {
  it('is sandboxed, isolated and loads the bundle over the privileged app:// scheme', () => {
    expect(state.sandboxed).toBe(true);
    expect(state.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(state.schemes[0]).not.toHaveProperty('privileges.bypassCSP');
    const [window] = state.windows;
    expect(state.windows).toHaveLength(1);
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window?.webContents.url).toBe(APP_PAGE);
  });

  it('denies every permission, navigation, webview and new window; only http(s) links reach the system browser', () => {
    let granted: boolean | null = null;
    state.permissionRequest?.(null, 'media', (value) => {
      granted = value;
    });
    expect(granted).toBe(false);
    expect(state.permissionCheck?.()).toBe(false);
    const contents = state.windows[0]?.webContents;
    expect(contents?.openHandler?.({ url: 'https://example.org/guide' })).toEqual({ action: 'deny' });
    contents?.openHandler?.({ url: 'file:///etc/passwd' });
    contents?.openHandler?.({ url: 'javascript:alert(1)' });
    expect(state.openedExternally).toEqual(['https://example.org/guide']);
    for (const event of ['will-navigate', 'will-attach-webview', 'will-redirect']) {
      const preventDefault = vi.fn();
      contents?.emit(event, { preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
  });

  it('shows DevTools in the menu only in development', () => {
    const view = state.menu.find((item) => item.label === '&View');
    expect(view?.submenu?.some((item) => item.role === 'toggleDevTools')).toBe(true);
    expect(state.windows[0]?.options.webPreferences.devTools).toBe(true);
  });
});

describe('the IPC door', () => {
  it('answers only our window’s top-level frame showing our page', async () => {
    expect((await invoke('setup.status', {})).ok).toBe(true);
    const refusals = [
      { url: 'https://attacker.example/' },
      { url: 'app://other/index.html' },
      { parent: { url: APP_PAGE } },
      { sender: new fake.FakeWebContents() },
      { noFrame: true },
    ];
    for (const from of refusals) expect((await invoke('setup.status', {}, from)).error?.code, JSON.stringify(from)).toBe('FORBIDDEN');
    expect((await invoke(42, {})).error?.code).toBe('VALIDATION');
  });

  it('keeps the session token in main and forwards table changes to the window', async () => {
    const created = await invoke('setup.createClinic', {
      clinic: { clinicName: 'Electron Test Clinic', timeZone: 'UTC', currency: 'USD' },
      admin: { username: 'admin', displayName: 'Ada Admin', password: PASSWORD },
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const keyFile = JSON.parse(readFileSync(join(state.userData, 'asclepia.key'), 'utf8')) as { wraps: { method: string }[] };
    expect(keyFile.wraps.map((wrap) => wrap.method)).toContain('os_keystore');

    expect((await invoke('auth.me', {})).error?.code).toBe('UNAUTHENTICATED');
    const signedIn = await invoke('auth.signIn', { username: 'admin', password: PASSWORD });
    expect(signedIn.ok, JSON.stringify(signedIn)).toBe(true);
    expect(JSON.stringify(signedIn)).not.toMatch(/token/i);
    expect((await invoke('auth.me', {})).ok).toBe(true);

    const contents = state.windows[0]?.webContents;
    const before = contents?.sent.length ?? 0;
    const settings = await invoke('settings.get', {});
    expect(settings.ok).toBe(true);
    const updated = await invoke('settings.update', { ...settings.value, clinicName: 'Renamed Clinic' });
    expect(updated.ok, JSON.stringify(updated)).toBe(true);
    expect(contents?.sent.slice(before)).toContainEqual([TABLES_CHANNEL, expect.arrayContaining(['settings'])]);

    expect((await invoke('auth.signOut', {})).ok).toBe(true);
    expect((await invoke('auth.me', {})).error?.code).toBe('UNAUTHENTICATED');
  });

  it('locks the session when the system locks its screen or suspends', async () => {
    for (const event of ['lock-screen', 'suspend']) {
      expect((await invoke('auth.signIn', { username: 'admin', password: PASSWORD })).ok).toBe(true);
      state.power.emit(event);
      await vi.waitFor(async () => expect((await invoke('auth.me', {})).value?.locked).toBe(true));
      expect((await invoke('settings.get', {})).error?.code).toBe('UNAUTHENTICATED');
      expect((await invoke('auth.unlock', { password: PASSWORD })).ok).toBe(true);
      expect((await invoke('settings.get', {})).ok).toBe(true);
    }
  });
});

describe('the app:// scheme', () => {
  const get = (url: string, method = 'GET') => {
    if (!state.protocolHandler) throw new Error('no protocol handler');
    return state.protocolHandler(new Request(url, { method }));
  };

  it('serves the built screens with the browser host’s CSP', async () => {
    const page = await get(APP_PAGE);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect((await get('app://asclepia/assets/app.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await get('app://asclepia/patients')).status).toBe(200);
    expect((await get('app://asclepia/assets/missing.js')).status).toBe(404);
    expect((await get(APP_PAGE, 'POST')).status).toBe(405);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://asclepia/..%2f..%2fpackage.json',
      'app://asclepia/%2e%2e/%2e%2e/package.json',
      'app://asclepia/assets/..%2f..%2f..%2fpackage.json',
      'app://asclepia/..%5c..%5cpackage.json',
      `app://asclepia/${encodeURIComponent(join(state.appRoot, 'package.json'))}`,
      'app://asclepia/index.html%00.js',
      'app://asclepia/%E0%A4%A',
      'app://elsewhere/index.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('outside the renderer folder');
    }
  });
});
