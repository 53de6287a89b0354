// Rows → an XLSX workbook (one sheet), for exports and for tests that round-trip an import.
// Our own data only, so it runs in-process (reading untrusted uploads is done in a worker).

import { createRequire } from 'node:module';
import type * as XLSXTypes from 'xlsx';

const XLSX = createRequire(import.meta.url)('xlsx') as typeof XLSXTypes;

export function rowsToXlsx(rows: ReadonlyArray<ReadonlyArray<string | number | Date | null>>, sheetName = '工单'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows.map((r) => [...r])), sheetName);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
