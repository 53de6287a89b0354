// POST /api/tickets/import — a hotline export as the raw request body:
//   Content-Type: text/csv (UTF-8 or GB18030), or
//   application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (XLSX, first sheet).
// Good rows are taken in, every failing row is reported with its row number and reason, and
// importing the same file again changes nothing (the counts say "duplicates"). Bounded: body size
// and row count; an XLSX file is parsed in a worker with a time budget (tickets/import/xlsx-read.ts).

import express, { Router } from 'express';
import type { Clock } from '../../domain/clock';
import { HeatError } from '../../domain/errors';
import { parseCsv } from '../../tickets/import/csv-parse';
import { decodeText } from '../../tickets/import/decode-text';
import { importRows } from '../../tickets/import/import-rows';
import { readXlsx } from '../../tickets/import/xlsx-read';
import type { TicketService } from '../../tickets/ticket-service';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV_TYPES = ['text/csv', 'application/csv', 'text/comma-separated-values'];

export interface TicketImportOptions {
  /** Largest upload, bytes (default 10 MiB). */
  readonly maxBytes?: number;
  /** Most data rows per file (default 20,000: a busy heating month of one city). */
  readonly maxRows?: number;
  /** Time budget to parse an XLSX file, ms (default 30 s). */
  readonly xlsxTimeoutMs?: number;
}

export function ticketsImportRoute(service: TicketService, clock: Clock, opts: TicketImportOptions = {}): Router {
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const maxRows = opts.maxRows ?? 20_000;
  const r = Router();
  r.post('/api/tickets/import', express.raw({ type: [...CSV_TYPES, XLSX_TYPE], limit: maxBytes }), async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!Buffer.isBuffer(req.body) || !(CSV_TYPES.includes(type) || type === XLSX_TYPE)) {
      throw new HeatError('UNSUPPORTED_MEDIA_TYPE', `headers.content-type: send text/csv or ${XLSX_TYPE}, not "${type.slice(0, 80) || 'none'}"`);
    }
    const bytes = req.body;
    if (bytes.length === 0) throw new HeatError('BAD_REQUEST', 'body: the file is empty');
    if (type === XLSX_TYPE) {
      const sheet = await readXlsx(bytes, { maxRows, ...(opts.xlsxTimeoutMs !== undefined ? { timeoutMs: opts.xlsxTimeoutMs } : {}) });
      const report = await importRows(sheet.rows, service, clock, { date1904: sheet.date1904 });
      res.json({ format: 'xlsx', sheet: sheet.sheet, ...report });
      return;
    }
    const { text, encoding } = decodeText(bytes);
    const rows = parseCsv(text.startsWith('\uFEFF') ? text.slice(1) : text, maxRows + 1);
    const report = await importRows(rows, service, clock);
    res.json({ format: 'csv', encoding, ...report });
  });
  return r;
}
