// Compares what a store holds with what was published: readings lost, duplicated, or changed.
// DuckDB is read from its file with a fresh read-only instance once the writer has closed it
// (what a restart would find); InfluxDB is asked with InfluxQL over HTTP.

import { DuckDBInstance } from '@duckdb/node-api';

export interface RowCheck {
  readonly expected: number;
  /** Rows the store holds for the published keys (and any others of the same stations). */
  readonly rows: number;
  readonly distinct: number;
  readonly lost: number;
  /** Rows beyond one per key. */
  readonly duplicated: number;
  /** Keys that are not in the published set. */
  readonly unexpected: number;
  /** Keys whose value differs from the one published. */
  readonly changed: number;
}

export function compareRows(expected: ReadonlyMap<string, number>, found: Iterable<[string, number]>): RowCheck {
  const seen = new Map<string, number>();
  let rows = 0;
  let changed = 0;
  let unexpected = 0;
  for (const [key, value] of found) {
    rows++;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) continue;
    const want = expected.get(key);
    if (want === undefined) unexpected++;
    else if (Math.abs(want - value) > 1e-9) changed++;
  }
  let lost = 0;
  for (const k of expected.keys()) if (!seen.has(k)) lost++;
  return { expected: expected.size, rows, distinct: seen.size, lost, duplicated: rows - seen.size, unexpected, changed };
}

/** Rows of measurement `station` in a DuckDB file, as "id/field/time" → value. */
export async function duckdbStationRows(path: string): Promise<Array<[string, number]>> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const c = await instance.connect();
    try {
      const rows = (await c.runAndReadAll(`SELECT id, field, time::DOUBLE, num FROM readings WHERE measurement = 'station'`)).getRowsJS();
      return rows.map((r) => [`${String(r[0])}/${String(r[1])}/${Number(r[2])}`, Number(r[3])]);
    } finally {
      c.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Points of measurement `station` in InfluxDB 1.x, as "id/field/time" → value. */
export async function influxStationRows(url: string, db: string, fields: readonly string[]): Promise<Array<[string, number]>> {
  const out: Array<[string, number]> = [];
  for (const f of fields) {
    const q = `SELECT "${f}" FROM "station" GROUP BY "id"`;
    const res = await fetch(`${url}/query?db=${encodeURIComponent(db)}&epoch=ms&q=${encodeURIComponent(q)}`);
    if (!res.ok) throw new Error(`InfluxQL ${q}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { results: Array<{ series?: Array<{ tags?: { id?: string }; values: Array<[number, number | null]> }> }> };
    for (const s of body.results[0]?.series ?? []) {
      for (const [t, v] of s.values) if (v !== null) out.push([`${s.tags?.id ?? '?'}/${f}/${t}`, v]);
    }
  }
  return out;
}

/** One line of figures, printed by every chaos test. */
export function figures(name: string, published: number, c: RowCheck, extra: Record<string, number | string> = {}): string {
  // Readings published; the rest counts field values (rows), two per reading in the load.
  const parts = [`published=${published} readings (${c.expected} field values)`, `stored=${c.distinct}`, `lost=${c.lost}`, `duplicated=${c.duplicated}`, `changed=${c.changed}`, `unexpected=${c.unexpected}`];
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${v}`);
  return `[chaos] ${name}: ${parts.join(' ')}`;
}
