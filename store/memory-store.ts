// Reference in-memory TelemetryStore: simple and obviously correct rather than fast. Unit tests
// of other parts use it in place of DuckDB or InfluxDB; it passes the same contract suite.

import { HeatError } from '../domain/errors';
import type { EntityKind, FieldValue, Metric } from '../domain/telemetry';
import { SeriesCollector } from './series-collector';
import { checkAggregate, checkBatch, checkSeriesQuery, DEFAULT_MAX_POINTS, integerRange, tooManyPoints } from './store-input-check';
import type { AggregatePoint, AggregateSeries, LatestValue, Series, SeriesPoint, SeriesQuery, TelemetryStore } from './telemetry-store';

export interface MemoryStoreOptions {
  /** Raw points one query may return (default DEFAULT_MAX_POINTS). */
  readonly maxPoints?: number;
}

interface SeriesData {
  readonly measurement: EntityKind;
  readonly id: string;
  readonly sensor: string | undefined;
  readonly field: string;
  /** time → value; a rewrite of the same time replaces the value. */
  readonly points: Map<number, FieldValue>;
}

/** Floor of `time` to a multiple of `everyMs` since the epoch (also for times before 1970). */
export function bucketStart(time: number, everyMs: number): number {
  return time - (((time % everyMs) + everyMs) % everyMs);
}

export class MemoryStore implements TelemetryStore {
  readonly name = 'memory';
  private readonly series = new Map<string, SeriesData>();
  private readonly maxPoints: number;
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(opts: MemoryStoreOptions = {}) {
    this.maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  }

  async connect(): Promise<void> {
    this.state = 'open';
  }

  async write(batch: readonly Metric[]): Promise<void> {
    this.assertOpen();
    checkBatch(batch); // all or nothing: nothing is applied when any metric is bad
    for (const m of batch) {
      const sensor = m.tags.sensor === '' ? undefined : m.tags.sensor;
      for (const [field, value] of Object.entries(m.fields)) {
        const key = JSON.stringify([m.measurement, m.tags.id, sensor ?? '', field]);
        let s = this.series.get(key);
        if (s === undefined) {
          s = { measurement: m.measurement, id: m.tags.id, sensor, field, points: new Map() };
          this.series.set(key, s);
        }
        s.points.set(m.time, value);
      }
    }
  }

  async query(q: SeriesQuery): Promise<Series[]> {
    this.assertOpen();
    checkSeriesQuery(q);
    const { from, to } = integerRange(q);
    const out = new SeriesCollector<SeriesPoint>();
    let n = 0;
    for (const s of this.matching(q)) {
      const times = [...s.points.keys()].filter((t) => t >= from && t < to).sort((a, b) => a - b);
      n += times.length;
      if (n > this.maxPoints) throw tooManyPoints(this.maxPoints);
      for (const t of times) out.add(s.field, s.sensor, { time: t, value: s.points.get(t) as FieldValue });
    }
    return out.result(q.fields);
  }

  async aggregate(q: SeriesQuery, everyMs: number): Promise<AggregateSeries[]> {
    this.assertOpen();
    checkAggregate(q, everyMs);
    const { from, to } = integerRange(q);
    const out = new SeriesCollector<AggregatePoint>();
    for (const s of this.matching(q)) {
      const buckets = new Map<number, number[]>();
      for (const [t, v] of s.points) {
        if (typeof v !== 'number' || t < from || t >= to) continue;
        const b = bucketStart(t, everyMs);
        const list = buckets.get(b) ?? [];
        list.push(v);
        buckets.set(b, list);
      }
      for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
        const vs = buckets.get(b) as number[];
        const sum = vs.reduce((a, v) => a + v, 0);
        out.add(s.field, s.sensor, { time: b, mean: sum / vs.length, min: Math.min(...vs), max: Math.max(...vs), count: vs.length });
      }
    }
    return out.result(q.fields);
  }

  async latest(measurement: EntityKind, ids?: readonly string[]): Promise<LatestValue[]> {
    this.assertOpen();
    const wanted = ids === undefined ? undefined : new Set(ids);
    const out: LatestValue[] = [];
    for (const s of this.series.values()) {
      if (s.measurement !== measurement || (wanted !== undefined && !wanted.has(s.id))) continue;
      let time = -Infinity;
      for (const t of s.points.keys()) if (t > time) time = t;
      if (time === -Infinity) continue;
      const value = s.points.get(time) as FieldValue;
      out.push(s.sensor === undefined ? { measurement, id: s.id, field: s.field, time, value } : { measurement, id: s.id, sensor: s.sensor, field: s.field, time, value });
    }
    return out;
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.series.clear();
  }

  private *matching(q: SeriesQuery): Iterable<SeriesData> {
    const fields = new Set(q.fields);
    for (const s of this.series.values()) {
      if (s.measurement !== q.measurement || s.id !== q.id || !fields.has(s.field)) continue;
      if (q.sensor !== undefined && (s.sensor ?? '') !== q.sensor) continue;
      yield s;
    }
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new HeatError('INTERNAL', `memory store used while ${this.state === 'new' ? 'not connected' : 'closed'}`);
  }
}
