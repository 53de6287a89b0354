// The one domain model of the heating network, shared by every part (ingest, store, rules, api, web, sim).
// Built once from a validated NetworkFile; immutable afterwards; lookups are O(1).

import { HeatError } from './errors';
import { compoundView, StringPool } from './network-compact';
import type { EntityKind } from './telemetry';
import type { Compound, NetworkFile, Plant, PrimaryNetwork, Station, WeatherSite } from './network-schema';

export interface CompoundView extends Compound {
  /** True when this compound is in the farthest part of its station's secondary network (末端). */
  readonly tailEnd: boolean;
  /** 1-based rank counted from the far end (1 = the very end). */
  readonly rankFromEnd: number;
}

export type Entity =
  | { kind: 'station'; entity: Station }
  | { kind: 'compound'; entity: CompoundView }
  | { kind: 'weather'; entity: WeatherSite };

/**
 * How many of a station's compounds count as its tail end: the farthest third (rounded),
 * at least one, and none when the station feeds a single compound (no "far" without a "near").
 */
export function tailEndCount(compoundCount: number): number {
  if (compoundCount < 2) return 0;
  return Math.max(1, Math.round(compoundCount / 3));
}

export class NetworkModel {
  readonly city: string;
  readonly timezone: string;
  readonly designOutdoorC: number;
  readonly plants: readonly Plant[];
  readonly weatherSites: readonly WeatherSite[];
  readonly primaryNetworks: readonly PrimaryNetwork[];
  readonly stations: readonly Station[];
  readonly compounds: readonly CompoundView[];

  /** Entities by kind, then id: no joined key string per lookup (the ingester looks up every message). */
  private readonly byKindId: Record<EntityKind, Map<string, Entity>> = { station: new Map(), compound: new Map(), weather: new Map() };
  private readonly compoundsByStation = new Map<string, CompoundView[]>();
  private readonly stationsByNetwork = new Map<string, Station[]>();

  /** Build the model; throws NETWORK_INVALID naming the entity and field when references do not hold. */
  constructor(file: NetworkFile) {
    this.city = file.city;
    this.timezone = file.timezone;
    this.designOutdoorC = file.designOutdoorC;
    this.plants = file.plants;
    this.weatherSites = file.weatherSites;
    this.primaryNetworks = file.primaryNetworks;
    this.stations = file.stations;

    const seen = new Set<string>();
    const unique = (kind: string, id: string): void => {
      // Ids are unique across the whole network so that a topic's id alone names one entity.
      if (seen.has(id)) throw invalid(`${kind} ${id}`, 'id', `duplicate id ${id}`);
      seen.add(id);
    };
    const plantIds = new Set(file.plants.map((p) => (unique('plant', p.id), p.id)));
    const siteIds = new Set(file.weatherSites.map((w) => (unique('weatherSite', w.id), w.id)));
    const netIds = new Set<string>();
    for (const n of file.primaryNetworks) {
      unique('primaryNetwork', n.id);
      if (!plantIds.has(n.plantId)) throw invalid(`primaryNetwork ${n.id}`, 'plantId', `no plant ${n.plantId}`);
      netIds.add(n.id);
      this.stationsByNetwork.set(n.id, []);
    }
    for (const s of file.stations) {
      unique('station', s.id);
      if (!netIds.has(s.primaryNetworkId)) throw invalid(`station ${s.id}`, 'primaryNetworkId', `no primary network ${s.primaryNetworkId}`);
      if (!siteIds.has(s.weatherSiteId)) throw invalid(`station ${s.id}`, 'weatherSiteId', `no weather site ${s.weatherSiteId}`);
      this.stationsByNetwork.get(s.primaryNetworkId)?.push(s);
      this.byKindId.station.set(s.id, { kind: 'station', entity: s });
    }
    for (const w of file.weatherSites) this.byKindId.weather.set(w.id, { kind: 'weather', entity: w });

    const grouped = new Map<string, Compound[]>();
    for (const c of file.compounds) {
      unique('compound', c.id);
      if (!this.byKindId.station.has(c.stationId)) throw invalid(`compound ${c.id}`, 'stationId', `no station ${c.stationId}`);
      const sum = c.buildings.reduce((a, b) => a + b.households, 0);
      if (sum !== c.households) throw invalid(`compound ${c.id}`, 'households', `${c.households} but its buildings hold ${sum}`);
      const list = grouped.get(c.stationId) ?? [];
      if (list.some((o) => o.order === c.order)) throw invalid(`compound ${c.id}`, 'order', `order ${c.order} is already taken at station ${c.stationId}`);
      list.push(c);
      grouped.set(c.stationId, list);
    }
    const views: CompoundView[] = [];
    const pool = new StringPool();
    // Compounds point at their station's own id string.
    for (const s of file.stations) pool.intern(s.id);
    for (const s of file.stations) {
      const list = (grouped.get(s.id) ?? []).slice().sort((a, b) => a.order - b.order);
      const tail = tailEndCount(list.length);
      const vs = list.map((c, i) => compoundView(c, i >= list.length - tail, list.length - i, pool));
      this.compoundsByStation.set(s.id, vs);
      for (const v of vs) {
        views.push(v);
        this.byKindId.compound.set(v.id, { kind: 'compound', entity: v });
      }
    }
    this.compounds = views;
  }

  /** The entity of a kind and id, or undefined. */
  entity(kind: EntityKind, id: string): Entity | undefined {
    // hasOwn: a kind from outside (an HTTP path) may be any string, e.g. 'constructor'.
    return Object.hasOwn(this.byKindId, kind) ? this.byKindId[kind].get(id) : undefined;
  }

  station(id: string): Station | undefined {
    const e = this.byKindId.station.get(id);
    return e?.kind === 'station' ? e.entity : undefined;
  }

  compound(id: string): CompoundView | undefined {
    const e = this.byKindId.compound.get(id);
    return e?.kind === 'compound' ? e.entity : undefined;
  }

  primaryNetwork(id: string): PrimaryNetwork | undefined {
    return this.primaryNetworks.find((n) => n.id === id);
  }

  /** A station's compounds in hydraulic order, nearest first. */
  compoundsOf(stationId: string): readonly CompoundView[] {
    return this.compoundsByStation.get(stationId) ?? [];
  }

  stationsOf(primaryNetworkId: string): readonly Station[] {
    return this.stationsByNetwork.get(primaryNetworkId) ?? [];
  }

  tailEndCompounds(stationId: string): readonly CompoundView[] {
    return this.compoundsOf(stationId).filter((c) => c.tailEnd);
  }

  totalHouseholds(): number {
    return this.compounds.reduce((a, c) => a + c.households, 0);
  }
}

function invalid(entity: string, field: string, why: string): HeatError {
  return new HeatError('NETWORK_INVALID', `${entity}: field ${field}: ${why}`);
}
