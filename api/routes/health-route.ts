// GET /healthz — 200 when every check is ok, 503 otherwise; JSON says which check failed and why.
// A check that throws or does not answer within the timeout counts as failed.

import { Router } from 'express';
import type { HealthDto } from '../dto';

export type HealthChecks = () => Promise<Record<string, { ok: boolean; detail?: string }>>;

export function healthRoute(health: HealthChecks, timeoutMs = 5_000): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    let checks: HealthDto['checks'];
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`health checks did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      checks = await Promise.race([health(), timeout]);
    } catch (e) {
      checks = { health: { ok: false, detail: e instanceof Error ? e.message : String(e) } };
    } finally {
      clearTimeout(timer);
    }
    const body: HealthDto = { ok: Object.values(checks).every((c) => c.ok), checks };
    res.setHeader('Cache-Control', 'no-store');
    res.status(body.ok ? 200 : 503).json(body);
  });
  return r;
}
