// What part of the network a request may see. Crews see only their own stations (the network's
// `crew` field) and what hangs off them (compounds, indoor sensors); every other role sees all.
// Weather sites are shared by many stations and hold no personal data: every role sees them.
//
// Routes call scopeFor(req) and then allowsStation / allowsEntity, or filter lists with
// scope.stations. Without an authenticated principal the scope is empty (nothing allowed): a route
// reached without the auth middleware fails closed.

import type { IncomingMessage } from 'node:http';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import type { EntityKind } from '../domain/telemetry';
import { principalOf } from './principal';

export type Scope =
  | { readonly kind: 'all' }
  /** Only these station ids (and their compounds). */
  | { readonly kind: 'stations'; readonly stations: ReadonlySet<string> };

const NOTHING: Scope = { kind: 'stations', stations: new Set() };
const ALL: Scope = { kind: 'all' };

/**
 * The scope of a request. `open` is for an API built without authentication (tests of the API
 * alone): everything is visible there.
 */
export function scopeFor(req: IncomingMessage, open = false): Scope {
  const p = principalOf(req);
  if (!p) return open ? ALL : NOTHING;
  if (p.role === 'crew') return { kind: 'stations', stations: p.stations ?? new Set() };
  return ALL;
}

export function allowsStation(scope: Scope, stationId: string): boolean {
  return scope.kind === 'all' || scope.stations.has(stationId);
}

/** The station an entity belongs to (itself for a station), or undefined for weather sites and unknown ids. */
export function stationOf(network: NetworkModel, kind: EntityKind, id: string): string | undefined {
  switch (kind) {
    case 'station':
      return network.station(id)?.id;
    case 'compound': {
      const c = network.entity('compound', id);
      return c?.kind === 'compound' ? c.entity.stationId : undefined;
    }
    case 'weather':
      return undefined;
    default: {
      const never: never = kind;
      throw new Error(`unknown entity kind ${String(never)}`);
    }
  }
}

export function allowsEntity(scope: Scope, network: NetworkModel, kind: EntityKind, id: string): boolean {
  if (scope.kind === 'all' || kind === 'weather') return true;
  const s = stationOf(network, kind, id);
  return s !== undefined && scope.stations.has(s);
}

/** Throws FORBIDDEN naming the entity when the scope does not allow it. */
export function assertEntityInScope(scope: Scope, network: NetworkModel, kind: EntityKind, id: string, where: string): void {
  if (!allowsEntity(scope, network, kind, id)) throw new HeatError('FORBIDDEN', `${where}: ${kind} "${id}" belongs to another crew's stations`);
}

/** Station ids of a crew in the network model. */
export function crewStations(network: NetworkModel, crewId: string): Set<string> {
  return new Set(network.stations.filter((s) => s.crew === crewId).map((s) => s.id));
}
