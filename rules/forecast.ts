// Outdoor temperature forecasts for predicted under-heating.
//
// Port: the engine asks synchronously, while evaluating an instant of event time, for the
// forecast of one weather site as known at that instant. Implementations must answer from
// memory (no I/O in the engine's loop) and must not look at data issued after `asOf`, so a
// replay sees what a live run saw. Whoever fetches forecasts (a weather service client, the
// simulator) pushes them into an implementation beforehand. Without a forecast the engine
// assumes the outdoor temperature stays as it is (persistence).

import type { Metric } from '../domain/telemetry';

export interface ForecastPoint {
  /** Valid time, epoch ms. */
  readonly time: number;
  readonly outdoorC: number;
}

export interface ForecastProvider {
  /** Points with asOf < time ≤ asOf + horizonMs, ascending; empty when nothing is known. */
  outdoor(siteId: string, asOf: number, horizonMs: number): readonly ForecastPoint[];
}

export interface ForecastBuffer extends ForecastProvider {
  /**
   * Add forecast readings: weather Metrics whose `time` is the valid time (in the future of the
   * stream) and `fields.t_outdoor` the forecast value. `issuedAt` (default: the earliest valid
   * time minus one ms) keeps a replay from seeing forecasts before they were issued.
   * Returns how many points were kept; non-weather or non-numeric readings are skipped.
   */
  add(batch: readonly Metric[], issuedAt?: number): number;
  /** Points dropped at the per-site cap since creation. */
  readonly dropped: number;
}

interface Stored extends ForecastPoint {
  readonly issuedAt: number;
}

/** In-memory forecasts per site; the newest issue for a valid time wins. Bounded per site. */
export function createForecastBuffer(maxPointsPerSite = 10_000): ForecastBuffer {
  const bySite = new Map<string, Stored[]>();
  let dropped = 0;
  return {
    get dropped() {
      return dropped;
    },
    add(batch, issuedAt) {
      let kept = 0;
      const earliest = batch.reduce((m, x) => Math.min(m, x.time), Number.POSITIVE_INFINITY);
      const issued = issuedAt ?? earliest - 1;
      for (const m of batch) {
        const v = m.fields['t_outdoor'];
        if (m.measurement !== 'weather' || typeof v !== 'number' || !Number.isFinite(v)) continue;
        const list = bySite.get(m.tags.id) ?? [];
        list.push({ time: m.time, outdoorC: v, issuedAt: issued });
        bySite.set(m.tags.id, list);
        kept++;
      }
      for (const list of bySite.values()) {
        list.sort((a, b) => a.time - b.time || a.issuedAt - b.issuedAt);
        if (list.length > maxPointsPerSite) {
          dropped += list.length - maxPointsPerSite;
          list.splice(0, list.length - maxPointsPerSite);
        }
      }
      return kept;
    },
    outdoor(siteId, asOf, horizonMs) {
      const list = bySite.get(siteId);
      if (list === undefined) return [];
      const out = new Map<number, Stored>();
      for (const p of list) {
        if (p.time <= asOf || p.time > asOf + horizonMs || p.issuedAt > asOf) continue;
        const prev = out.get(p.time);
        if (prev === undefined || prev.issuedAt <= p.issuedAt) out.set(p.time, p);
      }
      return [...out.values()].sort((a, b) => a.time - b.time).map((p) => ({ time: p.time, outdoorC: p.outdoorC }));
    },
  };
}

/** Linear interpolation through forecast points, persistence before the first and after the last. */
export function forecastAt(points: readonly ForecastPoint[], nowC: number, asOf: number, t: number): number {
  if (points.length === 0) return nowC;
  let prevT = asOf;
  let prevC = nowC;
  for (const p of points) {
    if (t <= p.time) return prevC + ((p.outdoorC - prevC) * (t - prevT)) / Math.max(1, p.time - prevT);
    prevT = p.time;
    prevC = p.outdoorC;
  }
  return prevC;
}
