// One DuckDB file of records (alerts, tickets, visits): `<dataDir>/<file>` or `:memory:`, one
// connection, every statement in order through a small queue, so each read-modify-write of a
// record store is atomic without locking of its own. Record traffic is light (people, imports,
// alert transitions); the telemetry store has its own write path (duckdb-store.ts).
//
// Lifecycle: open(ddl) once → serial(fn) any number of times, by anyone, in any order → close()
// once (waits for queued statements, then checkpoints the WAL into the file). serial after close
// rejects with STORE_UNAVAILABLE.
//
// Errors: DuckDB's messages may quote values people typed (ticket text, phone numbers, comments),
// so they stay in `cause`, never in the HeatError's detail.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import { HeatError, isHeatError, type ErrorCode } from '../domain/errors';
import type { FieldValue } from '../domain/telemetry';
import { MEMORY_USAGE } from './duckdb-sql';

export class DuckDBRecordFile {
  readonly path: string;
  private instance: DuckDBInstance | undefined;
  private conn: DuckDBConnection | undefined;
  private closed = false;
  private tail: Promise<unknown> = Promise.resolve();

  /** `dataDir` is created when missing; `:memory:` keeps everything in memory (tests). */
  constructor(dataDir: string, fileName: string) {
    this.path = dataDir === ':memory:' ? ':memory:' : join(dataDir, fileName);
    if (dataDir !== ':memory:') mkdirSync(dataDir, { recursive: true });
  }

  /** Opens the file and runs the schema statements (idempotent: CREATE … IF NOT EXISTS, ALTER … IF NOT EXISTS). */
  async open(ddl: readonly string[]): Promise<void> {
    try {
      // Records are light traffic: a small buffer pool and one thread, not DuckDB's defaults (80 % of
      // RAM and a thread per core) for each of the app's record files beside the telemetry store.
      this.instance = await DuckDBInstance.create(this.path, { memory_limit: RECORD_FILE_MEMORY_LIMIT, threads: '1' });
      this.conn = await this.instance.connect();
      for (const statement of ddl) await this.conn.run(statement);
    } catch (e) {
      throw duckError(e, 'STORE_UNAVAILABLE', `cannot open ${this.path}`);
    }
  }

  /** Runs `fn` after every statement queued before it (one connection, one statement at a time). */
  serial<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = this.conn;
    if (this.closed || c === undefined) return Promise.reject(new HeatError('STORE_UNAVAILABLE', `${this.path} is ${this.closed ? 'closed' : 'not open yet'}`));
    const next = this.tail.then(() => fn(c));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** DuckDB's memory in use by this file's instance (its own accounting), bytes; for diagnostics. */
  memoryUsage(): Promise<number> {
    return this.serial(async (c) => Number((await c.runAndReadAll(MEMORY_USAGE)).getRowsJS()[0]?.[0] ?? 0));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    this.conn?.closeSync();
    this.instance?.closeSync(); // checkpoints the WAL into the file
    this.conn = undefined;
    this.instance = undefined;
  }
}

/** Rows of a query as JS values; a failure is STORE_QUERY with `detail`. */
export async function readRows(c: DuckDBConnection, sql: string, params: DuckDBValue[], detail: string): Promise<JS[][]> {
  try {
    return (await c.runAndReadAll(sql, params)).getRowsJS();
  } catch (e) {
    throw duckError(e, 'STORE_QUERY', detail);
  }
}

/** One statement; a failure is STORE_REJECTED with `detail`. */
export async function runStatement(c: DuckDBConnection, sql: string, params: DuckDBValue[], detail: string): Promise<void> {
  try {
    await c.run(sql, params);
  } catch (e) {
    throw duckError(e, 'STORE_REJECTED', detail);
  }
}

export const RECORD_FILE_MEMORY_LIMIT = '64MB';

/** A HeatError passes as it is; anything else becomes `code` with `detail`, DuckDB's message kept in `cause` only. */
export function duckError(e: unknown, code: ErrorCode, detail: string): HeatError {
  if (isHeatError(e)) return e;
  return new HeatError(code, detail, { cause: e });
}

export function asText(v: JS | undefined): string {
  if (typeof v === 'string') return v;
  throw new HeatError('STORE_QUERY', `duckdb returned ${typeof v} where text was expected`);
}

export function asNumber(v: JS | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new HeatError('STORE_QUERY', `duckdb returned ${typeof v} where a number was expected`);
}

/** A readings/latest row's value from its num, str and bool columns (one of them is set). */
export function asFieldValue(num: JS | undefined, str: JS | undefined, bool: JS | undefined): FieldValue {
  if (typeof num === 'number') return num;
  if (typeof str === 'string') return str;
  if (typeof bool === 'boolean') return bool;
  throw new HeatError('STORE_QUERY', 'duckdb row without a value');
}
