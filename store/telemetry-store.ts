// The telemetry store port. Two implementations (DuckDB embedded, InfluxDB) pass one contract
// suite (store/telemetry-store.contract.ts), as aedes-persistence's abstract tests do.

import type { EntityKind, FieldValue, Metric } from '../domain/telemetry';

export interface SeriesQuery {
  readonly measurement: EntityKind;
  readonly id: string;
  readonly fields: readonly string[];
  /** Inclusive start, epoch ms (event time). */
  readonly from: number;
  /** Exclusive end, epoch ms. */
  readonly to: number;
  /** Only this indoor sensor; when absent, every sensor's series comes back separately. */
  readonly sensor?: string;
}

export interface SeriesPoint {
  readonly time: number;
  readonly value: FieldValue;
}

export interface Series {
  readonly field: string;
  readonly sensor?: string;
  /** Ascending by time. */
  readonly points: readonly SeriesPoint[];
}

export interface AggregatePoint {
  /** Start of the bucket, epoch ms, aligned to multiples of `everyMs` since the epoch. */
  readonly time: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export interface AggregateSeries {
  readonly field: string;
  readonly sensor?: string;
  /** Ascending; buckets without data are omitted. */
  readonly points: readonly AggregatePoint[];
}

export interface LatestValue {
  readonly measurement: EntityKind;
  readonly id: string;
  readonly sensor?: string;
  readonly field: string;
  readonly time: number;
  readonly value: FieldValue;
}

/**
 * Lifecycle: `connect()` once (creates schema / checks the server), then any number of `write`
 * and query calls, possibly concurrent, then `close()` once; no call after `close`.
 * Callers: the ingest writer is the only writer in production; the API and rules only read.
 *
 * `write` resolves only when the batch is durable (the caller acknowledges MQTT messages then).
 * It is idempotent: a point is keyed by (measurement, id, sensor, field, time), and writing the
 * same key again replaces the value. On failure it rejects with a HeatError whose `canRetry()`
 * says whether the whole batch may be tried again (nothing of a failed batch is half-visible
 * to a later successful retry: rewriting is harmless).
 */
/** One aggregate over many entities of a kind (the season report reads a whole network this way). */
export interface ManyQuery {
  readonly measurement: EntityKind;
  readonly ids: readonly string[];
  readonly fields: readonly string[];
  /** Inclusive start, epoch ms. */
  readonly from: number;
  /** Exclusive end, epoch ms. */
  readonly to: number;
}

/**
 * Optional capability of a store, beside the port: `aggregate` for every id at once, in one scan
 * instead of one per entity. Same buckets, fields and sensors as `aggregate`; ids without data may
 * be absent from the map. Callers test for it with `canAggregateMany` and fall back to `aggregate`.
 * Callable whenever `aggregate` is (after connect, before close).
 */
export interface GroupedAggregate {
  aggregateMany(q: ManyQuery, everyMs: number): Promise<ReadonlyMap<string, readonly AggregateSeries[]>>;
}

export function canAggregateMany<S extends object>(store: S): store is S & GroupedAggregate {
  return typeof (store as Partial<GroupedAggregate>).aggregateMany === 'function';
}

export interface TelemetryStore {
  readonly name: string;
  connect(): Promise<void>;
  write(batch: readonly Metric[]): Promise<void>;
  /** Raw points per field (and sensor), ascending by time. */
  query(q: SeriesQuery): Promise<Series[]>;
  /** Numeric fields downsampled into buckets of `everyMs` (mean, min, max, count). */
  aggregate(q: SeriesQuery, everyMs: number): Promise<AggregateSeries[]>;
  /** The newest value of every field of every entity of a kind (optionally only these ids). */
  latest(measurement: EntityKind, ids?: readonly string[]): Promise<LatestValue[]>;
  close(): Promise<void>;
}
