import { existsSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, powerMonitor, session } from 'electron';
import { type Core, createCore } from '../core/app.js';
import { SchemaTooNewError } from '../core/db/migrate.js';
import { StoreOpenError, WrongSecretError } from '../core/store.js';
import { StartupError } from './errors.js';
import { connectWindowToCore } from './ipc.js';
import { keyProtection } from './keystore.js';
import { applicationMenu } from './menu.js';
import { type AppPaths, appPaths } from './paths.js';
import { APP_ENTRY_URL, applyDevCsp, denyPermissions, devServerUrl, hardenWebContents, type PageSource, registerAppScheme, serveBundle } from './security.js';

let mainWindow: BrowserWindow | null = null;

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** These carry sentences written for the people at the desk: wrong key, missing key file, newer schema, damage. */
function isExplained(error: unknown): error is Error {
  return error instanceof StoreOpenError || error instanceof WrongSecretError || error instanceof SchemaTooNewError || error instanceof StartupError;
}

function explain(error: unknown): string {
  if (isExplained(error)) return error.message;
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_DLOPEN_FAILED') {
    return 'The database module in this installation does not match this version of Asclepia. Reinstall Asclepia (developers: run "npm run build:electron-native").';
  }
  return `Asclepia could not start: ${error instanceof Error ? error.message : String(error)}`;
}

function failToStart(error: unknown): void {
  dialog.showErrorBox('Asclepia cannot start', explain(error));
  app.exit(1);
}

function checkInstallation(paths: AppPaths): void {
  if (paths.nativeBinding && !existsSync(paths.nativeBinding)) {
    throw new StartupError(
      app.isPackaged
        ? 'This installation of Asclepia is incomplete: its database module is missing. Reinstall Asclepia.'
        : 'The database module for Electron is not built yet: run "npm run build:electron-native", then start again.',
    );
  }
  for (const folder of [paths.migrationsDir, paths.resourcesDir]) {
    if (!existsSync(folder)) throw new StartupError(`This installation of Asclepia is incomplete: ${folder} is missing. Reinstall Asclepia.`);
  }
}

/**
 * Where the keyring cannot unwrap the key (reset, profile copied), the core stays locked and the
 * unlock screen asks for the passphrase or recovery key, then stores a fresh wrap.
 */
async function openCore(paths: AppPaths): Promise<Core> {
  checkInstallation(paths);
  return createCore({
    dataDir: paths.dataDir,
    migrationsDir: paths.migrationsDir,
    resourcesDir: paths.resourcesDir,
    nativeBinding: paths.nativeBinding,
    protection: keyProtection(),
    scheduleJobs: true,
  });
}

function createMainWindow(paths: AppPaths, source: PageSource, development: boolean): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Asclepia',
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    ...(paths.windowIcon && existsSync(paths.windowIcon) ? { icon: paths.windowIcon } : {}),
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: development,
      // Chromium's spellchecker downloads dictionaries from Google; this app stays off the network.
      spellcheck: false,
      safeDialogs: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(source.kind === 'dev' ? source.url.toString() : APP_ENTRY_URL);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  const development = !app.isPackaged;
  const paths = appPaths();

  let source: PageSource;
  let core: Core;
  try {
    const devUrl = devServerUrl();
    source = devUrl ? { kind: 'dev', url: devUrl } : { kind: 'bundle', rendererDir: paths.rendererDir };
    if (source.kind === 'bundle' && !existsSync(path.join(paths.rendererDir, 'index.html'))) {
      throw new StartupError(`The screens are not built: ${paths.rendererDir} has no index.html (developers: run "npm run build").`);
    }
    core = await openCore(paths);
  } catch (error) {
    if (!isExplained(error)) console.error('startup failed', error instanceof Error ? error.stack : typeof error);
    failToStart(error);
    return;
  }

  denyPermissions(session.defaultSession);
  if (source.kind === 'dev') applyDevCsp(session.defaultSession, source.url);
  else serveBundle(source.rendererDir);

  const { disconnect, lockSessions } = connectWindowToCore(core, () => mainWindow, source);
  // Health data on an unattended screen: the system's own lock or sleep locks Asclepia too.
  powerMonitor.on('lock-screen', () => void lockSessions());
  powerMonitor.on('suspend', () => void lockSessions());
  Menu.setApplicationMenu(applicationMenu(() => mainWindow, development));
  mainWindow = createMainWindow(paths, source, development);

  // One window, one clinic: closing it ends the app on every platform, macOS included.
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    disconnect();
    core.close();
  });
}

registerAppScheme();
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

// Two instances would each hold the database open and keep their own sessions; the second hands over to the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  start().catch((error: unknown) => {
    console.error('startup failed', error instanceof Error ? error.stack : typeof error);
    failToStart(error);
  });
}
