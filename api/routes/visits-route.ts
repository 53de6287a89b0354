// Proactive visits (未诉先办 work orders, issue 5):
//   GET  /api/visits            ?crew=&station=&compound=&status=&from=&to=&limit=&cursor=
//                               status: a loop stage (received|dispatched|resolved|supervised|followed-up),
//                               open (received or dispatched) or closed (resolved and beyond); limit ≤ 500 (default 100)
//                               → { total, items: VisitDto[], next?: cursor }   (newest issued first)
//   GET  /api/visits/:id        → VisitDto
//   POST /api/visits/:id/outcome {indoorC?: number (−10..35 °C), cause: network|in-home|none,
//                               result: fixed|escalated|nothing-to-fix, comment?: string ≤ 1000, at?: epoch ms|ISO, by?}
//                               → VisitDto (moved to resolved); an outcome already recorded → 409 CONFLICT
//   POST /api/visits/:id/advance {stage, comment?, by?} → VisitDto; backwards or a repeat → 409 CONFLICT;
//                               resolved (or later) before an outcome → 409 CONFLICT
// VisitDto = Visit (visits/visit-model.ts) + { compoundName, stationName, timeliness: { dueAt: {stage: ms},
//   overdue: stage[], late: stage[] }, overdue: boolean }. Unknown id → 404 NOT_FOUND.
// Who acted: the authenticated user when access control is on, else body.by, else 'operator'.
// Crews see and act on their own stations' visits only (another crew's visit is 404, as if absent).

import { Router, type Request } from 'express';
import { z } from 'zod';
import { requirePermission } from '../../auth/http-auth';
import { principalOf } from '../../auth/principal';
import { scopeFor, type Scope } from '../../auth/scope';
import type { Clock } from '../../domain/clock';
import { HeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import { parseReceivedAt } from '../../tickets/received-time';
import { STAGES, type LoopStage } from '../../tickets/ticket-model';
import { visitDto, type VisitDto } from '../../visits/visit-dto';
import { VISIT_CAUSES, VISIT_RESULTS, type Visit } from '../../visits/visit-model';
import type { VisitService } from '../../visits/visit-service';
import { MAX_VISIT_PAGE, type VisitCursor } from '../../visits/visit-store';
import { parsePart } from '../parse-part';

export const DEFAULT_VISIT_PAGE = 100;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const VISIT_ID = /^v-[A-Za-z0-9_-]{1,64}-\d{1,16}$/;
const STATUSES = [...STAGES, 'open', 'closed'] as const;

const Params = z.object({ id: z.string().regex(VISIT_ID, 'a visit id is v-<compound>-<episode start>') }).strict();

const time = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const t = parseReceivedAt(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${String(v).slice(0, 40)}" is not a time (epoch ms or ISO-8601)`, params: { heat: 'TIMESTAMP_INVALID' } });
    return z.NEVER;
  }
  return t;
});

const cursor = z.string().max(200).transform((v, ctx): VisitCursor => {
  const m = /^(\d{1,16}):(v-[A-Za-z0-9_-]{1,64}-\d{1,16})$/.exec(Buffer.from(v, 'base64url').toString('utf8'));
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor from a previous page' });
    return z.NEVER;
  }
  return { receivedAt: Number(m[1]), id: m[2] as string };
});

export function encodeVisitCursor(c: VisitCursor): string {
  return Buffer.from(`${c.receivedAt}:${c.id}`, 'utf8').toString('base64url');
}

function listQuery(network: NetworkModel) {
  const known = (kind: 'station' | 'compound') =>
    z
      .string()
      .regex(ID)
      .refine((id) => (kind === 'station' ? network.station(id) : network.compound(id)) !== undefined, { message: `no such ${kind} in the network model`, params: { heat: 'UNKNOWN_ENTITY' } });
  return z
    .object({
      crew: z
        .string()
        .regex(ID, 'a crew id')
        .refine((c) => network.stations.some((s) => s.crew === c), { message: 'no station has this crew', params: { heat: 'UNKNOWN_ENTITY' } })
        .optional(),
      station: known('station').optional(),
      compound: known('compound').optional(),
      status: z.enum(STATUSES).optional(),
      from: time.optional(),
      to: time.optional(),
      limit: z.coerce.number().int().min(1).max(MAX_VISIT_PAGE).default(DEFAULT_VISIT_PAGE),
      cursor: cursor.optional(),
    })
    .strict()
    .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'must be before to', path: ['from'] });
}

const Comment = z.string().trim().min(1).max(1000);
const By = z.string().trim().min(1).max(64);
const OutcomeBody = z
  .object({
    indoorC: z.number().min(-10).max(35).optional(),
    cause: z.enum(VISIT_CAUSES),
    result: z.enum(VISIT_RESULTS),
    comment: Comment.optional(),
    at: time.optional(),
    by: By.optional(),
  })
  .strict();
const AdvanceBody = z.object({ stage: z.enum(STAGES), comment: Comment.optional(), by: By.optional() }).strict();

export interface VisitsRouteOptions {
  /** Access control is on (api deps.auth): scope by crew, who = the user, writes need tickets:write. */
  readonly auth: boolean;
}

function stagesOf(status: (typeof STATUSES)[number] | undefined): readonly LoopStage[] | undefined {
  if (status === undefined) return undefined;
  if (status === 'open') return ['received', 'dispatched'];
  if (status === 'closed') return ['resolved', 'supervised', 'followed-up'];
  return [status];
}

export function visitsRoute(service: VisitService, network: NetworkModel, clock: Clock, opts: VisitsRouteOptions): Router {
  const r = Router();
  const ListQuery = listQuery(network);
  const write = opts.auth ? [requirePermission('tickets:write')] : [];
  const scope = (req: Request): Scope => scopeFor(req, !opts.auth);
  const who = (req: Request, by: string | undefined): string => principalOf(req)?.username ?? by ?? 'operator';
  const dto = (v: Visit): VisitDto => visitDto(network, v, service.timeliness(v, clock.now()));
  const visible = async (req: Request, id: string): Promise<Visit> => {
    const v = await service.get(id);
    const s = scope(req);
    if (v === undefined || (s.kind === 'stations' && !s.stations.has(v.stationId))) throw new HeatError('NOT_FOUND', `params.id: no visit ${id}`);
    return v;
  };

  r.get('/api/visits', async (req, res) => {
    const q = parsePart('query', ListQuery, req.query);
    const s = scope(req);
    const stages = stagesOf(q.status);
    const page = await service.list({
      ...(q.crew !== undefined ? { crew: q.crew } : {}),
      ...(q.station !== undefined ? { stationId: q.station } : {}),
      ...(q.compound !== undefined ? { compoundId: q.compound } : {}),
      ...(stages !== undefined ? { stages } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      ...(s.kind === 'stations' ? { stationIds: [...s.stations] } : {}),
      limit: q.limit,
      ...(q.cursor !== undefined ? { after: q.cursor } : {}),
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ total: page.total, items: page.items.map(dto), ...(page.next ? { next: encodeVisitCursor(page.next) } : {}) });
  });

  r.get('/api/visits/:id', async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    res.setHeader('Cache-Control', 'no-store');
    res.json(dto(await visible(req, id)));
  });

  r.post('/api/visits/:id/outcome', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', OutcomeBody, req.body ?? {});
    await visible(req, id);
    const v = await service.recordOutcome(
      id,
      {
        cause: b.cause,
        result: b.result,
        ...(b.indoorC !== undefined ? { indoorC: b.indoorC } : {}),
        ...(b.comment !== undefined ? { comment: b.comment } : {}),
        ...(b.at !== undefined ? { at: b.at } : {}),
      },
      who(req, b.by),
    );
    res.json(dto(v));
  });

  r.post('/api/visits/:id/advance', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', AdvanceBody, req.body ?? {});
    await visible(req, id);
    res.json(dto(await service.advance(id, b.stage, { by: who(req, b.by), ...(b.comment !== undefined ? { comment: b.comment } : {}) })));
  });

  return r;
}
