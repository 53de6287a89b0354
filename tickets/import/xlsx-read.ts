// Reads the first sheet of an XLSX upload into rows, in a worker thread with a time and memory
// budget (see xlsx-worker.mjs for why). A file that is not a workbook, too large, or too slow
// to parse is refused with a HeatError; nothing is imported from it.

import { Worker } from 'node:worker_threads';
import { HeatError } from '../../domain/errors';

export type Cell = string | number | boolean | null;

export interface SheetRows {
  readonly rows: Cell[][];
  /** Dates in the workbook count from 1904 (old Mac Excel). */
  readonly date1904: boolean;
  readonly sheet: string;
}

type WorkerReply = { ok: true; rows: Cell[][]; date1904: boolean; sheet: string } | { ok: false; error: string };

const WORKER = new URL('./xlsx-worker.mjs', import.meta.url);

export function readXlsx(bytes: Uint8Array, opts: { maxRows: number; timeoutMs?: number; maxMemoryMb?: number }): Promise<SheetRows> {
  // An XLSX file is a ZIP archive; SheetJS would read anything else as some text format.
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    return Promise.reject(new HeatError('BAD_REQUEST', 'body: not an XLSX workbook (a workbook is a ZIP archive)'));
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { bytes, maxRows: opts.maxRows },
      resourceLimits: { maxOldGenerationSizeMb: opts.maxMemoryMb ?? 512 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new HeatError('BAD_REQUEST', `body: the workbook could not be read within ${opts.timeoutMs ?? 30_000} ms`))), opts.timeoutMs ?? 30_000);
    worker.once('message', (m: WorkerReply) =>
      finish(() => {
        if (!m.ok) reject(new HeatError('BAD_REQUEST', `body: not a readable XLSX workbook (${m.error.slice(0, 200)})`));
        else if (m.rows.length > opts.maxRows + 1) reject(new HeatError('PAYLOAD_TOO_LARGE', `body: more than ${opts.maxRows} rows`));
        else resolve({ rows: m.rows, date1904: m.date1904, sheet: m.sheet });
      }),
    );
    worker.once('error', (e) => finish(() => reject(new HeatError('BAD_REQUEST', `body: the workbook could not be read (${e.message.slice(0, 200)})`))));
    worker.once('exit', (code) => finish(() => reject(new HeatError('BAD_REQUEST', `body: the workbook reader stopped (exit ${code})`))));
  });
}
