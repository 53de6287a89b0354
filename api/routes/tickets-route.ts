// Hotline tickets (issue 5):
//   POST /api/tickets                 one ticket (JSON); 201 with its resolution, 200 for a repeat,
//                                     409 CONFLICT for the same external id with other content
//   GET  /api/tickets                 ?from=&to=&compound=&station=&category=&status=&review=&verdict=&visit=&limit=&cursor=
//   GET  /api/tickets/queue           the human queue, oldest first (?limit=&cursor=)
//   GET  /api/tickets/:id             one ticket
//   POST /api/tickets/:id/confirm     {compoundId, buildingId?, unit?, room?, category?}: a person
//                                     settles the place; the spelling is learned
// `status` is the closed-loop stage (received, dispatched, …), `review` the resolution state,
// `verdict` the correlation (explained|unexplained|not-applicable|unplaced), `visit` a visit id.
// Each ticket carries `correlation` (verdict, the explaining alert and the others, suggestion,
// window, cluster) and `visitId` when it has them, and `timeliness` ({dueAt, overdue, late} of the
// closed loop) when the route is given the deadlines. Closed-loop moves, ticket incidents and
// surges: tickets-loop-route.ts.
// Phone numbers leave masked unless `canSeePersonalData(roleOf(req))` (tickets/personal-data.ts).
// With access control on (`auth`), a crew sees and settles only tickets placed at its own stations
// (auth/scope.ts): another crew's ticket is 404, as if absent; asking for another crew's station or
// compound is 403. Tickets not placed anywhere are the control room's queue, not a crew's.
// Every request part is parsed by one zod schema, compiled here once.

import { Router, type Request } from 'express';
import type { Clock } from '../../domain/clock';
import { z } from 'zod';
import { HeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import { canSeePersonalData, type Role } from '../../tickets/personal-data';
import { parseReceivedAt } from '../../tickets/received-time';
import { ticketDto } from '../../tickets/ticket-dto';
import { CATEGORIES, REVIEW_STATUSES, STAGES, VERDICTS, type TicketRecord } from '../../tickets/ticket-model';
import type { LoopDeadlines } from '../../tickets/loop-deadlines';
import { ticketIntakeSchema } from '../../tickets/ticket-schema';
import type { TicketService } from '../../tickets/ticket-service';
import { MAX_PAGE, type TicketCursor } from '../../tickets/ticket-store';
import { assertEntityInScope, scopeFor, type Scope } from '../../auth/scope';
import { parsePart } from '../parse-part';

export interface TicketRouteOptions {
  /** The caller's role; until real auth exists every request is 'anonymous'. */
  readonly roleOf?: (req: Request) => Role;
  /** Who sees phone numbers unmasked (default: tickets/personal-data.ts canSeePersonalData). */
  readonly canSeePersonalData?: (role: Role) => boolean;
  /** Closed-loop deadlines: tickets then carry their overdue flags. */
  readonly deadlines?: LoopDeadlines;
  /** Access control is on (api deps.auth): scope every read and the confirmation by crew. */
  readonly auth?: boolean;
}

export const DEFAULT_PAGE = 100;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const Params = z.object({ id: z.string().regex(/^t[0-9a-f]{20}$/, 'a ticket id is "t" and 20 hex digits') });

const time = z.string().transform((v, ctx) => {
  const t = parseReceivedAt(/^\d+$/.test(v) ? Number(v) : v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 40)}" is not a time (epoch ms or ISO-8601)`, params: { heat: 'TIMESTAMP_INVALID' } });
    return z.NEVER;
  }
  return t;
});

const limit = z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE);

const cursor = z.string().max(200).transform((v, ctx): TicketCursor => {
  const m = /^(\d{1,16}):(t[0-9a-f]{20})$/.exec(Buffer.from(v, 'base64url').toString('utf8'));
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor from a previous page' });
    return z.NEVER;
  }
  return { receivedAt: Number(m[1]), id: m[2] as string };
});

export function encodeCursor(c: TicketCursor): string {
  return Buffer.from(`${c.receivedAt}:${c.id}`, 'utf8').toString('base64url');
}

function listQuery(network: NetworkModel) {
  return z
    .object({
      from: time.optional(),
      to: time.optional(),
      compound: z
        .string()
        .regex(ID)
        .refine((id) => network.compound(id) !== undefined, { message: 'no such compound in the network model', params: { heat: 'UNKNOWN_ENTITY' } })
        .optional(),
      station: z
        .string()
        .regex(ID)
        .refine((id) => network.station(id) !== undefined, { message: 'no such station in the network model', params: { heat: 'UNKNOWN_ENTITY' } })
        .optional(),
      category: z.enum(CATEGORIES).optional(),
      status: z.enum(STAGES).optional(),
      review: z.enum(REVIEW_STATUSES).optional(),
      verdict: z.enum(VERDICTS).optional(),
      visit: z.string().regex(/^v-[A-Za-z0-9_-]{1,64}-\d{1,16}$/, 'a visit id').optional(),
      limit,
      cursor: cursor.optional(),
    })
    .strict()
    .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be before to', path: ['from'] });
}

const QueueQuery = z.object({ limit, cursor: cursor.optional() }).strict();

const ConfirmBody = z
  .object({
    compoundId: z.string().regex(ID, 'a compound id'),
    buildingId: z.string().regex(ID, 'a building id').optional(),
    unit: z.number().int().min(1).max(99).optional(),
    room: z.string().regex(/^\d{1,5}$/, 'digits, e.g. "501"').optional(),
    category: z.enum(CATEGORIES).optional(),
  })
  .strict();

export function ticketsRoute(service: TicketService, network: NetworkModel, clock: Clock, opts: TicketRouteOptions = {}): Router {
  const roleOf = opts.roleOf ?? (() => 'anonymous' as const);
  const policy = opts.canSeePersonalData ?? canSeePersonalData;
  const Intake = ticketIntakeSchema(clock);
  const ListQuery = listQuery(network);
  const deadlines = opts.deadlines;
  const dto = (req: Request, t: TicketRecord) => ticketDto(network, t, roleOf(req), policy, deadlines === undefined ? undefined : { deadlines, now: clock.now() });
  const scope = (req: Request): Scope => scopeFor(req, !opts.auth);
  /** The crew's stations as a store filter; undefined for roles that see everything. */
  const stationFilter = (s: Scope): { stationIds?: readonly string[] } => (s.kind === 'all' ? {} : { stationIds: [...s.stations] });
  const visible = (s: Scope, t: TicketRecord): boolean => s.kind === 'all' || (t.resolution.stationId !== undefined && s.stations.has(t.resolution.stationId));
  const r = Router();

  r.post('/api/tickets', async (req, res) => {
    const body = parsePart('body', Intake, req.body ?? {});
    const [result] = await service.intake([body], 'api');
    if (result === undefined) throw new HeatError('INTERNAL', 'intake returned no result');
    if (result.outcome === 'conflict') {
      throw new HeatError('CONFLICT', `body.externalId: ticket "${result.externalId}" was received before with other content; the first is kept (${result.id})`);
    }
    const stored = result.outcome === 'created' ? result.understood : await service.get(result.id);
    if (stored === undefined) throw new HeatError('INTERNAL', `ticket ${result.id} not found after intake`);
    res.status(result.outcome === 'created' ? 201 : 200).json({ outcome: result.outcome, ticket: dto(req, stored) });
  });

  r.get('/api/tickets', async (req, res) => {
    const q = parsePart('query', ListQuery, req.query);
    const s = scope(req);
    if (q.station !== undefined) assertEntityInScope(s, network, 'station', q.station, 'query.station');
    if (q.compound !== undefined) assertEntityInScope(s, network, 'compound', q.compound, 'query.compound');
    const page = await service.list({
      ...stationFilter(s),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      ...(q.compound !== undefined ? { compoundId: q.compound } : {}),
      ...(q.station !== undefined ? { stationId: q.station } : {}),
      ...(q.category !== undefined ? { category: q.category } : {}),
      ...(q.status !== undefined ? { stage: q.status } : {}),
      ...(q.review !== undefined ? { review: q.review } : {}),
      ...(q.verdict !== undefined ? { verdict: q.verdict } : {}),
      ...(q.visit !== undefined ? { visitId: q.visit } : {}),
      limit: q.limit,
      ...(q.cursor !== undefined ? { after: q.cursor } : {}),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ total: page.total, items: page.items.map((t) => dto(req, t)), ...(page.next ? { next: encodeCursor(page.next) } : {}) });
  });

  r.get('/api/tickets/queue', async (req, res) => {
    const q = parsePart('query', QueueQuery, req.query);
    const page = await service.queue(q.limit, q.cursor, stationFilter(scope(req)).stationIds);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ total: page.total, items: page.items.map((t) => dto(req, t)), ...(page.next ? { next: encodeCursor(page.next) } : {}) });
  });

  r.get('/api/tickets/:id', async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const t = await service.get(id);
    if (t === undefined || !visible(scope(req), t)) throw new HeatError('NOT_FOUND', `params.id: no ticket ${id}`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(dto(req, t));
  });

  r.post('/api/tickets/:id/confirm', async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const body = parsePart('body', ConfirmBody, req.body ?? {});
    const s = scope(req);
    if (s.kind !== 'all') {
      const t = await service.get(id);
      if (t === undefined || !visible(s, t)) throw new HeatError('NOT_FOUND', `params.id: no ticket ${id}`);
      if (network.compound(body.compoundId) !== undefined) assertEntityInScope(s, network, 'compound', body.compoundId, 'body.compoundId');
    }
    const out = await service.confirm(id, body);
    res.json({
      ticket: dto(req, out.ticket),
      ...(out.learned !== undefined ? { learned: out.learned } : {}),
      ...(out.notLearned !== undefined ? { notLearned: out.notLearned } : {}),
      alsoResolved: out.alsoResolved,
    });
  });

  return r;
}
