// Reads one entity's series for a chart, downsampled on the server so that no series carries
// more than MAX_POINTS points:
//   - numeric fields: raw points when the range is short and the raw data fits, otherwise
//     store.aggregate with the finest round bucket that fits (1 min, 5 min, 15 min, 1 h …);
//   - state fields (pump_state): only the points where the state changed (a step function
//     loses nothing that way), cut at MAX_POINTS keeping the newest, flagged `truncated`.
// The response says which `every` was used, and the requested one when it had to be coarsened.

import { isHeatError } from '../../domain/errors';
import { fieldSpec } from '../../domain/fields';
import type { FieldValue } from '../../domain/telemetry';
import type { Series, SeriesQuery, TelemetryStore } from '../../store/telemetry-store';
import type { SeriesDto, SeriesPointDto, SeriesResponseDto } from '../dto';
import { bucketCount, formatDuration, MAX_POINTS, pickBucket } from './bucket';
import type { SeriesQueryInput } from './series-query-schema';

/** Without an explicit `every`, raw points are tried only when 1-minute buckets would fit the cap. */
const RAW_TRY_BUCKET_MS = 60_000;

export async function loadSeries(store: TelemetryStore, q: SeriesQueryInput, maxPoints = MAX_POINTS): Promise<SeriesResponseDto> {
  const kind = q.entity.kind;
  const unit = (f: string): string => fieldSpec(kind, f)?.unit ?? '';
  const numeric = q.fields.filter((f) => fieldSpec(kind, f)?.type === 'number');
  const states = q.fields.filter((f) => fieldSpec(kind, f)?.type !== 'number');
  const base = { measurement: kind, id: q.entity.id, from: q.from, to: q.to, ...(q.sensor === undefined ? {} : { sensor: q.sensor }) };
  const queryOf = (fields: readonly string[]): SeriesQuery => ({ ...base, fields });

  const out: SeriesDto[] = [];
  if (states.length > 0) {
    for (const s of await store.query(queryOf(states))) out.push(changesOf(s, unit(s.field), maxPoints));
  }

  let everyMs: number | null = null;
  let requestedEvery: string | undefined;
  if (numeric.length > 0) {
    const requested = q.every;
    let tryRaw = requested === 'raw' || (requested === undefined && pickBucket(q.from, q.to, 0, maxPoints) <= RAW_TRY_BUCKET_MS);
    if (requested === 'raw') requestedEvery = 'raw';
    let raw: Series[] = [];
    if (tryRaw) {
      try {
        raw = await store.query(queryOf(numeric));
        if (raw.some((s) => s.points.length > maxPoints)) tryRaw = false;
        else requestedEvery = undefined; // raw was asked for (or chosen) and fits
      } catch (e) {
        // A store refuses a raw query that would return too many points (BAD_REQUEST): aggregate instead.
        if (!(isHeatError(e) && e.code === 'BAD_REQUEST')) throw e;
        tryRaw = false;
      }
    }
    if (tryRaw) {
      for (const s of raw) out.push(seriesDto(s.field, s.sensor, unit(s.field), 'raw', s.points.map((p): SeriesPointDto => [p.time, p.value])));
    } else {
      if (typeof requested === 'number') {
        everyMs = bucketCount(q.from, q.to, requested) <= maxPoints ? requested : pickBucket(q.from, q.to, requested, maxPoints);
        if (everyMs !== requested) requestedEvery = formatDuration(requested);
      } else {
        everyMs = pickBucket(q.from, q.to, 0, maxPoints);
      }
      for (const s of await store.aggregate(queryOf(numeric), everyMs)) {
        out.push(seriesDto(s.field, s.sensor, unit(s.field), 'mean-min-max', s.points.map((p): SeriesPointDto => [p.time, p.mean, p.min, p.max])));
      }
    }
  }

  // Stable order for clients: the requested field order, then sensor id.
  const order = new Map(q.fields.map((f, i) => [f, i]));
  out.sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0) || (a.sensor ?? '').localeCompare(b.sensor ?? ''));

  return {
    entity: q.entity.key,
    from: q.from,
    to: q.to,
    every: everyMs === null ? 'raw' : formatDuration(everyMs),
    everyMs,
    ...(requestedEvery === undefined ? {} : { requestedEvery }),
    maxPoints,
    series: out,
  };
}

function seriesDto(field: string, sensor: string | undefined, unit: string, mode: SeriesDto['mode'], points: SeriesPointDto[], truncated = false): SeriesDto {
  return { field, ...(sensor === undefined ? {} : { sensor }), unit, mode, points, ...(truncated ? { truncated } : {}) };
}

function changesOf(s: Series, unit: string, maxPoints: number): SeriesDto {
  const pts: SeriesPointDto[] = [];
  let prev: FieldValue | undefined;
  for (const p of s.points) {
    if (p.value !== prev) pts.push([p.time, p.value]);
    prev = p.value;
  }
  const truncated = pts.length > maxPoints;
  return seriesDto(s.field, s.sensor, unit, 'changes', truncated ? pts.slice(pts.length - maxPoints) : pts, truncated);
}
