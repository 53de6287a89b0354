// Alerts and incidents (issue 4):
//   GET  /api/alerts            ?state=open|acknowledged|shelved|suppressed|cleared|active (default active; a
//                               comma list is accepted) &severity= (comma list) &category=&rule=&station=
//                               &network=&crew=&limit= (default 200, max 1000) → { items: Alert[], total }
//   GET  /api/alerts/summary    → { open, active, acknowledged, bySeverity, byStation, byCompound, incidents }
//   GET  /api/alerts/:id        → Alert
//   GET  /api/incidents         ?active=true&limit= → { items: Incident[] }
//   POST /api/alerts/:id/acknowledge {by?, comment?} | /comment {comment} | /shelve {minutes, comment?}
//        | /clear {comment?} → the updated Alert; a cleared alert → 409 CONFLICT, unknown id → 404
// Alert ids hold '/' and '@' (`pump-trip@station/xingfu@1736…`): clients encodeURIComponent them.
// Who acted: the authenticated user when access control is on, else body.by, else 'operator'.
// Crews see and act on their own stations' alerts only (another crew's alert is 404, as if absent).

import { Router, type Request } from 'express';
import { z } from 'zod';
import { principalOf } from '../../auth/principal';
import { requirePermission } from '../../auth/http-auth';
import { scopeFor } from '../../auth/scope';
import type { NetworkModel } from '../../domain/network';
import type { AlertScope, AlertService } from '../../rules/alert-service';
import { STATE_FILTERS } from '../../rules/alert-service';
import { CATEGORIES } from '../../rules/rule-schema';
import { SEVERITIES } from '../../rules/severity';
import { parsePart } from '../parse-part';

export const DEFAULT_ALERT_LIMIT = 200;
export const MAX_ALERT_LIMIT = 1000;
/** Shelving longer than a day is refused here (the engine caps it too): ISA-18.2 wants it time-limited. */
export const MAX_SHELVE_MINUTES = 24 * 60;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ALERT_ID = /^[a-z0-9-]{1,64}@(station|compound|weather|primary)\/[A-Za-z0-9_-]{1,64}@-?\d{1,16}$/;

const Params = z.object({ id: z.string().regex(ALERT_ID, 'an alert id is <rule>@<kind>/<entity>@<openedAt> (URL-encoded)') }).strict();

/** `a,b` → ['a', 'b'], each checked against the allowed values. */
function commaList<T extends string>(values: readonly [T, ...T[]]) {
  return z
    .string()
    .max(200)
    .transform((v) => v.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
    .pipe(z.array(z.enum(values)).min(1, `one or more of ${values.join(', ')}`));
}

function listQuery(network: NetworkModel) {
  return z
    .object({
      state: commaList(STATE_FILTERS).default(['active']),
      severity: commaList(SEVERITIES).optional(),
      category: z.enum(CATEGORIES).optional(),
      rule: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a rule id').optional(),
      station: z
        .string()
        .regex(ID)
        .refine((id) => network.station(id) !== undefined, { message: 'no such station in the network model', params: { heat: 'UNKNOWN_ENTITY' } })
        .optional(),
      network: z
        .string()
        .regex(ID)
        .refine((id) => network.primaryNetwork(id) !== undefined, { message: 'no such primary network in the network model', params: { heat: 'UNKNOWN_ENTITY' } })
        .optional(),
      crew: z.string().regex(ID, 'a crew id').optional(),
      limit: z.coerce.number().int().min(1).max(MAX_ALERT_LIMIT).default(DEFAULT_ALERT_LIMIT),
    })
    .strict();
}

const IncidentQuery = z
  .object({
    active: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
    limit: z.coerce.number().int().min(1).max(MAX_ALERT_LIMIT).default(DEFAULT_ALERT_LIMIT),
  })
  .strict();

const Comment = z.string().trim().min(1).max(1000);
/** An optional comment left empty in a form is no comment. */
const OptionalComment = z
  .string()
  .trim()
  .max(1000)
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const By = z.string().trim().min(1).max(64);
const AckBody = z.object({ by: By.optional(), comment: OptionalComment }).strict();
const CommentBody = z.object({ by: By.optional(), comment: Comment }).strict();
const ShelveBody = z.object({ by: By.optional(), minutes: z.number().int().min(1).max(MAX_SHELVE_MINUTES), comment: OptionalComment }).strict();
const ClearBody = z.object({ by: By.optional(), comment: OptionalComment }).strict();

export interface AlertsRouteOptions {
  /** Access control is on (api deps.auth): scope by crew, who = the user, writes need alerts:write. */
  readonly auth: boolean;
}

export function alertScopeOf(req: Request, auth: boolean): AlertScope {
  const s = scopeFor(req, !auth);
  if (s.kind === 'all') return { kind: 'all' };
  return { kind: 'crew', crew: principalOf(req)?.crewId, stations: s.stations };
}

function who(req: Request, by: string | undefined): string {
  return principalOf(req)?.username ?? by ?? 'operator';
}

export function alertsRoute(service: AlertService, network: NetworkModel, opts: AlertsRouteOptions): Router {
  const r = Router();
  const ListQuery = listQuery(network);
  const scope = (req: Request): AlertScope => alertScopeOf(req, opts.auth);
  const write = opts.auth ? [requirePermission('alerts:write')] : [];

  r.get('/api/alerts', async (req, res) => {
    const q = parsePart('query', ListQuery, req.query);
    const page = await service.list(
      {
        states: q.state,
        limit: q.limit,
        ...(q.severity === undefined ? {} : { severities: q.severity }),
        ...(q.category === undefined ? {} : { category: q.category }),
        ...(q.rule === undefined ? {} : { ruleId: q.rule }),
        ...(q.station === undefined ? {} : { stationId: q.station }),
        ...(q.network === undefined ? {} : { primaryNetworkId: q.network }),
        ...(q.crew === undefined ? {} : { crew: q.crew }),
      },
      scope(req),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json(page);
  });

  r.get('/api/alerts/summary', (req, res) => {
    parsePart('query', z.object({}).strict(), req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.json(service.summary(scope(req)));
  });

  r.get('/api/alerts/:id', async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await service.get(id, scope(req)));
  });

  r.get('/api/incidents', async (req, res) => {
    const q = parsePart('query', IncidentQuery, req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: await service.incidents(q.active, scope(req), q.limit) });
  });

  r.post('/api/alerts/:id/acknowledge', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', AckBody, req.body ?? {});
    res.json(await service.acknowledge(id, who(req, b.by), scope(req), b.comment));
  });

  r.post('/api/alerts/:id/comment', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', CommentBody, req.body ?? {});
    res.json(await service.comment(id, who(req, b.by), scope(req), b.comment));
  });

  r.post('/api/alerts/:id/shelve', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', ShelveBody, req.body ?? {});
    res.json(await service.shelve(id, who(req, b.by), scope(req), b.minutes, b.comment));
  });

  r.post('/api/alerts/:id/clear', ...write, async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', ClearBody, req.body ?? {});
    res.json(await service.clear(id, who(req, b.by), scope(req), b.comment));
  });

  return r;
}
