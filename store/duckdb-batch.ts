// Prepares a batch for the DuckDB write path in JS, where it is cheaper than SQL window functions
// (measured: ~3x less time per batch): merges metrics with the same key so that the last value of a
// field wins (as if written one after the other), marks the newest value per series field for the
// newest-value cache, and lays numeric values out as typed columns of dictionary ids (the DataChunk
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
  /** The series' previous point in this batch, or -1. */
  readonly prev: number;
}

export function planBatch(batch: readonly Metric[], dict: SeriesDictionary): BatchPlan {
  // Points by series as chains through `prev` (most series have one point per batch): no string
  // key per metric, which was a good part of this function's time and garbage.
  const sids = new Int32Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i] as Metric;
    sids[i] = dict.seriesId(m.measurement, m.tags.id, m.tags.sensor ?? NO_SENSOR);
  }
  const headOf = new Int32Array(dict.series.length).fill(-1);
  const pointsOf = new Uint32Array(dict.series.length);
  const points: Point[] = [];
  let minTime = Infinity;
  let maxTime = -Infinity;
  let values = 0;
  for (let i = 0; i < batch.length; i++) {
    const m = batch[i] as Metric;
    const sid = sids[i] as number;
    let seen: Point | undefined;
    for (let p = headOf[sid] as number; p >= 0; p = (points[p] as Point).prev) {
      if ((points[p] as Point).time === m.time) {
        seen = points[p];
        break;
      }
    }
    if (seen === undefined) {
      points.push({ sid, time: m.time, fields: m.fields, merged: false, prev: headOf[sid] as number });
      headOf[sid] = points.length - 1;
      pointsOf[sid] = (pointsOf[sid] as number) + 1;
    } else {
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
  const newest = new Map<number, { row: number; time: number }>();
  let mayRewrite = false;
  let n = 0;
  for (const p of points) {
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
  for (const p of points) dict.noteTime(p.sid, p.time);
  return { numeric: { ...numeric, length: n }, other, minTime, maxTime, mayRewrite };
}
