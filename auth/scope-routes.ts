// Crew scoping for the telemetry routes that existed before access control, mounted in front of
// them by api/create-api.ts so that those routes stay as they are:
//   GET /api/network       a crew gets its own stations only (and the networks that feed them)
//   GET /api/stations/:id  another crew's station → 403 FORBIDDEN
//   GET /api/series        an entity of another crew's station → 403 FORBIDDEN
// Anything that does not parse is left to the route's own validation (400 naming the field).
// New routes call scopeFor(req) themselves (auth/scope.ts).

import { Router } from 'express';
import type { NetworkDto } from '../api/dto';
import { networkDto } from '../api/network-dto';
import type { NetworkModel } from '../domain/network';
import { ENTITY_KINDS, type EntityKind } from '../domain/telemetry';
import { assertEntityInScope, scopeFor } from './scope';

const ENTITY = new RegExp(`^(${ENTITY_KINDS.join('|')}):([A-Za-z0-9_-]{1,64})$`);

export function scopedNetworkDto(full: NetworkDto, stations: ReadonlySet<string>): NetworkDto {
  const primaryNetworks = full.primaryNetworks
    .map((n) => ({ ...n, stationIds: n.stationIds.filter((id) => stations.has(id)) }))
    .filter((n) => n.stationIds.length > 0);
  const plantIds = new Set(primaryNetworks.map((n) => n.plantId));
  return { ...full, plants: full.plants.filter((p) => plantIds.has(p.id)), primaryNetworks, stations: full.stations.filter((s) => stations.has(s.id)) };
}

export function scopeRoutes(network: NetworkModel): Router {
  const r = Router();
  const full = networkDto(network);

  r.get('/api/network', (req, res, next) => {
    const scope = scopeFor(req);
    if (scope.kind === 'all') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.json(scopedNetworkDto(full, scope.stations));
  });

  r.get('/api/stations/:id', (req, _res, next) => {
    const id = req.params.id;
    if (typeof id === 'string' && network.station(id)) assertEntityInScope(scopeFor(req), network, 'station', id, 'params.id');
    next();
  });

  r.get('/api/series', (req, _res, next) => {
    const m = typeof req.query.entity === 'string' ? ENTITY.exec(req.query.entity) : null;
    if (m && network.entity(m[1] as EntityKind, m[2] as string)) assertEntityInScope(scopeFor(req), network, m[1] as EntityKind, m[2] as string, 'query.entity');
    next();
  });

  return r;
}
