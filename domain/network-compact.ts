// The network model's compounds and buildings in one object shape each, with repeated strings
// shared. A 5,000-station city has 17 k compounds and 175 k buildings: as the schema parser left
// them (then spread with the view's fields) each compound had a hidden class of its own (≈ 8 MB of
// maps and out-of-object property arrays) and every "3号楼" was a string of its own (heap snapshot
// at city load, bench/README.md). Built once at load; the objects are the model's, never mutated.

import type { CompoundView } from './network';
import type { Building, Compound } from './network-schema';

/** One string per distinct text: building names ("1号楼" … ), station ids. */
export class StringPool {
  private readonly pool = new Map<string, string>();

  intern(s: string): string {
    const had = this.pool.get(s);
    if (had !== undefined) return had;
    this.pool.set(s, s);
    return s;
  }
}

function building(b: Building, pool: StringPool): Building {
  // Literal in one order: every building shares one hidden class.
  return { id: b.id, name: pool.intern(b.name), units: b.units, floors: b.floors, households: b.households };
}

/** The view of a compound: its file entry's fields, then its place on the station's network. */
export function compoundView(c: Compound, tailEnd: boolean, rankFromEnd: number, pool: StringPool): CompoundView {
  const h = c.hydraulics;
  return {
    id: c.id,
    name: c.name,
    nameEn: c.nameEn,
    aliases: c.aliases,
    stationId: pool.intern(c.stationId),
    address: c.address,
    order: c.order,
    households: c.households,
    areaM2: c.areaM2,
    heating: c.heating,
    buildings: c.buildings.map((b) => building(b, pool)),
    indoorSensors: c.indoorSensors,
    hydraulics: { pipeLengthM: h.pipeLengthM, impedanceS: h.impedanceS, designFlow: h.designFlow, heatLossKwPerK: h.heatLossKwPerK, timeConstantH: h.timeConstantH },
    tailEnd,
    rankFromEnd,
  };
}
