// Pure summaries for the overview: the latest values of each station and compound, and the
// number of households estimated below 18 °C (GB/T 33833-2017's minimum) from the latest indoor
// readings. A compound's sensors stand for its homes: households × the share of its fresh
// sensors below 18 °C. Stale sensors (older than `freshMs` before now) are left out, so a dead
// gateway does not keep a compound "cold" (or "warm") for ever.

import type { CompoundView } from '../../domain/network';
import type { LatestValue } from '../../store/telemetry-store';
import type { Below18EstimateDto, CompoundGlanceDto, StationGlanceDto } from './overview-dto';

export const COMFORT_MIN_C = 18;
export const DEFAULT_FRESH_MS = 3 * 3_600_000;

const STATION_FIELDS = ['t2_supply', 't2_return', 't2_supply_sp', 'flow2'] as const;
const COMPOUND_FIELDS = ['t_supply', 't_return', 'dp'] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function stationGlances(values: readonly LatestValue[]): Record<string, StationGlanceDto> {
  const out: Record<string, Mutable<StationGlanceDto>> = {};
  for (const v of values) {
    const g = (out[v.id] ??= {});
    if (v.field === 'pump_state') g.pump_state = v.value;
    else if ((STATION_FIELDS as readonly string[]).includes(v.field) && typeof v.value === 'number') g[v.field as (typeof STATION_FIELDS)[number]] = v.value;
    else continue;
    g.time = Math.max(g.time ?? 0, v.time);
  }
  return out;
}

export function compoundGlances(values: readonly LatestValue[], now: number, freshMs = DEFAULT_FRESH_MS): Record<string, CompoundGlanceDto> {
  const acc = new Map<string, { g: Mutable<CompoundGlanceDto>; indoor: number[] }>();
  for (const v of values) {
    let a = acc.get(v.id);
    if (a === undefined) {
      a = { g: { sensors: 0, sensorsBelow18: 0 }, indoor: [] };
      acc.set(v.id, a);
    }
    if (typeof v.value !== 'number') continue;
    if (v.field === 't_indoor') {
      if (now - v.time > freshMs) continue;
      a.indoor.push(v.value);
    } else if ((COMPOUND_FIELDS as readonly string[]).includes(v.field)) {
      a.g[v.field as (typeof COMPOUND_FIELDS)[number]] = v.value;
    } else continue;
    a.g.time = Math.max(a.g.time ?? 0, v.time);
  }
  const out: Record<string, CompoundGlanceDto> = {};
  for (const [id, { g, indoor }] of acc) {
    if (indoor.length > 0) {
      g.indoorMin = Math.min(...indoor);
      g.indoorMean = indoor.reduce((s, x) => s + x, 0) / indoor.length;
      g.sensors = indoor.length;
      g.sensorsBelow18 = indoor.filter((x) => x < COMFORT_MIN_C).length;
    }
    out[id] = g;
  }
  return out;
}

export function estimateBelow18(compounds: readonly CompoundView[], glances: Readonly<Record<string, CompoundGlanceDto>>, freshMs = DEFAULT_FRESH_MS): Below18EstimateDto {
  let households = 0;
  let cold = 0;
  let covered = 0;
  let total = 0;
  for (const c of compounds) {
    total += c.households;
    const g = glances[c.id];
    if (g === undefined || g.sensors === 0) continue;
    covered += c.households;
    if (g.sensorsBelow18 > 0) cold++;
    households += Math.round((c.households * g.sensorsBelow18) / g.sensors);
  }
  return { households, compounds: cold, coveredHouseholds: covered, totalHouseholds: total, freshMs };
}
