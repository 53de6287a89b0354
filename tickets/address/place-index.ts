// Places that are not compounds: the city, its 街道 (sub-districts) and roads, learned from the
// network model's compound and station addresses ("嘉峪关市钢城街道雄关西路541号"). They are
// stripped from an address before its compound name is looked for (雄关西路 must not read as
// 雄关小区), and when an address names only a street they say which compounds lie there.

import type { NetworkModel } from '../../domain/network';
import { normalizeCompact } from '../text/normalize';

const HAN = '\\p{Script=Han}';
/** Postal form of a network address: province, city, sub-district, road, door number. */
const POSTAL = new RegExp(`^(?:${HAN}{2,3}省)?(?:${HAN}{2,4}?市)?(${HAN}{2,4}?(?:街道|镇|乡))?(${HAN}{2,5}?(?:大道|大街|路|街|巷))?`, 'u');

export interface Place {
  readonly subdistrict?: string;
  readonly road?: string;
}

export class PlaceIndex {
  readonly city: string;
  readonly subdistricts: readonly string[];
  readonly roads: readonly string[];
  private readonly compoundPlace = new Map<string, Place>();
  private readonly byRoad = new Map<string, string[]>();
  private readonly bySubdistrict = new Map<string, string[]>();

  constructor(network: NetworkModel) {
    this.city = normalizeCompact(network.city);
    const subs = new Set<string>();
    const roads = new Set<string>();
    const note = (address: string | undefined): Place => {
      if (address === undefined) return {};
      const m = POSTAL.exec(normalizeCompact(address));
      const place: Place = { ...(m?.[1] ? { subdistrict: m[1] } : {}), ...(m?.[2] ? { road: m[2] } : {}) };
      if (place.subdistrict) subs.add(place.subdistrict);
      if (place.road) roads.add(place.road);
      return place;
    };
    for (const s of network.stations) note(s.address);
    for (const c of network.compounds) {
      const p = note(c.address);
      this.compoundPlace.set(c.id, p);
      if (p.road) push(this.byRoad, p.road, c.id);
      if (p.subdistrict) push(this.bySubdistrict, p.subdistrict, c.id);
    }
    // Longest first, so that "新华中路" is taken whole before any shorter road inside it.
    this.subdistricts = [...subs].sort((a, b) => b.length - a.length);
    this.roads = [...roads].sort((a, b) => b.length - a.length);
  }

  placeOf(compoundId: string): Place {
    return this.compoundPlace.get(compoundId) ?? {};
  }

  /** Compounds on one of these roads (and in one of these sub-districts, when any is given). */
  compoundsAt(roads: readonly string[], subdistricts: readonly string[]): string[] {
    const onRoad = new Set(roads.flatMap((r) => this.byRoad.get(r) ?? []));
    const inSub = new Set(subdistricts.flatMap((s) => this.bySubdistrict.get(s) ?? []));
    if (onRoad.size === 0) return [...inSub];
    if (inSub.size === 0) return [...onRoad];
    const both = [...onRoad].filter((id) => inSub.has(id));
    return both.length > 0 ? both : [...onRoad];
  }
}

function push(m: Map<string, string[]>, k: string, v: string): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
