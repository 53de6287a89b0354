// GET /api/series?entity=<kind>:<id>&fields=a,b&sensor=&from=&to=&every= — a chart's data,
// downsampled on the server (see series/load-series.ts).

import { Router } from 'express';
import type { Clock } from '../../domain/clock';
import type { NetworkModel } from '../../domain/network';
import type { TelemetryStore } from '../../store/telemetry-store';
import { parsePart } from '../parse-part';
import { loadSeries } from '../series/load-series';
import { seriesQuerySchema } from '../series/series-query-schema';

export function seriesRoute(network: NetworkModel, store: TelemetryStore, clock: Clock): Router {
  const Query = seriesQuerySchema(network, clock);
  const r = Router();
  r.get('/api/series', async (req, res) => {
    const q = parsePart('query', Query, req.query);
    res.json(await loadSeries(store, q));
  });
  return r;
}
