import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { newId } from '../ids.js';

export interface AuditEntry {
  at: string;
  userId: string | null;
  workstation: string;
  procedure: string;
  entity?: string | null;
  entityId?: string | null;
  outcome: 'ok' | 'denied' | 'error';
  /** Ids, codes and counts only: never names or clinical text. */
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: entry.at,
      user_id: entry.userId,
      workstation: entry.workstation,
      procedure: entry.procedure,
      entity: entry.entity ?? null,
      entity_id: entry.entityId ?? null,
      outcome: entry.outcome,
      details: JSON.stringify(entry.details ?? {}),
      created_at: entry.at,
      updated_at: entry.at,
      created_by: entry.userId,
      version: 1,
    })
    .execute();
}
