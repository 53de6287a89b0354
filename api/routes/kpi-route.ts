// KPIs of complaints and proactive service (issue 5):
//   GET /api/kpi ?from=&to= (epoch ms or ISO-8601; default the last 7 days up to now; at most 400 days)
//                &groupBy=day|station|network (default day; days in Asia/Shanghai)
//   → { from, to, groupBy, generatedAt, rows: KpiRow[], total: KpiRow }
// KpiRow = { key, name, households, heatingTickets, ticketsPer10kHouseholds, episodes, visitedFirst,
//   ticketFirst, proactiveRate (未诉先办率), medianLeadMs, visits, dispatched, medianDispatchMs, resolved,
//   medianResolveMs, correlated, explained, explainedShare } (visits/kpi/compute-kpis.ts); ratios in [0, 1],
//   null where nothing was counted. Needs reports:read when access control is on (crews do not read it).

import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../../auth/http-auth';
import type { Clock } from '../../domain/clock';
import { HeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import { parseReceivedAt } from '../../tickets/received-time';
import type { TicketStore } from '../../tickets/ticket-store';
import { computeKpis, KPI_GROUPS } from '../../visits/kpi/compute-kpis';
import { loadKpiData } from '../../visits/kpi/load-kpi-data';
import type { VisitStore } from '../../visits/visit-store';
import { parsePart } from '../parse-part';

const DAY = 86_400_000;
export const DEFAULT_KPI_RANGE_MS = 7 * DAY;
export const MAX_KPI_RANGE_MS = 400 * DAY;

const time = z.string().transform((v, ctx) => {
  const t = parseReceivedAt(/^\d+$/.test(v) ? Number(v) : v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 40)}" is not a time (epoch ms or ISO-8601)`, params: { heat: 'TIMESTAMP_INVALID' } });
    return z.NEVER;
  }
  return t;
});

const Query = z.object({ from: time.optional(), to: time.optional(), groupBy: z.enum(KPI_GROUPS).default('day') }).strict();

export interface KpiRouteOptions {
  readonly auth: boolean;
}

export function kpiRoute(tickets: TicketStore, visits: VisitStore, network: NetworkModel, clock: Clock, opts: KpiRouteOptions): Router {
  const r = Router();
  const guard = opts.auth ? [requirePermission('reports:read')] : [];
  r.get('/api/kpi', ...guard, async (req, res) => {
    const q = parsePart('query', Query, req.query);
    const to = q.to ?? clock.now();
    const from = q.from ?? to - DEFAULT_KPI_RANGE_MS;
    if (!(from < to)) throw new HeatError('BAD_REQUEST', 'query.from: must be before to');
    if (to - from > MAX_KPI_RANGE_MS) throw new HeatError('BAD_REQUEST', `query.from: the range is at most ${MAX_KPI_RANGE_MS / DAY} days`);
    const data = await loadKpiData(tickets, visits, from, to);
    const report = computeKpis({ network, groupBy: q.groupBy, ...data });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ from, to, groupBy: report.groupBy, generatedAt: clock.now(), rows: report.rows, total: report.total });
  });
  return r;
}
