// Builds one EntityState per network entity with its relatives resolved once (O(1) lookups in
// the hot loop), and describes entities for alerts (name, and the route to the station's crew).

import type { NetworkModel } from '../domain/network';
import type { EntityInfo } from './alert-manager';
import { EntityState } from './entity-state';
import type { Relation } from './relations';
import { entityKey, type Scope } from './scope';

export function buildEntityStates(network: NetworkModel): Map<string, EntityState> {
  const states = new Map<string, EntityState>();
  const rel = new Map<EntityState, Partial<Record<Relation, readonly string[]>>>();
  const add = (e: EntityState, r: Partial<Record<Relation, readonly string[]>>): void => {
    states.set(e.key, e);
    rel.set(e, r);
  };
  for (const w of network.weatherSites) add(new EntityState('weather', w.id, undefined, undefined), {});
  for (const n of network.primaryNetworks) {
    add(new EntityState('primary', n.id, undefined, undefined), { stations: network.stationsOf(n.id).map((s) => entityKey('station', s.id)) });
  }
  for (const s of network.stations) {
    add(new EntityState('station', s.id, s, undefined), {
      weather: [entityKey('weather', s.weatherSiteId)],
      compounds: network.compoundsOf(s.id).map((c) => entityKey('compound', c.id)),
      peers: network
        .stationsOf(s.primaryNetworkId)
        .filter((p) => p.id !== s.id)
        .map((p) => entityKey('station', p.id)),
    });
  }
  for (const c of network.compounds) {
    const s = network.station(c.stationId);
    add(new EntityState('compound', c.id, s, c), {
      station: [entityKey('station', c.stationId)],
      weather: s === undefined ? [] : [entityKey('weather', s.weatherSiteId)],
      siblings: network
        .compoundsOf(c.stationId)
        .filter((o) => o.id !== c.id)
        .map((o) => entityKey('compound', o.id)),
    });
  }
  // Link relatives once: the hot loop follows object references, never looks keys up.
  for (const [e, r] of rel) {
    for (const [name, keys] of Object.entries(r) as [Relation, readonly string[]][]) {
      e.linked[name] = keys.map((k) => states.get(k)).filter((x): x is EntityState => x !== undefined);
    }
  }
  return states;
}

export function describeEntity(network: NetworkModel, kind: Scope, id: string): EntityInfo {
  switch (kind) {
    case 'station': {
      const s = network.station(id);
      return { name: s?.name ?? id, route: s === undefined ? {} : { stationId: s.id, primaryNetworkId: s.primaryNetworkId, crew: s.crew } };
    }
    case 'compound': {
      const c = network.compound(id);
      const s = c === undefined ? undefined : network.station(c.stationId);
      return { name: c?.name ?? id, route: s === undefined ? {} : { stationId: s.id, primaryNetworkId: s.primaryNetworkId, crew: s.crew } };
    }
    case 'primary':
      return { name: network.primaryNetwork(id)?.name ?? id, route: { primaryNetworkId: id } };
    case 'weather':
      return { name: network.weatherSites.find((w) => w.id === id)?.name ?? id, route: {} };
    default: {
      const never: never = kind;
      throw new Error(`unknown scope ${String(never)}`);
    }
  }
}
