// Helpers shared by start.mjs, dev.mjs and build-electron-native.mjs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const windows = process.platform === 'win32';
export const npm = windows ? 'npm.cmd' : 'npm';

/** The Electron executable, or null where the package was installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function electronBinary() {
  try {
    // The package exports the path, and throws when its path.txt was never written.
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function installedElectronVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Runs a command to completion with inherited output; resolves its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: windows && command.endsWith('.cmd'), ...options });
    child.on('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Starts a long-running command in its own process group, so that stopping it reaches everything
 * under it (npm runs scripts through sh, which does not pass signals on to its children).
 */
export function startGroup(command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: root,
    // No stdin: a background process group that reads the terminal would be stopped by it (SIGTTIN).
    stdio: ['ignore', 'inherit', 'inherit'],
    // Windows has no process groups, and there a detached child would open its own console.
    detached: !windows,
    shell: windows && command.endsWith('.cmd'),
    ...options,
  });
  const exited = new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`Could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
  const stop = (signal = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      if (windows) child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return { child, exited, stop };
}

/** Ctrl-C or a stop request ends every group we started, once, with the same signal. */
export function stopAllOn(groups) {
  let stopping = false;
  const stopAll = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const group of groups) group.stop(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  // npm runs us through sh, which dies on SIGTERM without passing it on; our groups must not outlive it.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopAll('SIGTERM');
  }, 1000).unref();
}
