// Moves a planned batch (duckdb-batch.ts) and the dictionary's new entries into the writer
// connection's temp tables (duckdb-sql.ts). Numeric values go in as DataChunks filled from typed
// arrays: per 2,048 rows a handful of native calls instead of nine per row through the row
// Appender. Only dictionary entries and string/boolean values take the row Appender.

import { DOUBLE, DuckDBDataChunk, DuckDBVector, INTEGER, type DuckDBConnection } from '@duckdb/node-api';
import type { BatchPlan, NumericColumns } from './duckdb-batch';
import type { SeriesDictionary } from './duckdb-dictionary';
import * as sql from './duckdb-sql';

const TEMP = ['main', 'temp'] as const;
const NUMERIC_TYPES = [INTEGER, INTEGER, DOUBLE, DOUBLE];

/** Appends the dictionary entries the temp tables do not hold yet. */
export async function syncDictionary(w: DuckDBConnection, dict: SeriesDictionary): Promise<void> {
  if (dict.syncedSeries === dict.series.length && dict.syncedFields === dict.fields.length) return;
  try {
    if (dict.syncedSeries === 0 && dict.syncedFields === 0) for (const clear of sql.CLEAR_DICTIONARY) await w.run(clear);
    const s = await w.createAppender(sql.SERIES_DICT, ...TEMP);
    try {
      for (let i = dict.syncedSeries; i < dict.series.length; i++) {
        const e = dict.series[i] as (typeof dict.series)[number];
        s.appendInteger(i);
        s.appendVarchar(e.measurement);
        s.appendVarchar(e.id);
        s.appendVarchar(e.sensor);
        s.endRow();
      }
    } finally {
      s.closeSync();
    }
    const f = await w.createAppender(sql.FIELD_DICT, ...TEMP);
    try {
      for (let i = dict.syncedFields; i < dict.fields.length; i++) {
        f.appendInteger(i);
        f.appendVarchar(dict.fields[i] as string);
        f.endRow();
      }
    } finally {
      f.closeSync();
    }
    dict.syncedSeries = dict.series.length;
    dict.syncedFields = dict.fields.length;
  } catch (e) {
    dict.unsync();
    throw e;
  }
}

/** A batch's values, or a snapshot of the newest values (duckdb-snapshot.ts). */
export async function stageBatch(w: DuckDBConnection, plan: Pick<BatchPlan, 'numeric' | 'other'>): Promise<void> {
  const a = await w.createAppender(sql.STAGING_NUM, ...TEMP);
  try {
    const size = DuckDBVector.standardSize();
    for (let from = 0; from < plan.numeric.length; from += size) a.appendDataChunk(numericChunk(plan.numeric, from, Math.min(size, plan.numeric.length - from)));
  } finally {
    a.closeSync(); // flushes the rows
  }
  if (plan.other.length === 0) return;
  const o = await w.createAppender(sql.STAGING_OTHER, ...TEMP);
  try {
    for (const r of plan.other) {
      o.appendInteger(r.series);
      o.appendInteger(r.field);
      o.appendDouble(r.time);
      if (typeof r.value === 'string') o.appendVarchar(r.value);
      else o.appendNull();
      if (typeof r.value === 'boolean') o.appendBoolean(r.value);
      else o.appendNull();
      o.endRow();
    }
  } finally {
    o.closeSync();
  }
}

function numericChunk(c: NumericColumns, from: number, n: number): DuckDBDataChunk {
  const chunk = DuckDBDataChunk.create(NUMERIC_TYPES, n);
  const series = chunk.getColumnVector(0) as DuckDBVector<number>;
  const field = chunk.getColumnVector(1) as DuckDBVector<number>;
  const time = chunk.getColumnVector(2) as DuckDBVector<number>;
  const num = chunk.getColumnVector(3) as DuckDBVector<number>;
  for (let i = 0; i < n; i++) {
    const r = from + i;
    series.setItem(i, c.series[r] as number);
    field.setItem(i, c.field[r] as number);
    time.setItem(i, c.time[r] as number);
    num.setItem(i, c.num[r] as number);
  }
  for (const v of [series, field, time, num]) v.flush();
  return chunk;
}

/**
 * After a failed write or snapshot: roll back the open transaction (when `begun`) and empty the
 * staging tables, which were filled before it and outlive a rollback. Failures here only warn:
 * the caller is already reporting the error that brought it here.
 */
export async function discardStaged(w: DuckDBConnection, begun: boolean, warn: (what: string, err: unknown) => void): Promise<void> {
  if (begun) await w.run('ROLLBACK').catch((e: unknown) => warn('duckdb rollback failed', e));
  await w.run(sql.CLEAR_STAGING.join(';\n')).catch((e: unknown) => warn('duckdb staging not cleared', e));
}

