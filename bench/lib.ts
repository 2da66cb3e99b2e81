import type Database from 'better-sqlite3-multiple-ciphers';
import type { Kysely } from 'kysely';
import type { Core } from '../src-main/core/app.js';
import type { DB } from '../src-main/core/db/schema.js';
import type { CallerContext } from '../src-main/core/router.js';
import type { RoleName } from '../src-shared/permissions.js';

/**
 * What every bench area gets: the real core on a real encrypted store in a temp folder, the raw
 * better-sqlite3 handle for hand-written baselines, signed-in callers and a seeded random source.
 */
export interface BenchContext {
  core: Core;
  /** The Kysely handle the core itself uses (for generating data through the real insert paths). */
  db: Kysely<DB>;
  /** The raw connection, for the baseline statements. */
  sqlite: Database.Database;
  options: BenchOptions;
  random: Random;
  /** A caller signed in as the demo user of that role (one session per role, made on first use). */
  callerFor(role: RoleName): Promise<CallerContext>;
  log(message: string): void;
}

export interface BenchOptions {
  /** Measured iterations per operation (at least 300 for a meaningful p95). */
  iterations: number;
  /** Unmeasured iterations first, to warm caches and the JIT. */
  warmup: number;
  /** --name value pairs the areas read for their own sizes, e.g. --patients 200000. */
  args: ReadonlyMap<string, string>;
}

/** One measured operation: the whole core path, and beside it the same work as raw SQL. */
export interface BenchOperation {
  name: string;
  /** One line for the table: what is searched or done. */
  description: string;
  /** The i-th call through the core; inputs should vary with i. */
  core(i: number): Promise<unknown>;
  /** The same query as hand-written prepared statements on the raw handle. */
  baseline?(i: number): unknown;
  /** Throws if the core's answer for input i is wrong, so a broken path is never timed as fast. */
  check?(i: number, result: unknown): void;
  /** A target to report against (never asserted): p95 at the core, in milliseconds. */
  targetP95Ms?: number;
}

/** A part of the application with data to generate and operations to time; one file per area under bench/. */
export interface BenchArea {
  name: string;
  /** Writes this area's generated data into the store; areas run in order, so later ones can use earlier data. */
  generate(ctx: BenchContext): Promise<void>;
  operations(ctx: BenchContext): Promise<BenchOperation[]>;
}

export interface Measurement {
  p50_ms: number;
  p95_ms: number;
  baseline_p50_ms: number | null;
  baseline_p95_ms: number | null;
  /** Core p50 over baseline p50. */
  ratio: number | null;
  iterations: number;
  target_p95_ms: number | null;
}

/** A small fast seeded generator (mulberry32), so every run generates the same clinic. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  digits(count: number): string {
    let out = '';
    for (let index = 0; index < count; index += 1) out += String(Math.floor(this.next() * 10));
    return out;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  // Nearest rank.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

async function timed(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Times the core and the baseline on the same inputs in turn, each going first on every other
 * input: whichever runs second finds the pages the first one read already in the cache, so
 * taking turns gives both the same share of cold reads.
 */
async function timeLoops(
  iterations: number,
  warmup: number,
  core: (i: number) => unknown,
  baseline: ((i: number) => unknown) | null,
): Promise<{ core: number[]; baseline: number[] | null }> {
  for (let i = 0; i < warmup; i += 1) {
    await core(iterations + i);
    await baseline?.(iterations + i);
  }
  const coreTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    if (baseline && i % 2 === 1) baselineTimes.push(await timed(() => baseline(i)));
    coreTimes.push(await timed(() => core(i)));
    if (baseline && i % 2 === 0) baselineTimes.push(await timed(() => baseline(i)));
  }
  const ascending = (a: number, b: number) => a - b;
  return { core: coreTimes.sort(ascending), baseline: baseline ? baselineTimes.sort(ascending) : null };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export async function measure(operation: BenchOperation, options: BenchOptions): Promise<Measurement> {
  if (operation.check) {
    for (let i = 0; i < Math.min(options.iterations, 20); i += 1) operation.check(i, await operation.core(i));
  }
  const baselineRun = operation.baseline;
  const { core, baseline } = await timeLoops(
    options.iterations,
    options.warmup,
    (i) => operation.core(i),
    baselineRun ? (i) => baselineRun.call(operation, i) : null,
  );
  const p50 = percentile(core, 50);
  const baselineP50 = baseline ? percentile(baseline, 50) : null;
  return {
    p50_ms: round(p50),
    p95_ms: round(percentile(core, 95)),
    baseline_p50_ms: baselineP50 === null ? null : round(baselineP50),
    baseline_p95_ms: baseline ? round(percentile(baseline, 95)) : null,
    ratio: baselineP50 ? Math.round((p50 / baselineP50) * 10) / 10 : null,
    iterations: options.iterations,
    target_p95_ms: operation.targetP95Ms ?? null,
  };
}

export function formatTable(rows: Array<{ name: string; description: string; measurement: Measurement }>): string {
  const header = ['operation', 'what', 'core p50', 'core p95', 'SQL p50', 'SQL p95', 'core/SQL', 'target p95'];
  const ms = (value: number | null) => (value === null ? '–' : value.toFixed(2));
  const body = rows.map(({ name, description, measurement: m }) => [
    name,
    description,
    ms(m.p50_ms),
    ms(m.p95_ms),
    ms(m.baseline_p50_ms),
    ms(m.baseline_p95_ms),
    m.ratio === null ? '–' : `${m.ratio.toFixed(1)}×`,
    m.target_p95_ms === null ? '' : `≤ ${m.target_p95_ms} ${m.p95_ms <= m.target_p95_ms ? 'met' : 'MISSED'}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => (row[column] ?? '').length)));
  const numeric = new Set([2, 3, 4, 5, 6]);
  const line = (cells: string[]) =>
    cells.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '─'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}
