// GET /metrics — Prometheus text exposition of the shared registry (ingest, store, API, live push).

import { Router } from 'express';
import type { Registry } from 'prom-client';

export function metricsRoute(registry: Registry): Router {
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(text);
  });
  return r;
}
