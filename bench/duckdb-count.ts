// After a run: how many field values the DuckDB file holds (one row per field value), read with a
// fresh read-only instance once the store is closed: what a restart would find.

import { DuckDBInstance } from '@duckdb/node-api';

export async function countDuckDBRows(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const c = await instance.connect();
    try {
      const rows = (await c.runAndReadAll('SELECT count(*) FROM readings')).getRowsJS();
      return Number(rows[0]?.[0] ?? 0);
    } finally {
      c.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
