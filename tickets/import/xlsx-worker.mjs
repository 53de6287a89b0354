// Parses an uploaded XLSX file into plain rows, in a worker thread. Why a worker: the SheetJS
// build on the npm registry (0.18.5) has known flaws on crafted files (prototype pollution,
// CVE-2023-30533; a slow regular expression, CVE-2024-22363). In a worker, a polluted prototype
// belongs to the worker's own JavaScript realm and dies with it, and a parse that hangs is
// terminated by the caller's timeout (tickets/import/xlsx-read.ts). Only arrays of strings,
// numbers, booleans and nulls cross back. Plain JavaScript, so it runs without a TypeScript loader.

import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const XLSX = createRequire(import.meta.url)('xlsx');

function cell(v) {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
}

try {
  const { bytes, maxRows } = workerData;
  const wb = XLSX.read(bytes, { type: 'buffer', cellFormula: false, cellHTML: false, cellText: false, cellDates: false, sheetRows: maxRows + 2 });
  const name = wb.SheetNames[0];
  if (name === undefined) throw new Error('the workbook has no sheet');
  const rows = XLSX.utils.sheet_to_json(wb.Sheets[name], { header: 1, raw: true, defval: null, blankrows: true });
  const date1904 = Boolean(wb.Workbook && wb.Workbook.WBProps && wb.Workbook.WBProps.date1904);
  parentPort?.postMessage({ ok: true, rows: rows.map((r) => (Array.isArray(r) ? r.map(cell) : [])), date1904, sheet: String(name) });
} catch (e) {
  parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
}
