// npm start: the desktop app where the Electron runtime is installed, the browser host where it is not
// (machines that install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 because Electron's download host is out of reach).
import { join } from 'node:path';
import { electronBinary, npm, root, run, startGroup, stopAllOn } from './lib/processes.mjs';

const args = process.argv.slice(2);

async function startBrowserHost(reason) {
  console.log(`${reason}, so Asclepia starts in your browser instead: open the address printed below.`);
  const host = startGroup(npm, ['run', '--silent', 'serve', '--', ...args]);
  stopAllOn([host]);
  process.exit(await host.exited);
}

async function startDesktop(electron) {
  if ((await run(npm, ['run', '--silent', 'build'])) !== 0) process.exit(1);
  // Returns at once when the module is already built for this Electron version.
  if ((await run(process.execPath, [join(root, 'scripts', 'build-electron-native.mjs')])) !== 0) {
    return startBrowserHost('The database module for Electron could not be built here');
  }
  if (args.length > 0) console.log(`The desktop app ignores ${args.join(' ')}: those options are for the browser host (npm run serve).`);
  const env = { ...process.env };
  // Either would turn the window into something else: Node without a window, or the Vite dev page.
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ASCLEPIA_DEV_URL;
  const desktop = startGroup(electron, ['.'], { env });
  stopAllOn([desktop]);
  process.exit(await desktop.exited);
}

const electron = electronBinary();
if (electron) await startDesktop(electron);
else await startBrowserHost('The Electron runtime is not installed here');
