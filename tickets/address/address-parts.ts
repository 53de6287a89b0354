// Split an address as a caller gives it into what names the compound and what names the flat:
//   "嘉峪关市钢城街道龙湖华庭小区三号楼2单元501室"
//     → places: city, 钢城街道;  spelling: "龙湖华庭小区";  flat: building 3, unit 2, room 501.
//   "龙湖3-2-501" → spelling "龙湖", building 3, unit 2, room 501.
//   "雄关西路与新华中路交叉口附近" → no spelling (street only), roads 雄关西路, 新华中路.
// Known places come from the network (place-index.ts); unknown roads and sub-districts are
// recognised by their endings (路, 大道, 街, 巷, 街道, 镇, 社区). All patterns are compiled once
// per network; none is built per address.

import { parseZhNumber } from '../text/chinese-numbers';
import { normalizeCompact } from '../text/normalize';
import type { PlaceIndex } from './place-index';

export interface FlatPart {
  readonly building?: number;
  readonly unit?: number;
  /** Room as said ("501"); its floor is the leading digits. */
  readonly room?: string;
  readonly floor?: number;
}

export interface AddressParts {
  /** The normalised address (simplified, no spaces). */
  readonly normalized: string;
  /** What is left to name the compound, e.g. "龙湖华庭小区"; '' when the address names only places. */
  readonly spelling: string;
  readonly flat: FlatPart;
  /** The building/unit/room words as given. */
  readonly flatText: string;
  readonly subdistricts: readonly string[];
  readonly roads: readonly string[];
  /** "二期", "三期": a phase of the compound, kept as evidence only. */
  readonly phase?: string;
  /**
   * The spelling if words taken for unknown roads were in fact part of the name (a slip can make
   * "丝路公寓" read "丝公路寓"); undefined when no such word was taken.
   */
  readonly spellingKeepingRoads?: string;
}

const HAN = '\\p{Script=Han}';
const ROAD_END = '(?:[东西南北中]路|大道|大街|路|街(?!道)|巷)';
const DOOR = '(?:\\d+号(?:院)?)?';
const GENERIC_SUBDISTRICT = new RegExp(`${HAN}{2,4}?(?:街道|镇|乡|社区)`, 'gu');
const GENERIC_ROAD = new RegExp(`${HAN}{2,3}?${ROAD_END}${DOOR}`, 'gu');
const ROAD_ONLY = new RegExp(`^${HAN}{2,3}?${ROAD_END}$`, 'u');
const PROVINCE = new RegExp(`^(?:中国)?${HAN}{2,3}省`, 'u');
const FILLERS = /交叉口|交汇处|十字路口|路口|附近|旁边|对面|一带|周边|门口|[东西南北]侧/gu;
/** "与", "和" left standing alone between two removed roads ("雄关西路与新华中路"), never inside a name (和平小区). */
const CONNECTORS = /(?<=^|\s)[与和及、,，]+(?=\s|$)/gu;
const LEAD = /^(?:家住|住在|住址|地址|位于|在|住)[:：]?/u;
const PHASE = /([一二三四五六七八九十\d]{1,2})期/u;
/** Chinese numerals right before a building/unit/room word become digits ("三号楼" → "3号楼"). */
const ZH_BEFORE_MARKER = /([零〇一二两三四五六七八九十百]{1,4})(?=号楼|号院|号|栋|幢|座|单元|门|室|户|楼|层)/gu;
const FLAT_TOKEN = /(\d{1,4})\s*(号楼|号院|号|栋|幢|座|#楼|#|单元|门|室|户|楼|层|f)?/gu;

export class AddressParser {
  private readonly knownPlaces: RegExp | undefined;
  private readonly cityPrefix: RegExp;

  constructor(private readonly places: PlaceIndex) {
    const known = [...places.subdistricts, ...places.roads].map(escape);
    this.knownPlaces = known.length > 0 ? new RegExp(`(?:${known.join('|')})${DOOR}`, 'gu') : undefined;
    this.cityPrefix = new RegExp(`^${escape(places.city)}市?`, 'u');
  }

  parse(address: string): AddressParts {
    const normalized = normalizeCompact(address);
    const subdistricts: string[] = [];
    const roads: string[] = [];
    const note = (token: string): void => {
      let bare = token.replace(/\d+号(?:院)?$/u, '');
      // "…与祁连路": the connector went with the road; keep it only when the road needs it (和平路).
      if (/^[与和及]/u.test(bare) && ROAD_ONLY.test(bare.slice(1))) bare = bare.slice(1);
      if (/(?:街道|镇|乡|社区)$/u.test(bare)) subdistricts.push(bare);
      else roads.push(bare);
    };

    let s = normalized.replace(PROVINCE, '');
    s = s.replace(this.cityPrefix, '');
    if (this.knownPlaces) s = s.replace(this.knownPlaces, (m) => (note(m), ' '));
    s = s.replace(GENERIC_SUBDISTRICT, (m) => (note(m), ' '));
    const beforeRoads = s;
    const known = roads.length;
    s = s.replace(GENERIC_ROAD, (m) => (note(m), ' '));
    const zone = splitZone(s);
    const alt = roads.length > known ? splitZone(beforeRoads).spelling : undefined;
    return {
      normalized,
      spelling: zone.spelling,
      flat: parseFlat(zone.flatText),
      flatText: zone.flatText,
      subdistricts,
      roads,
      ...(zone.phase ? { phase: zone.phase } : {}),
      ...(alt !== undefined && alt !== zone.spelling ? { spellingKeepingRoads: alt } : {}),
    };
  }
}

/** The compound spelling (before the first digit) and the flat words (from it), places already blanked. */
function splitZone(placesBlanked: string): { spelling: string; flatText: string; phase?: string } {
  const s = placesBlanked.replace(FILLERS, ' ').replace(ZH_BEFORE_MARKER, (m) => String(parseZhNumber(m) ?? m));
  const digit = s.search(/\d/u);
  let zone = (digit < 0 ? s : s.slice(0, digit)).replace(CONNECTORS, ' ').replace(/\s+/gu, '');
  const flatText = digit < 0 ? '' : s.slice(digit).replace(/\s+/gu, '');
  let phase: string | undefined;
  const ph = PHASE.exec(zone);
  if (ph) {
    phase = ph[0];
    zone = zone.replace(ph[0], '');
  }
  return { spelling: zone.replace(LEAD, ''), flatText, ...(phase ? { phase } : {}) };
}

/** Building, unit, room and floor from "3号楼2单元501室", "3-2-501", "3#501", "3栋", "3号楼2单元5楼". */
export function parseFlat(text: string): FlatPart {
  let building: number | undefined;
  let unit: number | undefined;
  let room: string | undefined;
  let floor: number | undefined;
  for (const m of text.matchAll(FLAT_TOKEN)) {
    const raw = m[1] as string;
    const n = Number(raw);
    const marker = m[2];
    switch (marker) {
      case '号楼':
      case '号院':
      case '栋':
      case '幢':
      case '座':
      case '#楼':
      case '#':
        if (building === undefined) building = n;
        else if (unit === undefined) unit = n;
        break;
      case '单元':
      case '门':
        unit ??= n;
        break;
      case '室':
      case '户':
        room ??= raw;
        break;
      case '号':
        if (building === undefined) building = n;
        else room ??= raw;
        break;
      case '楼':
      case '层':
      case 'f':
        // "3楼2单元" names the building; after the unit, "5楼" is the floor.
        if (building === undefined) building = n;
        else floor ??= n;
        break;
      case undefined:
        if (building === undefined) building = n;
        else if (unit === undefined && raw.length <= 2) unit = n;
        else if (room === undefined && raw.length >= 3) room = raw;
        break;
      default:
        break;
    }
  }
  if (floor === undefined && room !== undefined && room.length >= 3) floor = Math.floor(Number(room) / 100);
  return {
    ...(building !== undefined && building > 0 ? { building } : {}),
    ...(unit !== undefined && unit > 0 ? { unit } : {}),
    ...(room !== undefined ? { room } : {}),
    ...(floor !== undefined && floor > 0 ? { floor } : {}),
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
