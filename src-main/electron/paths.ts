import path from 'node:path';
import { app } from 'electron';

/**
 * Where the desktop app finds its parts. Packaged, the migrations, the core's resource files and
 * the Electron-ABI database module sit in the resources folder beside app.asar (extraResources in
 * electron-builder.yml); in development they come from the repository. core/paths.ts is not used
 * here: it relies on import.meta.url, which the CommonJS bundle does not have.
 */
export interface AppPaths {
  dataDir: string;
  rendererDir: string;
  preload: string;
  migrationsDir: string;
  /** Files the core reads at run time, such as common-passwords.txt. */
  resourcesDir: string;
  /** The better-sqlite3 build for Electron's ABI; the one in node_modules is built for Node and the tests. */
  nativeBinding: string | undefined;
  /** Set on the window in development only; installers give the packaged app its icon. */
  windowIcon: string | undefined;
}

/** Also written by scripts/build-electron-native.mjs and listed in electron-builder.yml. */
const DEV_NATIVE_BINDING = ['.electron-native', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'];

export function appPaths(): AppPaths {
  const root = app.getAppPath();
  const packaged = app.isPackaged;
  return {
    // userData is the folder the browser host also defaults to, so both open the same clinic.
    dataDir: app.getPath('userData'),
    rendererDir: path.join(root, 'dist', 'renderer'),
    preload: path.join(root, 'dist', 'main', 'preload.cjs'),
    migrationsDir: packaged ? path.join(process.resourcesPath, 'migrations') : path.join(root, 'migrations'),
    resourcesDir: packaged ? path.join(process.resourcesPath, 'resources') : path.join(root, 'resources'),
    nativeBinding: process.versions.electron
      ? packaged
        ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
        : path.join(root, ...DEV_NATIVE_BINDING)
      : undefined,
    windowIcon: packaged ? undefined : path.join(root, 'resources', 'icon.png'),
  };
}
