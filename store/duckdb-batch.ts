// Prepares a batch for the DuckDB write path in JS, where it is cheaper than SQL window functions
// (measured: ~3x less time per batch): merges metrics with the same key so that the last value of a
// field wins (as if written one after the other), and picks the newest value per series field
// for the `latest` table.

import type { FieldValue, Metric } from '../domain/telemetry';
import { NO_SENSOR } from './series-collector';

export interface StagedPoint {
  readonly measurement: string;
  readonly id: string;
  readonly sensor: string;
  readonly time: number;
  /** Field → value; unique per (measurement, id, sensor, time) across the plan. */
  readonly fields: Record<string, FieldValue>;
}

export interface LatestRow {
  readonly measurement: string;
  readonly id: string;
  readonly sensor: string;
  readonly field: string;
  time: number;
  value: FieldValue;
}

export interface BatchPlan {
  readonly points: StagedPoint[];
  readonly latest: LatestRow[];
  readonly minTime: number;
  readonly maxTime: number;
}

const SEP = '\u0000'; // cannot be confused with the text of any id: keys are joined, never parsed

export function planBatch(batch: readonly Metric[]): BatchPlan {
  const points = new Map<string, StagedPoint>();
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (const m of batch) {
    const sensor = m.tags.sensor ?? NO_SENSOR;
    const key = m.measurement + SEP + m.tags.id + SEP + sensor + SEP + m.time;
    const seen = points.get(key);
    if (seen) Object.assign(seen.fields, m.fields);
    else points.set(key, { measurement: m.measurement, id: m.tags.id, sensor, time: m.time, fields: { ...m.fields } });
    if (m.time < minTime) minTime = m.time;
    if (m.time > maxTime) maxTime = m.time;
  }
  const latest = new Map<string, LatestRow>();
  for (const p of points.values()) {
    const series = p.measurement + SEP + p.id + SEP + p.sensor + SEP;
    for (const field in p.fields) {
      const value = p.fields[field] as FieldValue;
      const row = latest.get(series + field);
      if (row === undefined) latest.set(series + field, { measurement: p.measurement, id: p.id, sensor: p.sensor, field, time: p.time, value });
      else if (p.time >= row.time) {
        row.time = p.time;
        row.value = value;
      }
    }
  }
  return { points: [...points.values()], latest: [...latest.values()], minTime, maxTime };
}
