import Papa from 'papaparse';

/** Cells a spreadsheet would run as a formula are quoted with a leading apostrophe by papaparse. */
export const FORMULA_TRIGGER = /^[=+\-@\t\r\0]/;
const BOM = '\uFEFF';

/**
 * Every CSV that leaves Asclepia: a header row, formula-looking cells neutralised, CRLF line ends,
 * and a UTF-8 byte-order mark so spreadsheets read accented names correctly.
 */
export function toCsv<Row extends Record<string, unknown>>(columns: ReadonlyArray<{ key: keyof Row & string; header: string }>, rows: readonly Row[]): string {
  const data = rows.map((row) => columns.map((column) => formatCell(row[column.key])));
  return BOM + Papa.unparse({ fields: columns.map((column) => column.header), data }, { escapeFormulae: FORMULA_TRIGGER, newline: '\r\n' });
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** e.g. audit-log-2026-11-23.csv, from the clinic-local date the export was made. */
export function exportFileName(what: string, localDate: string): string {
  return `${what}-${localDate}.csv`;
}
