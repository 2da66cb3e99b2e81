import type { Kysely } from 'kysely';
import type { AuditFilter, AuditRow } from '../../../src-shared/contract/audit.js';
import type { DB } from '../../core/db/schema.js';

/** Newest first; `before` continues a page below the last seq already shown. */
export async function readAuditRows(db: Kysely<DB>, filter: AuditFilter, options: { before?: number; limit?: number }): Promise<AuditRow[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select([
      'audit_log.seq',
      'audit_log.id',
      'audit_log.at',
      'audit_log.user_id',
      'users.username',
      'audit_log.workstation',
      'audit_log.procedure',
      'audit_log.entity',
      'audit_log.entity_id',
      'audit_log.outcome',
      'audit_log.severity',
      'audit_log.details',
    ])
    .orderBy('audit_log.seq', 'desc');
  if (filter.userId) query = query.where('audit_log.user_id', '=', filter.userId);
  if (filter.patientId) query = query.where('audit_log.entity', '=', 'patient').where('audit_log.entity_id', '=', filter.patientId);
  if (filter.procedure) query = query.where('audit_log.procedure', '=', filter.procedure);
  if (filter.outcome) query = query.where('audit_log.outcome', '=', filter.outcome);
  if (filter.severity) query = query.where('audit_log.severity', '=', filter.severity);
  if (filter.from) query = query.where('audit_log.at', '>=', filter.from);
  if (filter.to) query = query.where('audit_log.at', '<', filter.to);
  if (options.before) query = query.where('audit_log.seq', '<', options.before);
  if (options.limit) query = query.limit(options.limit);
  const rows = await query.execute();
  return rows.map((row) => ({
    seq: row.seq,
    id: row.id,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    workstation: row.workstation,
    procedure: row.procedure,
    entity: row.entity,
    entityId: row.entity_id,
    outcome: row.outcome,
    severity: row.severity,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}

/** The whole chain in order, streamed so a long log is never held in memory at once. */
export function streamChain(db: Kysely<DB>) {
  return db
    .selectFrom('audit_log')
    .select(['seq', 'id', 'at', 'user_id', 'workstation', 'procedure', 'entity', 'entity_id', 'outcome', 'severity', 'details', 'prev_hash', 'hash'])
    .orderBy('seq')
    .stream(500);
}
