// The writer's staging tables are emptied after every batch; emptied must mean their storage is
// gone too, or a long run keeps every staged row in memory (then in duckdb.tmp): a temp table is
// never checkpointed, so DELETE leaves its row groups in place.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { NumericColumns } from './duckdb-batch';
import { discardStaged, stageBatch } from './duckdb-stage';
import * as sql from './duckdb-sql';

function numeric(n: number, t0: number): NumericColumns {
  const c = { length: n, series: new Int32Array(n), field: new Int32Array(n), time: new Float64Array(n), num: new Float64Array(n), latest: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    c.series[i] = i % 500;
    c.field[i] = i % 16;
    c.time[i] = t0 + i;
    c.num[i] = i / 7;
  }
  return c;
}

/** Rows the table's storage holds, deleted ones included (the first column's data segments; 0 when it has no row groups). */
async function storedRows(w: DuckDBConnection, table: string): Promise<number> {
  const v = (await w.runAndReadAll(`SELECT coalesce(sum(count), 0)::DOUBLE FROM pragma_storage_info('${table}') WHERE column_id = 0 AND segment_type <> 'VALIDITY'`)).getRowsJS()[0]?.[0];
  return Number(v);
}

describe('DuckDB staging tables', () => {
  const open: DuckDBInstance[] = [];
  afterEach(() => {
    for (const i of open.splice(0)) i.closeSync();
  });

  it('hold no storage after the batches they staged are cleared', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    open.push(instance);
    const w = await instance.connect();
    for (const ddl of sql.CREATE_WRITER_TABLES) await w.run(ddl);
    for (let b = 0; b < 5; b++) {
      await stageBatch(w, { numeric: numeric(5000, b * 10_000), other: [{ series: 1, field: 2, time: b, value: 'run', latest: true }] });
      expect(await storedRows(w, sql.STAGING_NUM)).toBe(5000);
      await w.run(['BEGIN TRANSACTION', ...sql.CLEAR_STAGING, 'COMMIT'].join(';\n'));
      expect(await storedRows(w, sql.STAGING_NUM)).toBe(0);
      expect(await storedRows(w, sql.STAGING_OTHER)).toBe(0);
    }
    // The failure path clears the same way, and staging takes the next batch after it.
    await stageBatch(w, { numeric: numeric(3000, 0), other: [] });
    await discardStaged(w, false, () => {});
    expect(await storedRows(w, sql.STAGING_NUM)).toBe(0);
    await stageBatch(w, { numeric: numeric(10, 0), other: [] });
    expect((await w.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${sql.STAGING_NUM}`)).getRowsJS()[0]?.[0]).toBe(10);
  });
});
