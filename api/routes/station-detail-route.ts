// GET /api/stations/:id/curve?from=&to= — the station's weather-compensation curve (network model)
// against what it actually did: secondary supply temperature over outdoor temperature, both as
// bucket means of the same instants (so a scatter never gets more than MAX_POINTS points).
// Default range: the last 7 days of the server clock. Crews: their own stations only.

import { Router } from 'express';
import { z } from 'zod';
import { assertEntityInScope, scopeFor } from '../../auth/scope';
import type { Clock } from '../../domain/clock';
import { compensationSetpoint } from '../../domain/compensation';
import { HeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import type { TelemetryStore } from '../../store/telemetry-store';
import { parsePart } from '../parse-part';
import { MAX_POINTS, pickBucket } from '../series/bucket';
import type { CurveDto } from './overview-dto';

const DEFAULT_RANGE_MS = 7 * 86_400_000;
const MAX_RANGE_MS = 366 * 86_400_000;
/** Finest pairing bucket: outdoor and supply readings rarely share exact timestamps. */
const MIN_BUCKET_MS = 5 * 60_000;

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a station id is 1–64 characters of A–Z, a–z, 0–9, _ and -') });
const instant = z.string().regex(/^\d{1,16}$/, 'epoch milliseconds').transform(Number);
const Query = z
  .object({ from: instant.optional(), to: instant.optional() })
  .strict();

export interface StationDetailRouteOptions {
  /** An API without access control (tests of the API alone): every station is visible. */
  readonly open?: boolean;
}

/** The curve as a polyline from `lo` to `hi` °C outdoor, with its clip corners. */
export function curveLine(curve: CurveDto['curve'], lo: number, hi: number): [number, number][] {
  const xs = new Set<number>([lo, hi]);
  const [warm, cold] = curve.outdoorC;
  const [atWarm, atCold] = curve.supplyC;
  const slope = (atCold - atWarm) / (cold - warm);
  // Where the straight part meets the clip limits.
  for (const limit of [curve.minC, curve.maxC]) {
    const x = warm + (limit - atWarm) / slope;
    if (Number.isFinite(x) && x > lo && x < hi) xs.add(x);
  }
  const full = { outdoorC: [warm, cold] as [number, number], supplyC: [atWarm, atCold] as [number, number], minC: curve.minC, maxC: curve.maxC };
  return [...xs].sort((a, b) => a - b).map((x) => [x, compensationSetpoint(full, x)]);
}

export function stationDetailRoute(network: NetworkModel, store: TelemetryStore, clock: Clock, opts: StationDetailRouteOptions = {}): Router {
  const r = Router();
  r.get('/api/stations/:id/curve', async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const q = parsePart('query', Query, req.query);
    const station = network.station(id);
    if (station === undefined) throw new HeatError('NOT_FOUND', `params.id: no station "${id}" in the network model`);
    assertEntityInScope(scopeFor(req, opts.open ?? false), network, 'station', id, 'params.id');
    const to = q.to ?? clock.now();
    const from = q.from ?? to - DEFAULT_RANGE_MS;
    if (from >= to) throw new HeatError('BAD_REQUEST', 'query.from: must be before to');
    if (to - from > MAX_RANGE_MS) throw new HeatError('BAD_REQUEST', `query.from: range is longer than ${MAX_RANGE_MS / 86_400_000} days`);
    const everyMs = pickBucket(from, to, MIN_BUCKET_MS, MAX_POINTS);
    const [supply, outdoor] = await Promise.all([
      store.aggregate({ measurement: 'station', id, fields: ['t2_supply'], from, to }, everyMs),
      store.aggregate({ measurement: 'weather', id: station.weatherSiteId, fields: ['t_outdoor'], from, to }, everyMs),
    ]);
    const outdoorAt = new Map((outdoor[0]?.points ?? []).map((p) => [p.time, p.mean]));
    const points: [number, number, number][] = [];
    for (const p of supply[0]?.points ?? []) {
      const x = outdoorAt.get(p.time);
      if (x !== undefined) points.push([x, p.mean, p.time]);
    }
    // The line spans the curve's own points and every outdoor temperature seen, with a margin.
    const xs = [...station.curve.outdoorC, ...points.map((p) => p[0])];
    const lo = Math.floor(Math.min(...xs)) - 2;
    const hi = Math.ceil(Math.max(...xs)) + 2;
    const body: CurveDto = { stationId: id, curve: station.curve, line: curveLine(station.curve, lo, hi), points, from, to, everyMs };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });
  return r;
}
