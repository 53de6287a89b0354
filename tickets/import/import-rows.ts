// Rows of a hotline export (CSV or XLSX, already split into cells) → tickets: find the header
// row, map the columns, validate each row with the intake schema, take in the valid rows and
// report every other row with its number (as a spreadsheet shows it: the header is row 1 when it
// is the first line) and the reason. Importing the same file again changes nothing (the store
// is idempotent on the external id), and says so row by row in the counts.

import { HeatError } from '../../domain/errors';
import type { Clock } from '../../domain/clock';
import { excelSerialToMs } from '../received-time';
import { ticketIntakeSchema } from '../ticket-schema';
import type { TicketInput } from '../ticket-model';
import type { IntakeResult, TicketService } from '../ticket-service';
import { channelOfLabel, fieldOfHeader, REQUIRED_FIELDS, type ImportField } from './header-map';
import type { Cell } from './xlsx-read';

/** Rows reported in full; beyond this only counted. */
export const MAX_REPORTED_ROWS = 1000;
/** Rows understood and stored per step; the event loop gets a turn between steps. */
const STEP = 500;

export interface RowProblem {
  readonly row: number;
  readonly externalId?: string;
  readonly reason: string;
}

export interface ImportReport {
  /** Data rows read (blank rows not counted). */
  readonly rows: number;
  readonly created: number;
  readonly duplicates: number;
  readonly conflicts: number;
  readonly failed: number;
  /** Created tickets that wait in the human queue. */
  readonly queued: number;
  /** Failed rows, with reasons (at most MAX_REPORTED_ROWS). */
  readonly errors: readonly RowProblem[];
  /** Rows whose external id was imported before with other content (the first is kept). */
  readonly conflictRows: readonly RowProblem[];
  readonly warnings: readonly string[];
  /** Which file column fed which field. */
  readonly columns: Readonly<Partial<Record<ImportField, string>>>;
}

export async function importRows(rows: readonly Cell[][], service: TicketService, clock: Clock, opts: { date1904?: boolean } = {}): Promise<ImportReport> {
  const header = findHeader(rows);
  if (header === undefined) {
    throw new HeatError('BAD_REQUEST', `body: no header row with the columns ${REQUIRED_FIELDS.map(label).join(', ')} in the first rows`);
  }
  const warnings: string[] = [];
  const { index, columns } = header;
  const missing = REQUIRED_FIELDS.filter((f) => columns[f] === undefined);
  if (missing.length > 0) throw new HeatError('BAD_REQUEST', `body: missing column(s) ${missing.map(label).join(', ')}`);
  if (columns.address === undefined) warnings.push('no address column (地址): tickets will be resolved from their text only');
  if (columns.channel === undefined) warnings.push('no channel column (渠道): channel set to "other"');

  const schema = ticketIntakeSchema(clock);
  const errors: RowProblem[] = [];
  let failed = 0;
  const valid: { row: number; input: TicketInput }[] = [];
  let unknownChannels = 0;
  let dataRows = 0;
  for (let r = index + 1; r < rows.length; r++) {
    const cells = rows[r] ?? [];
    if (cells.every((c) => c === null || String(c).trim() === '')) continue;
    dataRows++;
    const rowNo = r + 1;
    const get = (f: ImportField): Cell => {
      const col = columns[f]?.col;
      return col === undefined ? null : (cells[col] ?? null);
    };
    const externalId = text(get('externalId'));
    if (cells.slice(header.width).some((c) => text(c) !== '')) {
      fail(rowNo, externalId, `has more fields than the header's ${header.width} (an unquoted comma?)`);
      continue;
    }
    const channelLabel = text(get('channel'));
    const channel = channelLabel === '' ? 'other' : channelOfLabel(channelLabel);
    if (channel === undefined) unknownChannels++;
    const body = {
      externalId,
      receivedAt: timeCell(get('receivedAt'), opts.date1904 ?? false),
      text: text(get('text')),
      address: text(get('address')),
      ...(columns.callerPhone !== undefined ? { callerPhone: phoneCell(get('callerPhone')) } : {}),
      channel: channel ?? 'other',
    };
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const reasons = parsed.error.issues.slice(0, 3).map((i) => `${label(String(i.path[0]) as ImportField)}: ${i.message}`);
      fail(rowNo, externalId, reasons.join('; '));
      continue;
    }
    valid.push({ row: rowNo, input: parsed.data });
  }
  if (unknownChannels > 0) warnings.push(`${unknownChannels} row(s) with a channel label not known: channel set to "other"`);

  const conflictRows: RowProblem[] = [];
  let created = 0;
  let duplicates = 0;
  let queued = 0;
  for (let i = 0; i < valid.length; i += STEP) {
    const step = valid.slice(i, i + STEP);
    const results: IntakeResult[] = await service.intake(step.map((v) => v.input), 'import');
    results.forEach((res, k) => {
      if (res.outcome === 'created') {
        created++;
        if (res.understood.resolution.review === 'needs-review') queued++;
      } else if (res.outcome === 'duplicate') duplicates++;
      else if (conflictRows.length < MAX_REPORTED_ROWS) conflictRows.push({ row: step[k]?.row ?? 0, externalId: res.externalId, reason: 'imported before with other content; the first is kept' });
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const conflicts = valid.length - created - duplicates;
  return {
    rows: dataRows,
    created,
    duplicates,
    conflicts,
    failed,
    queued,
    errors,
    conflictRows,
    warnings,
    columns: Object.fromEntries(Object.entries(columns).map(([f, c]) => [f, c.header])),
  };

  function fail(row: number, externalId: string, reason: string): void {
    failed++;
    if (errors.length < MAX_REPORTED_ROWS) errors.push({ row, ...(externalId ? { externalId: externalId.slice(0, 64) } : {}), reason });
  }
}

interface Header {
  readonly index: number;
  readonly width: number;
  readonly columns: Partial<Record<ImportField, { col: number; header: string }>>;
}

/** The header row: the first of the first five rows naming at least three known columns. */
function findHeader(rows: readonly Cell[][]): Header | undefined {
  for (let r = 0; r < Math.min(5, rows.length); r++) {
    const cells = rows[r] ?? [];
    const columns: Header['columns'] = {};
    cells.forEach((c, col) => {
      const h = text(c);
      const f = h === '' ? undefined : fieldOfHeader(h);
      if (f !== undefined && columns[f] === undefined) columns[f] = { col, header: h };
    });
    if (Object.keys(columns).length >= 3) {
      let width = cells.length;
      while (width > 0 && text(cells[width - 1] ?? null) === '') width--;
      return { index: r, width: Math.max(width, ...Object.values(columns).map((c) => c.col + 1)), columns };
    }
  }
  return undefined;
}

const LABELS: Readonly<Record<ImportField, string>> = {
  externalId: '工单编号 externalId',
  receivedAt: '来电时间 receivedAt',
  text: '诉求内容 text',
  address: '地址 address',
  callerPhone: '联系电话 callerPhone',
  channel: '渠道 channel',
};

function label(f: ImportField): string {
  return LABELS[f] ?? f;
}

function text(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return String(c);
  return String(c).trim();
}

/** XLSX dates arrive as serial day numbers; epoch ms as large numbers; text as written. */
function timeCell(c: Cell, date1904: boolean): string | number {
  if (typeof c === 'number') {
    if (c > 0 && c < 100_000) return excelSerialToMs(c, date1904) ?? -1;
    return c;
  }
  return text(c);
}

/** Spreadsheets store phone numbers as numbers: 13812345678 → "13812345678". */
function phoneCell(c: Cell): string | undefined {
  if (c === null) return undefined;
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : 'not a number';
  return String(c);
}
