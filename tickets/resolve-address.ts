// Address → compound → building → unit (+ room), with a confidence in [0, 1] and the evidence.
//
// Steps (each in its own module):
//   1. address-parts.ts: normalise (traditional → simplified), strip the city, 街道 and roads,
//      split the compound spelling from the flat ("龙湖3-2-501" → "龙湖" + 3/2/501).
//   2. name-index.ts: score the spelling against every name, alias and learned spelling
//      (exact, abbreviation, same sound, slips).
//   3. here: weigh each candidate compound by what else the address says — does it have that
//      building, that unit, that floor; is it on the road or in the 街道 named — then judge the
//      margin to the next compound: two compounds that fit equally well leave the ticket to a person.
//   4. street only, or no name found: the compounds on the named road are offered as candidates
//      with a low confidence; a compound name in the ticket text is used when the address has none.
// Below `threshold` a heating ticket goes to the human queue; `learn()` takes a person's answer
// so the same spelling resolves at once next time.

import type { NetworkModel } from '../domain/network';
import type { Building } from '../domain/network-schema';
import { AddressParser, type AddressParts } from './address/address-parts';
import { NameIndex, stripSuffix, type NameMatch } from './address/name-index';
import { PlaceIndex } from './address/place-index';
import { normalizeCompact } from './text/normalize';
import type { Candidate, Evidence, MatchMethod } from './ticket-model';

/** Default confidence at or above which a resolution stands without a person. */
export const AUTO_THRESHOLD = 0.75;

export interface AddressResolution {
  readonly compoundId?: string;
  readonly buildingId?: string;
  readonly unit?: number;
  readonly room?: string;
  readonly confidence: number;
  readonly method: MatchMethod;
  readonly evidence: readonly Evidence[];
  readonly candidates: readonly Candidate[];
  /** The compound spelling as given (normalised, without 小区), '' when none. */
  readonly spelling: string;
}

interface Scored {
  readonly match: NameMatch;
  score: number;
  readonly evidence: Evidence[];
  building?: Building;
}

/** How much a mismatch between the address and a candidate compound costs it. */
const FACTOR = { noSuchBuilding: 0.7, noSuchUnit: 0.85, noSuchFloor: 0.9, otherRoad: 0.9, sameRoad: 1.04, fromText: 0.9 } as const;
const MAX_CANDIDATES = 5;
/** Confidence given to a street-only address, split among the compounds on that street. */
const STREET_CONFIDENCE = 0.4;

export class AddressResolver {
  private readonly places: PlaceIndex;
  private readonly parser: AddressParser;
  private readonly names: NameIndex;
  /** Names long enough to trust when found in free text: [compoundId, normalised name]. */
  private readonly textNames: ReadonlyArray<readonly [string, string]>;

  constructor(private readonly network: NetworkModel) {
    this.places = new PlaceIndex(network);
    this.parser = new AddressParser(this.places);
    this.names = new NameIndex(network);
    this.textNames = network.compounds.flatMap((c) =>
      [...new Set([c.name, ...c.aliases].map(normalizeCompact))].filter((t) => [...t].length >= 3).map((t) => [c.id, t] as const),
    );
  }

  parse(address: string): AddressParts {
    return this.parser.parse(address);
  }

  /** The spelling a confirmation of this address would teach ('' when it names no compound). */
  spellingOf(address: string): string {
    return stripSuffix(this.parser.parse(address).spelling);
  }

  learn(spelling: string, compoundId: string): void {
    if (this.network.compound(compoundId) === undefined) throw new Error(`resolver.learn: no compound ${compoundId}`);
    this.names.learn(spelling, compoundId);
  }

  learnedFor(spelling: string): string | undefined {
    return this.names.learnedFor(spelling);
  }

  /** Compounds whose listed name or alias is exactly this spelling (teaching it would be wrong). */
  listedOwners(spelling: string): string[] {
    return this.names.isListedName(spelling);
  }

  resolve(address: string, text = ''): AddressResolution {
    const parts = this.parser.parse(address);
    const spelling = stripSuffix(parts.spelling);
    let matches = parts.spelling.length > 0 ? this.names.match(parts.spelling) : [];
    if ((matches[0]?.score ?? 0) < 0.6 && parts.spelling.length > 0 && parts.spellingKeepingRoads !== undefined) {
      // Perhaps a slipped name looked like a road ("丝公路寓" for 丝路公寓): try it whole.
      const alt = this.names.match(parts.spellingKeepingRoads);
      if ((alt[0]?.score ?? 0) > (matches[0]?.score ?? 0)) matches = alt;
    }
    let fromText = false;
    if ((matches[0]?.score ?? 0) < 0.5 && text.length > 0) {
      const inText = this.namesInText(text);
      if (inText.length > 0) {
        matches = inText;
        fromText = true;
      }
    }
    if (matches.length === 0) return this.streetOnly(parts, spelling);

    const scored = matches.slice(0, 12).map((m) => this.weigh(m, parts, fromText));
    scored.sort((a, b) => b.score - a.score || (a.match.compoundId < b.match.compoundId ? -1 : 1));
    const top = scored[0] as Scored;
    const second = scored[1];
    const margin = second === undefined ? 1 : top.score - second.score;
    // Equal fits leave it to a person; a lead of one same-sound slip or more (≥ 0.05) costs nothing.
    const ambiguity = Math.min(1, 0.4 + (0.6 * margin) / 0.05);
    const confidence = clamp01(Math.min(1, top.score) * ambiguity);
    const evidence = [...top.evidence];
    if (second !== undefined && ambiguity < 1) {
      evidence.push({ kind: 'ambiguous', detail: `also fits ${this.nameOf(second.match.compoundId)} (${second.score.toFixed(2)} vs ${top.score.toFixed(2)})` });
    }
    const flat = this.flatOf(top, parts);
    return {
      compoundId: top.match.compoundId,
      ...flat,
      confidence: round3(confidence),
      method: fromText ? 'text' : top.match.method,
      evidence,
      candidates: scored.slice(0, MAX_CANDIDATES).map((s) => ({ compoundId: s.match.compoundId, score: round3(clamp01(s.score)) })),
      spelling,
    };
  }

  private weigh(m: NameMatch, parts: AddressParts, fromText: boolean): Scored {
    const c = this.network.compound(m.compoundId);
    const evidence: Evidence[] = [{ kind: fromText ? 'text' : m.method, detail: `${fromText ? 'text names' : `"${parts.spelling}" ~`} ${m.name}` }];
    let score = m.score * (fromText ? FACTOR.fromText : 1);
    let building: Building | undefined;
    if (c !== undefined && parts.flat.building !== undefined) {
      building = findBuilding(c.buildings, parts.flat.building);
      if (building === undefined) {
        score *= FACTOR.noSuchBuilding;
        evidence.push({ kind: 'no-such-building', detail: `${c.name} has no building ${parts.flat.building} (${c.buildings.length} buildings)` });
      } else {
        evidence.push({ kind: 'building', detail: `${building.name}` });
        if (parts.flat.unit !== undefined && parts.flat.unit > building.units) {
          score *= FACTOR.noSuchUnit;
          evidence.push({ kind: 'no-such-unit', detail: `${building.name} has ${building.units} units, not ${parts.flat.unit}` });
        }
        if (parts.flat.floor !== undefined && parts.flat.floor > building.floors) {
          score *= FACTOR.noSuchFloor;
          evidence.push({ kind: 'no-such-floor', detail: `${building.name} has ${building.floors} floors, not ${parts.flat.floor}` });
        }
      }
    }
    if (parts.roads.length > 0 || parts.subdistricts.length > 0) {
      const place = this.places.placeOf(m.compoundId);
      const onRoad = place.road !== undefined && parts.roads.includes(place.road);
      const inSub = place.subdistrict !== undefined && parts.subdistricts.includes(place.subdistrict);
      if (onRoad || (parts.roads.length === 0 && inSub)) {
        score *= FACTOR.sameRoad;
        evidence.push({ kind: 'place', detail: `on ${onRoad ? place.road : place.subdistrict}` });
      } else if (parts.roads.length > 0 || (place.subdistrict !== undefined && parts.subdistricts.length > 0)) {
        score *= FACTOR.otherRoad;
        evidence.push({ kind: 'other-place', detail: `address names ${[...parts.subdistricts, ...parts.roads].join(', ')}; ${c?.name ?? m.compoundId} is at ${[place.subdistrict, place.road].filter(Boolean).join('')}` });
      }
    }
    return { match: m, score, evidence, ...(building ? { building } : {}) };
  }

  private flatOf(top: Scored, parts: AddressParts): Pick<AddressResolution, 'buildingId' | 'unit' | 'room'> {
    const b = top.building;
    if (b === undefined) return {};
    const unitOk = parts.flat.unit !== undefined && parts.flat.unit <= b.units;
    return {
      buildingId: b.id,
      ...(unitOk ? { unit: parts.flat.unit } : {}),
      ...(unitOk && parts.flat.room !== undefined ? { room: parts.flat.room } : {}),
    };
  }

  private streetOnly(parts: AddressParts, spelling: string): AddressResolution {
    const ids = this.places.compoundsAt(parts.roads, parts.subdistricts);
    const evidence: Evidence[] = [];
    if (spelling.length > 0) evidence.push({ kind: 'unknown-name', detail: `"${parts.spelling}" matches no compound` });
    if (ids.length === 0) {
      evidence.push({ kind: 'no-place', detail: parts.roads.length + parts.subdistricts.length > 0 ? `no compound known at ${[...parts.subdistricts, ...parts.roads].join(', ')}` : 'address names no compound or street' });
      return { confidence: 0, method: 'none', evidence, candidates: [], spelling };
    }
    const each = STREET_CONFIDENCE / ids.length;
    evidence.push({ kind: 'street-only', detail: `${ids.length} compound(s) at ${[...parts.subdistricts, ...parts.roads].join(', ')}` });
    const candidates = ids
      .map((id) => this.network.compound(id))
      .filter((c) => c !== undefined)
      // Tail-end compounds first: they are the likeliest to be cold.
      .sort((a, b) => Number(b.tailEnd) - Number(a.tailEnd) || a.id.localeCompare(b.id))
      .slice(0, MAX_CANDIDATES)
      .map((c) => ({ compoundId: c.id, score: round3(each) }));
    const only = ids.length === 1 ? { compoundId: ids[0] as string } : {};
    return { ...only, confidence: round3(each), method: 'street', evidence, candidates, spelling };
  }

  /** Compound names of three characters or more written in the ticket text, one per compound. */
  private namesInText(text: string): NameMatch[] {
    const norm = normalizeCompact(text);
    const out = new Map<string, NameMatch>();
    for (const [id, t] of this.textNames) {
      if (!out.has(id) && norm.includes(t)) out.set(id, { compoundId: id, score: 1, method: 'text', name: t });
    }
    return [...out.values()];
  }

  private nameOf(id: string): string {
    return this.network.compound(id)?.name ?? id;
  }
}

/** The building residents call "3号楼": by the number in its name, else by its position. */
function findBuilding(buildings: readonly Building[], n: number): Building | undefined {
  return buildings.find((b) => Number(/(\d+)/.exec(b.name)?.[1]) === n) ?? (buildings.every((b) => !/\d/.test(b.name)) ? buildings[n - 1] : undefined);
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
