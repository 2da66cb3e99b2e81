import { z } from 'zod';
import { isoInstant } from '../time.js';
import { mutation, query } from './define.js';

export const auditOutcome = z.enum(['ok', 'denied', 'error']);

export const auditRow = z.strictObject({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  workstation: z.string(),
  procedure: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  outcome: auditOutcome,
  severity: z.enum(['normal', 'high']),
  details: z.record(z.string(), z.unknown()),
});
export type AuditRow = z.infer<typeof auditRow>;

export const auditFilter = z.strictObject({
  userId: z.string().max(64).optional(),
  /** The patient whose record was read or changed. */
  patientId: z.string().max(64).optional(),
  procedure: z.string().trim().max(80).optional(),
  outcome: auditOutcome.optional(),
  severity: z.enum(['normal', 'high']).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
});
export type AuditFilter = z.infer<typeof auditFilter>;

export const chainVerdict = z.strictObject({
  intact: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.strictObject({ seq: z.number().int(), id: z.string(), at: z.string(), problem: z.string() }).nullable(),
});

export const auditContract = {
  'audit.list': query({
    summary: 'The audit log, newest first, filtered and paged',
    access: ['audit.read'],
    reads: ['audit_log'],
    input: z.strictObject({
      filter: auditFilter,
      /** seq of the last row already shown; the next page continues below it. */
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.strictObject({ rows: z.array(auditRow), nextBefore: z.number().int().nullable() }),
  }),
  'audit.verify': query({
    summary: 'Check the audit log’s hash chain from the first row to the last',
    access: ['audit.read'],
    // Run when asked, not again after every audited change: it reads the whole log.
    reads: [],
    input: z.strictObject({}),
    output: chainVerdict,
  }),
  'audit.exportCsv': mutation({
    summary: 'The filtered audit log as a CSV file',
    access: ['audit.read'],
    input: z.strictObject({ filter: auditFilter }),
    output: z.strictObject({ fileName: z.string(), csv: z.string(), rows: z.number().int() }),
  }),
};
