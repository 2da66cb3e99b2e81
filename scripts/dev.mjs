// npm run dev: the Vite dev server (http://localhost:5173) with either the desktop app pointed at it,
// where the Electron runtime is installed, or the browser host on 5417 behind Vite's /api proxy.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { electronBinary, npm, root, run, startGroup, stopAllOn } from './lib/processes.mjs';

const DEV_URL = 'http://localhost:5173/';
const HOST_PORT = '5417';
const args = process.argv.slice(2);
const vite = [process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js')]];

async function waitFor(url, seconds) {
  for (let attempt = 0; attempt < seconds * 4; attempt++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  return false;
}

/** Whichever part stops first (a crash, or the window closed) stops the others. */
async function supervise(groups) {
  stopAllOn(groups);
  const code = await Promise.race(groups.map((group) => group.exited));
  for (const group of groups) group.stop('SIGTERM');
  await Promise.all(groups.map((group) => group.exited));
  process.exit(code);
}

const electron = electronBinary();
if (electron) {
  if ((await run(npm, ['run', '--silent', 'build:main'])) !== 0) process.exit(1);
  if ((await run(process.execPath, [join(root, 'scripts', 'build-electron-native.mjs')])) !== 0) process.exit(1);
  const devServer = startGroup(...vite);
  if (!(await waitFor(DEV_URL, 30))) {
    console.error(`The Vite dev server did not answer at ${DEV_URL} within 30 seconds.`);
    devServer.stop();
    process.exit(1);
  }
  const env = { ...process.env, ASCLEPIA_DEV_URL: DEV_URL };
  delete env.ELECTRON_RUN_AS_NODE;
  await supervise([devServer, startGroup(electron, ['.'], { env })]);
} else {
  console.log(`The Electron runtime is not installed here, so the screens run in your browser: open ${DEV_URL} once both servers are up.`);
  const host = startGroup(npm, ['run', '--silent', 'serve', '--', '--port', HOST_PORT, ...args]);
  await supervise([host, startGroup(...vite)]);
}
