// Builds one EntityState per network entity with its relatives resolved once (O(1) lookups in
// the hot loop), and describes entities for alerts (name, and the route to the station's crew).

import type { NetworkModel } from '../domain/network';
import type { EntityInfo } from './alert-manager';
import { EntityState } from './entity-state';
import { entityKey, type Scope } from './scope';

export function buildEntityStates(network: NetworkModel): Map<string, EntityState> {
  const states = new Map<string, EntityState>();
  const add = (e: EntityState): EntityState => {
    states.set(e.key, e);
    return e;
  };
  const weather = new Map(network.weatherSites.map((w) => [w.id, add(new EntityState('weather', w.id, undefined, undefined))]));
  const primaries = network.primaryNetworks.map((n) => add(new EntityState('primary', n.id, undefined, undefined)));
  const stations = new Map(network.stations.map((s) => [s.id, add(new EntityState('station', s.id, s, undefined))]));
  const compounds = network.compounds.map((c) => add(new EntityState('compound', c.id, network.station(c.stationId), c)));
  // Link relatives once: the hot loop follows object references, never looks keys up. A
  // network's station list and a station's compound list are shared: `peers` and `siblings` are
  // the same list with the entity itself in it, skipped by the readers (5,000 stations on 6
  // networks would otherwise hold 4 M peer references).
  // One shared list per relative (a station's 3–4 compounds and a weather site's thousands of
  // entities point to the same [it]): ≈ 40 k arrays fewer in a city.
  const ones = new Map<EntityState, readonly EntityState[]>();
  const none: readonly EntityState[] = [];
  const one = (e: EntityState | undefined): readonly EntityState[] => {
    if (e === undefined) return none;
    let list = ones.get(e);
    if (list === undefined) ones.set(e, (list = [e]));
    return list;
  };
  const stationsOf = new Map<string, readonly EntityState[]>();
  const stationsOn = (pn: string): readonly EntityState[] => {
    let list = stationsOf.get(pn);
    if (list === undefined) stationsOf.set(pn, (list = network.stationsOf(pn).flatMap((s) => one(stations.get(s.id)))));
    return list;
  };
  const compoundsOf = new Map<string, readonly EntityState[]>();
  for (const s of network.stations) compoundsOf.set(s.id, network.compoundsOf(s.id).flatMap((c) => one(states.get(entityKey('compound', c.id)))));
  for (const p of primaries) p.linked.stations = stationsOn(p.id);
  for (const e of stations.values()) {
    const s = e.station;
    if (s === undefined) continue;
    e.linked.weather = one(weather.get(s.weatherSiteId));
    e.linked.compounds = compoundsOf.get(s.id) ?? [];
    e.linked.peers = stationsOn(s.primaryNetworkId);
  }
  for (const e of compounds) {
    const c = e.compound;
    if (c === undefined) continue;
    e.linked.station = one(stations.get(c.stationId));
    e.linked.weather = e.station === undefined ? none : one(weather.get(e.station.weatherSiteId));
    e.linked.siblings = compoundsOf.get(c.stationId) ?? [];
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
