// Self-metrics of the HTTP API: requests by method, route pattern and status, and latency.
// The route label is the express pattern (`/api/stations/:id`), never the raw path, so that
// label cardinality stays bounded whatever clients ask for.

import type { RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  readonly middleware: RequestHandler;
}

export function createHttpMetrics(registry: Registry, now: () => number = () => performance.now()): HttpMetrics {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests =
    (registry.getSingleMetric('heat_http_requests_total') as Counter<(typeof labelNames)[number]> | undefined) ??
    new Counter({ name: 'heat_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status', labelNames, registers: [registry] });
  const duration =
    (registry.getSingleMetric('heat_http_request_duration_seconds') as Histogram<(typeof labelNames)[number]> | undefined) ??
    new Histogram({
      name: 'heat_http_request_duration_seconds',
      help: 'HTTP request latency, seconds, by method, route pattern and status',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });

  const middleware: RequestHandler = (req, res, next) => {
    const start = now();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req.baseUrl ?? '', req.route, req.originalUrl), status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, (now() - start) / 1000);
    });
    next();
  };
  return { middleware };
}

function routeLabel(baseUrl: string, route: unknown, originalUrl: string): string {
  const p = typeof route === 'object' && route !== null && 'path' in route ? (route as { path: unknown }).path : undefined;
  if (typeof p === 'string') return baseUrl + p;
  // Static files and unmatched paths share one label each: a scanner cannot blow up cardinality.
  return originalUrl.startsWith('/api/') ? 'unmatched' : 'static';
}
