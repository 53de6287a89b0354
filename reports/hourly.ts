// Hourly means from the store's aggregate (never raw points over a season): one map per field.
// Many entities of a kind are read either one query per entity (the port's `aggregate`) or, when
// the store also offers `aggregateMany`, one query per kind and time window: on DuckDB every
// per-entity query scans the whole range (rows are in time order, ids interleaved), so a season
// of 360 entities is 360 scans; grouped, it is one scan per kind.

import type { EntityKind } from '../domain/telemetry';
import { canAggregateMany, type AggregateSeries, type TelemetryStore } from '../store/telemetry-store';

export const HOUR_MS = 3_600_000;

/** hour start → mean value. */
export type Hourly = Map<number, number>;

export interface HourlyFields {
  /** Per field (non-indoor). */
  readonly fields: Map<string, Hourly>;
  /** Per indoor sensor, t_indoor hourly means (and min == max flags a flat line). */
  readonly sensors: Map<string, { readonly mean: Hourly; readonly flat: Set<number> }>;
}

/** Entities read this many at a time one by one: the store's read pool works in parallel. */
export const READ_CONCURRENCY = 4;

/** A grouped read covers this much time: bounds the rows one answer carries. */
export const DEFAULT_WINDOW_MS = 14 * 24 * HOUR_MS;

export interface ManyOptions {
  /** Called once per id with all of its hours (in any order). */
  readonly each: (id: string, h: HourlyFields) => void;
  /** Called before each store read; throws to stop (cancellation). */
  readonly beforeRead?: () => void;
  readonly windowMs?: number;
}

function emptyFields(): HourlyFields {
  return { fields: new Map(), sensors: new Map() };
}

/** Adds a series' buckets to `out` (buckets are whole hours, so windows never split one). */
function collect(out: HourlyFields, s: AggregateSeries): void {
  if (s.sensor !== undefined) {
    const cur = out.sensors.get(s.sensor) ?? { mean: new Map<number, number>(), flat: new Set<number>() };
    for (const p of s.points) {
      cur.mean.set(p.time, p.mean);
      // A flat hour (min == max over several readings) is the mark of a frozen sensor.
      if (p.count >= 3 && p.max === p.min) cur.flat.add(p.time);
    }
    out.sensors.set(s.sensor, cur);
  } else {
    const cur = out.fields.get(s.field) ?? new Map<number, number>();
    for (const p of s.points) cur.set(p.time, p.mean);
    out.fields.set(s.field, cur);
  }
}

export async function hourlyOf(store: TelemetryStore, measurement: EntityKind, id: string, fields: readonly string[], from: number, to: number): Promise<HourlyFields> {
  const out = emptyFields();
  for (const s of await store.aggregate({ measurement, id, fields, from, to }, HOUR_MS)) collect(out, s);
  return out;
}

/** Hourly fields of every id: grouped when the store can, else one read per entity. */
export async function hourlyMany(store: TelemetryStore, measurement: EntityKind, ids: readonly string[], fields: readonly string[], from: number, to: number, o: ManyOptions): Promise<void> {
  if (!canAggregateMany(store)) {
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + READ_CONCURRENCY).map(async (id) => {
          o.beforeRead?.();
          o.each(id, await hourlyOf(store, measurement, id, fields, from, to));
        }),
      );
    }
    return;
  }
  const byId = new Map<string, HourlyFields>(ids.map((id) => [id, emptyFields()]));
  for (const [a, b] of windows(from, to, o.windowMs ?? DEFAULT_WINDOW_MS)) {
    o.beforeRead?.();
    const got = await store.aggregateMany({ measurement, ids, fields, from: a, to: b }, HOUR_MS);
    for (const [id, series] of got) {
      const out = byId.get(id);
      if (out) for (const s of series) collect(out, s);
    }
  }
  for (const id of ids) o.each(id, byId.get(id) ?? emptyFields());
}

/** [from, to) cut at whole hours into windows of at most `windowMs` (rounded to hours). */
export function windows(from: number, to: number, windowMs: number): [number, number][] {
  const step = Math.max(HOUR_MS, Math.floor(windowMs / HOUR_MS) * HOUR_MS);
  const out: [number, number][] = [];
  let a = from;
  while (a < to) {
    const b = Math.min(to, (Math.floor(a / HOUR_MS) * HOUR_MS) + step);
    out.push([a, b]);
    a = b;
  }
  return out;
}

/** Hour starts of [from, to). */
export function hoursOf(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) out.push(t);
  return out;
}
