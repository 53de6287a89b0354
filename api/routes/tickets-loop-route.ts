// The closed loop around tickets (issue 5), beside tickets-route.ts and mounted before it (its
// paths would otherwise be taken for ticket ids):
//   POST /api/tickets/:id/advance  {stage: dispatched|resolved|supervised|followed-up, comment?: string ≤ 1000, by?}
//                                  受理—分流—化解—督办—回访: moves the ticket forward now, noting who → TicketDto;
//                                  backwards, a repeat or an unknown stage → 409 CONFLICT / 400
//   GET  /api/tickets/incidents    ?since=&limit= → { items: TicketCluster[] }  complaints grouped by compound or
//                                  station (tickets/correlation/ticket-clusters.ts), newest first
//   GET  /api/tickets/surges       ?since=&state=open|closed|all&limit= → { items: SurgeWarning[] }  early warnings
//                                  from complaints against each area's own baseline (tickets/correlation/ticket-surge.ts)
// Who acted: the authenticated user when access control is on, else body.by, else 'operator'.

import { Router, type Request } from 'express';
import { z } from 'zod';
import { requirePermission } from '../../auth/http-auth';
import { principalOf } from '../../auth/principal';
import { scopeFor } from '../../auth/scope';
import type { Clock } from '../../domain/clock';
import { HeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import type { TicketCorrelator } from '../../tickets/correlation/correlator';
import type { LoopDeadlines } from '../../tickets/loop-deadlines';
import { canSeePersonalData, type Role } from '../../tickets/personal-data';
import { parseReceivedAt } from '../../tickets/received-time';
import { ticketDto } from '../../tickets/ticket-dto';
import type { TicketService } from '../../tickets/ticket-service';
import { parsePart } from '../parse-part';

const Params = z.object({ id: z.string().regex(/^t[0-9a-f]{20}$/, 'a ticket id is "t" and 20 hex digits') }).strict();
const Comment = z.string().trim().min(1).max(1000);
const AdvanceBody = z
  .object({ stage: z.enum(['dispatched', 'resolved', 'supervised', 'followed-up']), comment: Comment.optional(), by: z.string().trim().min(1).max(64).optional() })
  .strict();
const since = z.string().transform((v, ctx) => {
  const t = parseReceivedAt(/^\d+$/.test(v) ? Number(v) : v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 40)}" is not a time (epoch ms or ISO-8601)`, params: { heat: 'TIMESTAMP_INVALID' } });
    return z.NEVER;
  }
  return t;
});
const limit = z.coerce.number().int().min(1).max(1000).default(200);
const IncidentQuery = z.object({ since: since.optional(), limit }).strict();
const SurgeQuery = z.object({ since: since.optional(), state: z.enum(['open', 'closed', 'all']).default('all'), limit }).strict();

export interface TicketsLoopRouteOptions {
  readonly auth: boolean;
  readonly deadlines: LoopDeadlines;
  /** The caller's role for phone masking, and who may see numbers (as tickets-route.ts). */
  readonly roleOf?: (req: Request) => Role;
  readonly canSeePersonalData?: (role: Role) => boolean;
}

export function ticketsLoopRoute(service: TicketService, correlator: TicketCorrelator, network: NetworkModel, clock: Clock, opts: TicketsLoopRouteOptions): Router {
  const r = Router();
  const write = opts.auth ? [requirePermission('tickets:write')] : [];
  const roleOf = opts.roleOf ?? (() => 'anonymous' as const);
  const policy = opts.canSeePersonalData ?? canSeePersonalData;
  const stationsOf = (req: Request): ReadonlySet<string> | undefined => {
    const s = scopeFor(req, !opts.auth);
    return s.kind === 'stations' ? s.stations : undefined;
  };

  r.post('/api/tickets/:id/advance', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', AdvanceBody, req.body ?? {});
    const t = await service.get(id);
    const scoped = stationsOf(req);
    if (t === undefined || (scoped !== undefined && !scoped.has(t.resolution.stationId ?? ''))) throw new HeatError('NOT_FOUND', `params.id: no ticket ${id}`);
    const by = principalOf(req)?.username ?? b.by ?? 'operator';
    const after = await service.advance(id, b.stage, { by, ...(b.comment !== undefined ? { comment: b.comment } : {}) });
    res.json(ticketDto(network, after, roleOf(req), policy, { deadlines: opts.deadlines, now: clock.now() }));
  });

  r.get('/api/tickets/incidents', (req, res) => {
    const q = parsePart('query', IncidentQuery, req.query);
    const scoped = stationsOf(req);
    const items = correlator.clusters(q.since).filter((c) => scoped === undefined || scoped.has(c.stationId));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: items.slice(0, q.limit) });
  });

  r.get('/api/tickets/surges', (req, res) => {
    const q = parsePart('query', SurgeQuery, req.query);
    const scoped = stationsOf(req);
    const items = correlator.surges(q.since).filter((w) => (q.state === 'all' || w.state === q.state) && (scoped === undefined || scoped.has(w.stationId)));
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: items.slice(0, q.limit) });
  });

  return r;
}
