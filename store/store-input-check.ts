// Checks of what callers hand a store, shared by every implementation so that all of them
// answer bad input with the same HeatError before anything is written or queried.

import { HeatError } from '../domain/errors';
import type { Metric } from '../domain/telemetry';
import type { ManyQuery, SeriesQuery } from './telemetry-store';

/** More buckets than this in one aggregate is a caller mistake (a year at one-minute steps is ~525k). */
export const MAX_BUCKETS = 600_000;

/** Raw points one `query` may return before it fails and asks for `aggregate` instead. */
export const DEFAULT_MAX_POINTS = 1_000_000;

/** Throws the first problem of a batch; a store writes nothing of a batch that fails here. */
export function checkBatch(batch: readonly Metric[]): void {
  for (const m of batch) {
    const where = `${m.measurement}/${m.tags.id}`;
    if (typeof m.tags.id !== 'string' || m.tags.id === '') throw new HeatError('BAD_REQUEST', `metric without an id (${m.measurement})`);
    if (!Number.isSafeInteger(m.time)) throw new HeatError('TIMESTAMP_INVALID', `${where}: time ${m.time} is not an integer epoch ms`);
    for (const [field, v] of Object.entries(m.fields)) {
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new HeatError('NON_FINITE', `${where} ${field}=${v}`);
      } else if (typeof v !== 'string' && typeof v !== 'boolean') {
        throw new HeatError('FIELD_TYPE', `${where} ${field} has type ${typeof v}`);
      }
    }
  }
}

/** Throws when a series query's time range or field list cannot be answered. */
export function checkSeriesQuery(q: SeriesQuery): void {
  if (!Number.isFinite(q.from) || !Number.isFinite(q.to)) throw new HeatError('BAD_REQUEST', `time range ${q.from}..${q.to} is not finite`);
  if (q.to < q.from) throw new HeatError('BAD_REQUEST', `time range ends (${q.to}) before it starts (${q.from})`);
  if (typeof q.id !== 'string' || q.id === '') throw new HeatError('BAD_REQUEST', 'query without an id');
}

export function checkAggregate(q: SeriesQuery, everyMs: number): void {
  checkSeriesQuery(q);
  if (!Number.isSafeInteger(everyMs) || everyMs <= 0) throw new HeatError('BAD_REQUEST', `everyMs=${everyMs} must be a positive integer`);
  const buckets = (q.to - q.from) / everyMs;
  if (buckets > MAX_BUCKETS) throw new HeatError('BAD_REQUEST', `${Math.ceil(buckets)} buckets of ${everyMs} ms exceed ${MAX_BUCKETS}`);
}

/** aggregateMany: the checks of one entity's aggregate, and every id a non-empty string. */
export function checkAggregateMany(q: ManyQuery, everyMs: number): void {
  for (const id of q.ids) checkAggregate({ measurement: q.measurement, id, fields: q.fields, from: q.from, to: q.to }, everyMs);
  if (q.ids.length === 0) checkAggregate({ measurement: q.measurement, id: '-', fields: q.fields, from: q.from, to: q.to }, everyMs);
}

export function tooManyPoints(max: number): HeatError {
  return new HeatError('BAD_REQUEST', `query returns more than ${max} points: narrow the range or use aggregate`);
}

/** Time bounds as integers: [from, to) over integer ms is [ceil(from), ceil(to)). */
export function integerRange(q: Pick<SeriesQuery, "from" | "to">): { from: number; to: number } {
  return { from: Math.ceil(q.from), to: Math.ceil(q.to) };
}
