import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultDataDir } from '../core/paths.js';
import { DEMO_PASSPHRASE } from './demo-data.js';

/** Command-line tools end with one sentence for a person and a non-zero code. */
export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

export function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    return fail(`Cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
  }
}

export function resolveDataDir(given: string | undefined, demo: boolean): string {
  return resolve(given ?? process.env.ASCLEPIA_DATA_DIR ?? defaultDataDir(demo ? 'Asclepia-demo' : 'Asclepia'));
}

/** --passphrase-file, else ASCLEPIA_PASSPHRASE, else the demo passphrase in demo mode. */
export function resolvePassphrase(file: string | undefined, demo: boolean, tool: string): string {
  const passphrase = file ? readSecretFile(file, 'passphrase') : (process.env.ASCLEPIA_PASSPHRASE ?? (demo ? DEMO_PASSPHRASE : undefined));
  if (!passphrase)
    fail(`${tool} needs the database passphrase: set ASCLEPIA_PASSPHRASE or pass --passphrase-file FILE (or use --demo for the demo clinic).`, 2);
  return passphrase;
}
