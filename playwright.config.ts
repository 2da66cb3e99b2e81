import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * Each journey group gets its own browser host on a fresh data folder: one empty (first-run
 * setup), the others with the demo clinic. Folders are fixed per port so that a journey can
 * reach its host's database (e.g. to tamper with the audit log) and are emptied at every start.
 */
export const E2E_HOSTS = {
  setup: { port: 5491, args: '', env: { ASCLEPIA_PASSPHRASE: 'journey-passphrase-123' } },
  demo: { port: 5492, args: '--demo', env: {} },
  identity: { port: 5493, args: '--demo', env: {} },
  registry: { port: 5494, args: '--demo', env: {} },
  records: { port: 5495, args: '--demo', env: {} },
  // Monday 2 March 2026, 08:30 in Nairobi: a working morning for the demo doctors, whenever the suite runs.
  appointments: { port: 5496, args: '--demo', env: { ASCLEPIA_CLOCK_START: '2026-03-02T05:30:00.000Z' } },
} as const;

export function e2eDataDir(port: number): string {
  return join(tmpdir(), 'asclepia-e2e', String(port));
}

function hostCommand(port: number, args: string): string {
  const dataDir = e2eDataDir(port);
  return `rm -rf ${dataDir} && node_modules/.bin/tsx src-main/host/main.ts --data-dir ${dataDir} --port ${port} ${args}`;
}

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: Object.entries(E2E_HOSTS).map(([name, host]) => ({
    name,
    testMatch: `${name}/**/*.spec.ts`,
    use: { baseURL: `http://127.0.0.1:${host.port}` },
  })),
  webServer: Object.values(E2E_HOSTS).map((host) => ({
    command: hostCommand(host.port, host.args),
    url: `http://127.0.0.1:${host.port}/`,
    env: { ...host.env },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  })),
});
