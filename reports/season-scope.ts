// A crew sees the season report of its own stations only (auth/scope.ts): rows of other stations
// and the primary-network totals (which sum other crews' stations) are left out.

import { allowsStation, type Scope } from '../auth/scope';
import type { SeasonComparison, SeasonReport } from './season-model';

export function scopeReport(r: SeasonReport, scope: Scope): SeasonReport {
  if (scope.kind === 'all') return r;
  const ok = (stationId: string): boolean => allowsStation(scope, stationId);
  const compounds = r.compounds.filter((c) => ok(c.stationId));
  return {
    ...r,
    compounds,
    stations: r.stations.filter((s) => ok(s.id)),
    networks: [],
    candidates: r.candidates.filter((c) => ok(c.stationId)).map((c, i) => ({ ...c, rank: i + 1 })),
  };
}

export function scopeComparison(c: SeasonComparison, r: SeasonReport, scope: Scope): SeasonComparison {
  if (scope.kind === 'all') return c;
  const allowed = new Set(scopeReport(r, scope).compounds.map((x) => x.id));
  return { ...c, rows: c.rows.filter((x) => allowed.has(x.compoundId)) };
}
