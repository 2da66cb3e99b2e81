// Builds better-sqlite3-multiple-ciphers for Electron's ABI in .electron-native/, leaving the
// Node build in node_modules (which the tests and the browser host load) untouched. The desktop
// app loads this copy through better-sqlite3's nativeBinding option.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { installedElectronVersion, root } from './lib/processes.mjs';

const DIST_URL = 'https://electronjs.org/headers';
const source = join(root, 'node_modules', 'better-sqlite3-multiple-ciphers');
const target = join(root, '.electron-native', 'better-sqlite3-multiple-ciphers');
// Also named in src-main/electron/paths.ts and electron-builder.yml (extraResources).
const output = join(target, 'build', 'Release', 'better_sqlite3.node');
const stampFile = join(target, 'electron-build.json');
// Electron's headers kept apart from Node's, which node-gyp caches by version number alone.
const devdir = join(homedir(), '.electron-gyp');

const electron = installedElectronVersion();
const arch = process.env.npm_config_arch || process.arch;
const moduleVersion = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version;
const stamp = { electron, arch, platform: process.platform, module: moduleVersion };

if (!process.argv.includes('--force') && existsSync(output) && existsSync(stampFile)) {
  const previous = JSON.parse(readFileSync(stampFile, 'utf8'));
  if (Object.entries(stamp).every(([key, value]) => previous[key] === value)) {
    console.log(`The database module is already built for Electron ${electron} (${arch}); pass --force to rebuild it.`);
    process.exit(0);
  }
}

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
// The Node build output stays behind, so a failed rebuild can never be mistaken for an Electron one.
cpSync(source, target, {
  recursive: true,
  filter: (path) => {
    const inside = relative(source, path);
    return !(inside === 'build' || inside.startsWith(`build${sep}`) || inside.split(sep).includes('node_modules'));
  },
});

console.log(`Building the database module for Electron ${electron} (${arch}); this takes a few minutes.`);
const nodeGyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const args = ['rebuild', '--release', '--runtime=electron', `--target=${electron}`, `--arch=${arch}`, `--dist-url=${DIST_URL}`, `--devdir=${devdir}`];
// Under npm, settings such as nodedir arrive as npm_config_* variables and would point node-gyp at
// Node's headers, quietly producing a module for the wrong ABI.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url|devdir|arch|build_from_source)$/i.test(name)),
);
const { code, log } = await new Promise((resolve) => {
  const chunks = [];
  const child = spawn(process.execPath, [nodeGyp, ...args], { cwd: target, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  child.stderr.on('data', (chunk) => chunks.push(chunk));
  child.on('error', (error) => resolve({ code: 1, log: error.message }));
  child.on('close', (exitCode) => resolve({ code: exitCode ?? 1, log: Buffer.concat(chunks).toString('utf8') }));
});

const headersMissing = !existsSync(join(devdir, electron, 'include', 'node', 'node.h'));
if (code !== 0 && headersMissing) {
  rmSync(target, { recursive: true, force: true });
  console.error(
    `The database module for Electron cannot be built here because Electron's headers could not be downloaded from ${DIST_URL} (the browser host and the tests do not need them).`,
  );
  process.exit(1);
}
if (code !== 0 || !existsSync(output)) {
  console.error(log);
  console.error(`node-gyp could not build the database module for Electron ${electron}; its output is above.`);
  process.exit(1);
}
// A module built against the wrong headers loads in nothing; better to find out now than at the clinic.
const abi = readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
if (!readFileSync(output).includes(`node_register_module_v${abi}`)) {
  rmSync(target, { recursive: true, force: true });
  console.error(`node-gyp built the database module for another runtime, not Electron ${electron} (module version ${abi}).`);
  process.exit(1);
}
writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
console.log(`Built ${relative(root, output)} for Electron ${electron} (${arch}).`);
