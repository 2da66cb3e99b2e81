import { defineConfig } from 'vitest/config';

/**
 * Unit and integration tests: the real core on a real encrypted database in a temp folder.
 * The Playwright journeys under tests/e2e run separately (`npm run test:e2e`).
 */
export default defineConfig({
  test: {
    include: ['src-*/**/*.test.ts'],
    exclude: ['tests/e2e/**', '**/node_modules/**', 'dist/**'],
    environment: 'node',
    // better-sqlite3 and @node-rs/argon2 are native modules: a process per file is the safe choice.
    pool: 'forks',
    // Argon2id at m=19 MiB costs tens of milliseconds per hash, and the crash test spawns children.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
