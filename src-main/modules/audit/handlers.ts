import { verifyChain } from '../../core/audit/chain.js';
import { exportFileName, toCsv } from '../../core/csv.js';
import type { Handlers } from '../../core/procedure.js';
import { clinicToday } from '../settings/queries.js';
import { readAuditRows, streamChain } from './queries.js';

const PAGE = 100;
/** An export is a file for a spreadsheet; beyond this the user narrows the dates. */
const EXPORT_LIMIT = 200_000;

export const auditHandlers: Handlers<'audit.list' | 'audit.verify' | 'audit.exportCsv'> = {
  'audit.list': async ({ filter, before, limit }, ctx) => {
    const pageSize = limit ?? PAGE;
    const rows = await readAuditRows(ctx.db, filter, { before, limit: pageSize + 1 });
    const page = rows.slice(0, pageSize);
    return { rows: page, nextBefore: rows.length > pageSize ? (page.at(-1)?.seq ?? null) : null };
  },

  'audit.verify': async (_input, ctx) => {
    const verdict = await verifyChain(streamChain(ctx.db));
    return { intact: verdict.intact, checked: verdict.checked, firstBroken: verdict.intact ? null : verdict.firstBroken };
  },

  'audit.exportCsv': async ({ filter }, ctx) => {
    const rows = await readAuditRows(ctx.db, filter, { limit: EXPORT_LIMIT });
    const localDate = await clinicToday(ctx.db, ctx.now);
    ctx.audit.entity = 'audit_log';
    ctx.audit.details = { rows: rows.length, filter };
    const csv = toCsv(
      [
        { key: 'seq', header: 'Seq' },
        { key: 'at', header: 'Time (UTC)' },
        { key: 'username', header: 'User' },
        { key: 'workstation', header: 'Workstation' },
        { key: 'procedure', header: 'Action' },
        { key: 'entity', header: 'Entity' },
        { key: 'entityId', header: 'Entity id' },
        { key: 'outcome', header: 'Outcome' },
        { key: 'severity', header: 'Severity' },
        { key: 'details', header: 'Details' },
      ],
      rows,
    );
    return { fileName: exportFileName('audit-log', localDate), csv, rows: rows.length };
  },
};
