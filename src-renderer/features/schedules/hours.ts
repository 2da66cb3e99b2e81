import { minutesOfDay, type WorkingBlock, workingBlock } from '../../../src-shared/schemas/appointments.js';

/** One start–end block as the editor holds it: times as typed, and a key for React. */
export interface DraftBlock {
  key: string;
  start: string;
  end: string;
}

/** Index 0 = Monday … 6 = Sunday. */
export type WeekDraft = DraftBlock[][];

let nextKey = 0;
export function newKey(): string {
  nextKey += 1;
  return `block-${nextKey}`;
}

/** A time input shows midnight at the end of the day as 00:00; a block ending then ends at 24:00. */
export function displayEnd(end: string): string {
  return end === '24:00' ? '00:00' : end;
}

export function toDraft(hours: readonly WorkingBlock[]): WeekDraft {
  const week: WeekDraft = [[], [], [], [], [], [], []];
  const sorted = [...hours].sort((a, b) => a.weekday - b.weekday || minutesOfDay(a.start) - minutesOfDay(b.start));
  for (const block of sorted) week[block.weekday - 1]?.push({ key: newKey(), start: block.start, end: displayEnd(block.end) });
  return week;
}

/** What is sent: every block in weekday order, with where each came from (to put the server's field errors back on it). */
export function fromDraft(week: WeekDraft): { hours: WorkingBlock[]; keys: string[] } {
  const hours: WorkingBlock[] = [];
  const keys: string[] = [];
  week.forEach((blocks, index) => {
    for (const block of blocks) {
      hours.push({ weekday: index + 1, start: block.start, end: block.end === '00:00' ? '24:00' : block.end });
      keys.push(block.key);
    }
  });
  return { hours, keys };
}

/** Same hours, ignoring keys and order within a day. */
export function sameHours(a: WeekDraft, b: WeekDraft): boolean {
  const text = (week: WeekDraft) =>
    JSON.stringify(
      fromDraft(week)
        .hours.map((block) => `${block.weekday} ${block.start}-${block.end}`)
        .sort(),
    );
  return text(a) === text(b);
}

/** Monday's blocks copied to Tuesday … Friday (the weekend stays as it is). */
export function copyMondayToWeekdays(week: WeekDraft): WeekDraft {
  const monday = week[0] ?? [];
  return week.map((blocks, index) => (index >= 1 && index <= 4 ? monday.map((block) => ({ ...block, key: newKey() })) : blocks));
}

/** A sensible next block for a day: after its last block, or a morning if it has none. */
export function suggestBlock(blocks: readonly DraftBlock[]): DraftBlock {
  const last = blocks.at(-1);
  if (!last) return { key: newKey(), start: '09:00', end: '13:00' };
  const lastEnd = last.end === '00:00' ? 1440 : minutesOfDay(last.end);
  const start = Math.min(lastEnd + 60, 23 * 60);
  const end = Math.min(start + 180, 1440);
  const text = (minutes: number) =>
    minutes >= 1440 ? '00:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return { key: newKey(), start: text(start), end: text(end) };
}

/**
 * Checks in the editor what the server would refuse anyway, so the message sits beside the block:
 * times on the 5-minute grid, end after start, no overlap with another block of the same day.
 */
export function checkWeek(week: WeekDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  week.forEach((blocks, index) => {
    const parsed: { key: string; from: number; to: number }[] = [];
    for (const block of blocks) {
      if (!block.start || !block.end) {
        errors[block.key] = 'Enter a start and an end time';
        continue;
      }
      const result = workingBlock.safeParse({ weekday: index + 1, start: block.start, end: block.end === '00:00' ? '24:00' : block.end });
      if (!result.success) {
        errors[block.key] = result.error.issues[0]?.message ?? 'Check this block';
        continue;
      }
      parsed.push({ key: block.key, from: minutesOfDay(result.data.start), to: minutesOfDay(result.data.end) });
    }
    parsed.sort((a, b) => a.from - b.from);
    for (let i = 1; i < parsed.length; i += 1) {
      const previous = parsed[i - 1];
      const current = parsed[i];
      if (previous && current && current.from < previous.to && !errors[current.key]) errors[current.key] = 'This block overlaps another one on the same day';
    }
  });
  return errors;
}
