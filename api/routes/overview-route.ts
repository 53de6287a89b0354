// GET /api/overview — the whole network at a glance, for the dashboard's overview page: the latest
// few values of every station and compound (coldest indoor sensor, fresh sensors only), the
// outdoor temperature of every weather site, and the households estimated below 18 °C.
// Crews get their own stations only (auth/scope.ts). One store round trip per entity kind, so the
// first view of 83 stations needs one request.
// GET /api/signals — units and zh/en names of every signal rules read (rules/signals.ts), so the
// page can show an alert's value and evidence with units.

import { Router } from 'express';
import type { Clock } from '../../domain/clock';
import type { NetworkModel } from '../../domain/network';
import { allowsStation, scopeFor } from '../../auth/scope';
import type { TelemetryStore } from '../../store/telemetry-store';
import { SIGNALS } from '../../rules/signals';
import type { OverviewDto, SignalCatalogueDto } from './overview-dto';
import { compoundGlances, DEFAULT_FRESH_MS, estimateBelow18, stationGlances } from './overview-estimate';

export interface OverviewRouteOptions {
  /** An API without access control (tests of the API alone): every station is visible. */
  readonly open?: boolean;
  /** Indoor readings older than this are left out of the estimate, ms (default 3 h). */
  readonly freshMs?: number;
}

export function overviewRoute(network: NetworkModel, store: TelemetryStore, clock: Clock, opts: OverviewRouteOptions = {}): Router {
  const freshMs = opts.freshMs ?? DEFAULT_FRESH_MS;
  const r = Router();
  r.get('/api/overview', async (req, res) => {
    const scope = scopeFor(req, opts.open ?? false);
    const stations = network.stations.filter((s) => allowsStation(scope, s.id));
    const compounds = stations.flatMap((s) => network.compoundsOf(s.id));
    const siteIds = [...new Set(stations.map((s) => s.weatherSiteId))];
    const now = clock.now();
    const [sLatest, cLatest, wLatest] = await Promise.all([
      stations.length > 0 ? store.latest('station', stations.map((s) => s.id)) : Promise.resolve([]),
      compounds.length > 0 ? store.latest('compound', compounds.map((c) => c.id)) : Promise.resolve([]),
      siteIds.length > 0 ? store.latest('weather', siteIds) : Promise.resolve([]),
    ]);
    const cGlances = compoundGlances(cLatest, now, freshMs);
    const weather: Record<string, { t_outdoor?: number; time?: number }> = {};
    for (const v of wLatest) if (v.field === 't_outdoor' && typeof v.value === 'number') weather[v.id] = { t_outdoor: v.value, time: v.time };
    const body: OverviewDto = {
      now,
      stations: stationGlances(sLatest),
      compounds: cGlances,
      weather,
      below18: estimateBelow18(compounds, cGlances, freshMs),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });
  const signals: SignalCatalogueDto = Object.fromEntries(
    Object.entries(SIGNALS).map(([scope, defs]) => [scope, Object.fromEntries(Object.entries(defs).map(([name, d]) => [name, { unit: d.unit, zh: d.zh, en: d.en }]))]),
  );
  r.get('/api/signals', (_req, res) => {
    res.json(signals);
  });
  return r;
}
