// CSV and XLSX of the season report. CSV: the compounds table (the one people sort), UTF-8 with a
// BOM so that Excel on Chinese Windows opens it as UTF-8. XLSX: one sheet per table plus a summary.

import * as XLSX from 'xlsx';
import type { SeasonReport } from './season-model';
import { seasonTables, type Cell } from './season-table';

function csvCell(v: Cell): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** `table`: which table (default compounds). */
export function seasonCsv(r: SeasonReport, table: 'candidates' | 'compounds' | 'stations' | 'networks' = 'compounds'): string {
  const t = seasonTables(r).find((x) => x.name === table);
  return '\uFEFF' + toCsv(t?.rows ?? []);
}

export function seasonXlsx(r: SeasonReport): Buffer {
  const wb = XLSX.utils.book_new();
  const iso = (t: number): string => new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  const summary: Cell[][] = [
    ['供暖季分析 Season report', ''],
    ['开始 from (Asia/Shanghai)', iso(r.from)],
    ['结束 to (Asia/Shanghai)', iso(r.to)],
    ['小时数 hours', r.hours],
    ['采暖度日数 heating degree-days (18 °C)', r.heatingDegreeDays],
    ['平均室外温度 mean outdoor (°C)', r.meanOutdoorC ?? ''],
    ...r.notes.map((n): Cell[] => ['说明 note', n]),
  ];
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(summary), 'summary');
  for (const t of seasonTables(r)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(t.rows), t.name);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
