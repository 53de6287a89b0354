// Prepares a batch for the DuckDB write path in JS, where it is cheaper than SQL window functions
// (measured: ~3x less time per batch): merges metrics with the same key so that the last value of a
// field wins (as if written one after the other), marks the newest value per series field for the
// `latest` table, and lays numeric values out as typed columns of dictionary ids (the DataChunk
// append copies them in one call per column); string and boolean values go to a short row list.

import type { FieldValue, Metric } from '../domain/telemetry';
import { FIELD_LIMIT, type SeriesDictionary } from './duckdb-dictionary';
import { NO_SENSOR } from './series-collector';

/** Numeric values, one row per field value: series id, field id, time, value, newest-in-batch. */
export interface NumericColumns {
  readonly length: number;
  readonly series: Int32Array;
  readonly field: Int32Array;
  readonly time: Float64Array;
  readonly num: Float64Array;
  readonly latest: Uint8Array;
}

export interface OtherRow {
  readonly series: number;
  readonly field: number;
  readonly time: number;
  readonly value: string | boolean;
  latest: boolean;
}

export interface BatchPlan {
  readonly numeric: NumericColumns;
  readonly other: readonly OtherRow[];
  readonly minTime: number;
  readonly maxTime: number;
  /** Some point is not newer than what its series already stored: it may replace a row. */
  readonly mayRewrite: boolean;
}

interface Point {
  readonly sid: number;
  readonly time: number;
  fields: Readonly<Record<string, FieldValue>>;
  merged: boolean;
}

export function planBatch(batch: readonly Metric[], dict: SeriesDictionary): BatchPlan {
  const points = new Map<string, Point>();
  let minTime = Infinity;
  let maxTime = -Infinity;
  let values = 0;
  for (const m of batch) {
    const sid = dict.seriesId(m.measurement, m.tags.id, m.tags.sensor ?? NO_SENSOR);
    const key = `${sid}:${m.time}`;
    const seen = points.get(key);
    if (seen === undefined) points.set(key, { sid, time: m.time, fields: m.fields, merged: false });
    else {
      // Copy before the first merge: the caller's metric is not ours to change.
      if (!seen.merged) seen.fields = { ...seen.fields };
      seen.merged = true;
      Object.assign(seen.fields, m.fields);
    }
    if (m.time < minTime) minTime = m.time;
    if (m.time > maxTime) maxTime = m.time;
    for (const _ in m.fields) values++;
  }
  const numeric = {
    length: 0,
    series: new Int32Array(values),
    field: new Int32Array(values),
    time: new Float64Array(values),
    num: new Float64Array(values),
    latest: new Uint8Array(values),
  };
  const other: OtherRow[] = [];
  // Most series have one point per batch: all its values are the newest. Only series with
  // several points need the per-field comparison (series field → row: ≥ 0 numeric, -1 - i other).
  const pointsOf = new Uint32Array(dict.series.length);
  for (const p of points.values()) pointsOf[p.sid] = (pointsOf[p.sid] ?? 0) + 1;
  const newest = new Map<number, { row: number; time: number }>();
  let mayRewrite = false;
  let n = 0;
  for (const p of points.values()) {
    if (p.time <= dict.newestTime(p.sid)) mayRewrite = true;
    const single = pointsOf[p.sid] === 1;
    for (const field in p.fields) {
      const fid = dict.fieldId(field);
      const v = p.fields[field] as FieldValue;
      let row: number;
      if (typeof v === 'number') {
        row = n++;
        numeric.series[row] = p.sid;
        numeric.field[row] = fid;
        numeric.time[row] = p.time;
        numeric.num[row] = v;
        if (single) numeric.latest[row] = 1;
      } else {
        row = -1 - other.length;
        other.push({ series: p.sid, field: fid, time: p.time, value: v, latest: single });
      }
      if (single) continue;
      const lk = p.sid * FIELD_LIMIT + fid;
      const before = newest.get(lk);
      if (before === undefined) newest.set(lk, { row, time: p.time });
      else if (p.time >= before.time) {
        before.row = row;
        before.time = p.time;
      }
    }
  }
  for (const { row } of newest.values()) {
    if (row >= 0) numeric.latest[row] = 1;
    else (other[-1 - row] as OtherRow).latest = true;
  }
  for (const p of points.values()) dict.noteTime(p.sid, p.time);
  return { numeric: { ...numeric, length: n }, other, minTime, maxTime, mayRewrite };
}
