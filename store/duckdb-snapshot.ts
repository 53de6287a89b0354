// The snapshot of the DuckDB store's newest values (duckdb-latest.ts says why it is a snapshot;
// duckdb-sql.ts, its tables): loaded on connect and repaired from `readings` when a crash left
// values newer than it, and written whole, on the writer connection, between batches.

import type { DuckDBConnection, JS } from '@duckdb/node-api';
import type { OtherRow } from './duckdb-batch';
import { SeriesDictionary } from './duckdb-dictionary';
import { LatestCache } from './duckdb-latest';
import { asFieldValue } from './duckdb-record-file';
import * as sql from './duckdb-sql';
import { discardStaged, stageBatch, syncDictionary } from './duckdb-stage';

export interface LoadedLatest {
  readonly dict: SeriesDictionary;
  readonly latest: LatestCache;
  /** Rows read back from `readings` because the last run ended after its snapshot (0: clean). */
  readonly repaired: number;
}

/** The dictionary (with each series' newest time) and the newest values, as the last run left them. */
export async function loadLatest(w: DuckDBConnection): Promise<LoadedLatest> {
  const dict = new SeriesDictionary();
  const latest = new LatestCache(dict);
  const keep = (sid: number, fid: number, time: number, num: JS | undefined, str: JS | undefined, bool: JS | undefined): void => {
    latest.set(sid, fid, time, asFieldValue(num, str, bool));
    dict.noteTime(sid, time);
  };
  /** Rows keyed by strings: the older layout's table, and the repair from `readings`. */
  const put = (rows: JS[][]): void => {
    for (const [measurement, id, sensor, field, time, num, str, bool] of rows) {
      if (typeof measurement !== 'string' || typeof id !== 'string' || typeof sensor !== 'string' || typeof field !== 'string' || typeof time !== 'number') {
        throw new TypeError('duckdb latest row has an unexpected shape');
      }
      keep(dict.seriesId(measurement, id, sensor), dict.fieldId(field), time, num, str, bool);
    }
  };
  const legacy = Number((await w.runAndReadAll(sql.HAS_LEGACY_LATEST)).getRowsJS()[0]?.[0]) > 0;
  if (legacy) put((await w.runAndReadAll(sql.SELECT_LEGACY_LATEST)).getRowsJS());
  else {
    // The snapshot's ids → this run's: the dictionary is made anew by every run.
    const series: number[] = [];
    for (const [s, measurement, id, sensor] of (await w.runAndReadAll(sql.SELECT_LATEST_SERIES)).getRowsJS()) {
      if (typeof s !== 'number' || typeof measurement !== 'string' || typeof id !== 'string' || typeof sensor !== 'string') throw new TypeError('duckdb latest_series row has an unexpected shape');
      series[s] = dict.seriesId(measurement, id, sensor);
    }
    const fields: number[] = [];
    for (const [f, field] of (await w.runAndReadAll(sql.SELECT_LATEST_FIELDS)).getRowsJS()) {
      if (typeof f !== 'number' || typeof field !== 'string') throw new TypeError('duckdb latest_fields row has an unexpected shape');
      fields[f] = dict.fieldId(field);
    }
    for (const [s, f, time, num, str, bool] of (await w.runAndReadAll(sql.SELECT_LATEST_VALUES)).getRowsJS()) {
      const sid = typeof s === 'number' ? series[s] : undefined;
      const fid = typeof f === 'number' ? fields[f] : undefined;
      if (sid === undefined || fid === undefined || typeof time !== 'number') throw new TypeError('duckdb latest_values row names no series or field of its snapshot');
      keep(sid, fid, time, num, str, bool);
    }
  }
  const since = (await w.runAndReadAll(sql.SELECT_DIRTY_SINCE)).getRowsJS()[0]?.[0];
  let repaired = 0;
  if (typeof since === 'number') {
    const rows = (await w.runAndReadAll(sql.SELECT_NEWEST_SINCE, [BigInt(since)])).getRowsJS();
    repaired = rows.length;
    put(rows);
  }
  await syncDictionary(w, dict);
  // After a repair, or to move an older layout's table to this one (and drop it).
  if (typeof since === 'number' || legacy) await writeSnapshot(w, dict, latest);
  latest.dirty = false;
  return { dict, latest, repaired };
}

/** Replaces the snapshot with the values held and clears the dirty mark; the caller holds the writer. */
export async function writeSnapshot(w: DuckDBConnection, dict: SeriesDictionary, latest: LatestCache): Promise<void> {
  const n = latest.size;
  const numeric = { length: 0, series: new Int32Array(n), field: new Int32Array(n), time: new Float64Array(n), num: new Float64Array(n), latest: new Uint8Array(n) };
  const other: OtherRow[] = [];
  for (const e of latest.entries()) {
    if (typeof e.value === 'number') {
      const r = numeric.length++;
      numeric.series[r] = e.sid;
      numeric.field[r] = e.fid;
      numeric.time[r] = e.time;
      numeric.num[r] = e.value;
    } else other.push({ series: e.sid, field: e.fid, time: e.time, value: e.value, latest: true });
  }
  latest.dirty = false; // values set from here on belong to the next snapshot
  try {
    await syncDictionary(w, dict);
    await stageBatch(w, { numeric, other });
    // One round trip, as the write path's (duckdb-store.ts): replace, forget the mark, clear staging.
    await w.run(['BEGIN TRANSACTION', ...sql.REPLACE_LATEST, ...sql.CLEAR_STAGING, 'COMMIT'].join(';\n'));
  } catch (e) {
    latest.dirty = true;
    await discardStaged(w, true, () => {}); // ROLLBACK without a transaction only fails; the error below is the one to report
    throw e;
  }
}
