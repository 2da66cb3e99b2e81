// Bundles the Electron main process and the preload into CommonJS under dist/main.
// A sandboxed preload cannot be an ES module, and CommonJS lets main load native modules with require.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'main');

// Native modules load from node_modules (or resources/) at run time; electron is provided by the runtime.
const external = ['electron', 'better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'bindings'];

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // In a CommonJS bundle import.meta is empty, so code that locates files through it would silently look in the wrong place.
  logOverride: { 'empty-import-meta': 'error' },
};

try {
  await Promise.all([
    build({
      ...common,
      entryPoints: { main: 'src-main/electron/main.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      target: 'node20',
      external,
    }),
    build({
      ...common,
      entryPoints: { preload: 'src-main/electron/preload.ts' },
      outdir,
      outExtension: { '.js': '.cjs' },
      // The sandboxed preload runs in the renderer with only a few Electron modules: platform
      // browser makes any Node built-in that sneaks in a build error rather than a blank window.
      platform: 'browser',
      target: 'chrome130',
      external: ['electron'],
    }),
  ]);
} catch {
  // esbuild has already printed each error with its file and line.
  console.error('The desktop main process did not build; see the errors above.');
  process.exit(1);
}

for (const name of ['main.cjs', 'preload.cjs']) {
  if (readFileSync(join(outdir, name), 'utf8').includes('import.meta')) {
    console.error(`dist/main/${name} still mentions import.meta, which CommonJS cannot run.`);
    process.exit(1);
  }
}
console.log('Built dist/main/main.cjs and dist/main/preload.cjs.');
