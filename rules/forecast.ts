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
   * Add one issue of forecasts: weather Metrics whose `time` is the valid time (in the future of
   * the stream) and `fields.t_outdoor` the forecast value, one issue per site in the batch.
   * `issuedAt` (default: the earliest valid time minus one ms) keeps a replay from seeing a
   * forecast before it was issued. Returns how many points were kept.
   */
  add(batch: readonly Metric[], issuedAt?: number): number;
  /** Issues dropped at the per-site cap since creation. */
  readonly dropped: number;
}

interface Issue {
  readonly issuedAt: number;
  /** Ascending by time. */
  readonly points: readonly ForecastPoint[];
}

/**
 * In-memory forecasts: per site the newest issues (bounded), each a list of points. A query
 * answers from the newest issue issued at or before `asOf` — a step or two back from the end
 * of the list, so O(points of one issue).
 */
export function createForecastBuffer(maxIssuesPerSite = 72): ForecastBuffer {
  const bySite = new Map<string, Issue[]>();
  let dropped = 0;
  return {
    get dropped() {
      return dropped;
    },
    add(batch, issuedAt) {
      const earliest = batch.reduce((m, x) => Math.min(m, x.time), Number.POSITIVE_INFINITY);
      const issued = issuedAt ?? earliest - 1;
      const perSite = new Map<string, ForecastPoint[]>();
      for (const m of batch) {
        const v = m.fields['t_outdoor'];
        if (m.measurement !== 'weather' || typeof v !== 'number' || !Number.isFinite(v)) continue;
        const list = perSite.get(m.tags.id) ?? [];
        list.push({ time: m.time, outdoorC: v });
        perSite.set(m.tags.id, list);
      }
      let kept = 0;
      for (const [site, points] of perSite) {
        points.sort((a, b) => a.time - b.time);
        const issues = bySite.get(site) ?? [];
        issues.push({ issuedAt: issued, points });
        issues.sort((a, b) => a.issuedAt - b.issuedAt);
        if (issues.length > maxIssuesPerSite) {
          dropped += issues.length - maxIssuesPerSite;
          issues.splice(0, issues.length - maxIssuesPerSite);
        }
        bySite.set(site, issues);
        kept += points.length;
      }
      return kept;
    },
    outdoor(siteId, asOf, horizonMs) {
      const issues = bySite.get(siteId);
      if (issues === undefined) return [];
      for (let i = issues.length - 1; i >= 0; i--) {
        const issue = issues[i];
        if (issue === undefined || issue.issuedAt > asOf) continue;
        return issue.points.filter((p) => p.time > asOf && p.time <= asOf + horizonMs);
      }
      return [];
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
