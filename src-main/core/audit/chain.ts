import { sha256Hex } from '../crypto.js';

/** The fields a row's hash covers, in a fixed order, so a change to any of them breaks the chain. */
export interface ChainedFields {
  seq: number;
  id: string;
  at: string;
  user_id: string | null;
  workstation: string;
  procedure: string;
  entity: string | null;
  entity_id: string | null;
  outcome: string;
  severity: string;
  details: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function auditRowHash(prevHash: string, row: ChainedFields): string {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.at,
    row.user_id,
    row.workstation,
    row.procedure,
    row.entity,
    row.entity_id,
    row.outcome,
    row.severity,
    row.details,
  ]);
  return sha256Hex(`${prevHash}\n${canonical}`);
}

export type ChainVerdict =
  | { intact: true; checked: number }
  | { intact: false; checked: number; firstBroken: { seq: number; id: string; at: string; problem: string } };

/** Walks rows in seq order: each must follow the previous without a gap and carry the hash of its own content. */
export async function verifyChain(rows: AsyncIterable<ChainedFields & { prev_hash: string; hash: string }>): Promise<ChainVerdict> {
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for await (const row of rows) {
    const broken = (problem: string): ChainVerdict => ({ intact: false, checked, firstBroken: { seq: row.seq, id: row.id, at: row.at, problem } });
    if (row.seq !== expectedSeq) return broken(`row ${expectedSeq} is missing`);
    if (row.prev_hash !== previous) return broken('it does not follow the row before it');
    if (auditRowHash(previous, row) !== row.hash) return broken('its content was changed after it was written');
    previous = row.hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { intact: true, checked };
}
