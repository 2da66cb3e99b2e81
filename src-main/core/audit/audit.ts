import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { newId } from '../ids.js';
import { auditRowHash, GENESIS_HASH } from './chain.js';

export interface AuditEntry {
  at: string;
  userId: string | null;
  workstation: string;
  procedure: string;
  entity?: string | null;
  entityId?: string | null;
  outcome: 'ok' | 'denied' | 'error';
  /** 'high' for emergency access and other events an administrator must review. */
  severity?: 'normal' | 'high';
  /** Ids, codes and counts only: never names or clinical text. */
  details?: Record<string, unknown>;
}

/**
 * Appends one row to the hash chain. Writes are serial (one connection), so the row read as the
 * chain's head is still the head when this row is inserted.
 */
export async function writeAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const fields = {
    seq: (head?.seq ?? 0) + 1,
    id: newId(),
    at: entry.at,
    user_id: entry.userId,
    workstation: entry.workstation,
    procedure: entry.procedure,
    entity: entry.entity ?? null,
    entity_id: entry.entityId ?? null,
    outcome: entry.outcome,
    severity: entry.severity ?? 'normal',
    details: JSON.stringify(entry.details ?? {}),
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  await db
    .insertInto('audit_log')
    .values({
      ...fields,
      prev_hash: prevHash,
      hash: auditRowHash(prevHash, fields),
      created_at: entry.at,
      updated_at: entry.at,
      created_by: entry.userId,
      version: 1,
    })
    .execute();
}
