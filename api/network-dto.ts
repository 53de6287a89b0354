// The network model as the UI sees it, built once (the model is immutable): plant, primary
// networks, stations with their compounds in hydraulic order (tail end marked), weather sites,
// and the field catalogue with units and zh/en labels.

import { pinyin } from 'pinyin-pro';
import { FIELDS } from '../domain/fields';
import type { CompoundView, NetworkModel } from '../domain/network';
import type { Station } from '../domain/network-schema';
import type { CompoundDto, FieldCatalogueDto, NamedDto, NetworkDto, StationSummaryDto } from './dto';

function named(e: { id: string; name: string; nameEn?: string | undefined }): NamedDto {
  return { id: e.id, name: e.name, ...(e.nameEn === undefined ? {} : { nameEn: e.nameEn }) };
}

export function compoundDto(c: CompoundView): CompoundDto {
  return {
    ...named(c),
    order: c.order,
    tailEnd: c.tailEnd,
    rankFromEnd: c.rankFromEnd,
    households: c.households,
    heating: c.heating,
    indoorSensors: c.indoorSensors,
    ...(c.address === undefined ? {} : { address: c.address }),
  };
}

/** Full pinyin and initials of each name, so "dx" and "dexuan" both find 德轩换热站. */
function pinyinKeys(names: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const n of names) {
    keys.add(pinyin(n, { toneType: 'none', separator: '', nonZh: 'consecutive' }).toLowerCase());
    keys.add(pinyin(n, { pattern: 'first', toneType: 'none', separator: '', nonZh: 'consecutive' }).toLowerCase());
  }
  return [...keys];
}

export function stationSummaryDto(network: NetworkModel, s: Station): StationSummaryDto {
  const compounds = network.compoundsOf(s.id);
  return {
    ...named(s),
    aliases: s.aliases,
    pinyin: pinyinKeys([s.name, ...s.aliases]),
    primaryNetworkId: s.primaryNetworkId,
    weatherSiteId: s.weatherSiteId,
    crew: s.crew,
    ...(s.address === undefined ? {} : { address: s.address }),
    households: compounds.reduce((a, c) => a + c.households, 0),
    compounds: compounds.map(compoundDto),
  };
}

export function fieldCatalogueDto(): FieldCatalogueDto {
  return FIELDS;
}

export function networkDto(network: NetworkModel): NetworkDto {
  return {
    city: network.city,
    timezone: network.timezone,
    plants: network.plants.map(named),
    primaryNetworks: network.primaryNetworks.map((n) => ({ ...named(n), plantId: n.plantId, stationIds: network.stationsOf(n.id).map((s) => s.id) })),
    stations: network.stations.map((s) => stationSummaryDto(network, s)),
    weatherSites: network.weatherSites.map(named),
    fields: fieldCatalogueDto(),
  };
}
