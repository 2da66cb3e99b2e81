import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const MAIN = join(process.cwd(), 'src-main', 'host', 'main.ts');

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'asclepia-cli-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Asclepia</title>');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function startHost(args: string[], env: Record<string, string> = {}): ChildProcess {
  const { ASCLEPIA_PASSPHRASE: _ignored, ...inherited } = process.env;
  return spawn(TSX, [MAIN, ...args], { env: { ...inherited, ASCLEPIA_RENDERER_DIR: rendererDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(child: ChildProcess): { output: () => string; exit: Promise<number | null>; waitFor: (text: string) => Promise<void> } {
  let output = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => output.includes(text) && resolve();
      listeners.push(check);
      check();
      void exit.then(() => (output.includes(text) ? resolve() : reject(new Error(`exited before printing "${text}": ${output}`))));
    });
  return { output: () => output, exit, waitFor };
}

function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex'),
    ]),
  );
}

describe('npm run serve', () => {
  const dataDir = () => join(root, 'clinic');

  it('creates the demo clinic, prints the address when ready and stops cleanly on SIGTERM', async () => {
    const child = startHost(['--demo', '--data-dir', dataDir(), '--port', '0']);
    const run = collect(child);
    await run.waitFor('Asclepia is ready at http://127.0.0.1:');
    const url = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1] as string;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain('Stopped (SIGTERM)');
  });

  it('exits non-zero on a wrong passphrase and leaves every file exactly as it was', async () => {
    const before = fingerprint(dataDir());
    const run = collect(startHost(['--data-dir', dataDir(), '--port', '0'], { ASCLEPIA_PASSPHRASE: 'not the demo passphrase' }));
    expect(await run.exit).not.toBe(0);
    expect(run.output()).toContain('The passphrase is not correct for this database.');
    expect(fingerprint(dataDir())).toEqual(before);
  });

  it('says plainly that it needs a passphrase when none is given', async () => {
    const run = collect(startHost(['--data-dir', join(root, 'empty'), '--port', '0']));
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('needs the database passphrase');
  });

  it('refuses unknown options with the usage text', async () => {
    const run = collect(startHost(['--frobnicate']));
    expect(await run.exit).toBe(2);
    expect(run.output()).toContain('Usage: npm run serve');
  });
});
