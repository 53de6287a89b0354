// Which homes a crew checks first in a compound going cold. Physics, not statistics:
// - hydraulics: the compound's own loop delivers least to the buildings farthest along it
//   (ΔP = S·G² is spent on the way), so under low flow the far buildings cool first. The network
//   file lists a compound's buildings in the order its pipe reaches them (nearest the entry
//   first); the last third counts as far;
// - envelope: a flat loses heat through every outside surface — the top floor through the roof,
//   an end unit through the gable wall, a corner flat through two outside walls; a ground floor
//   over an unheated basement loses some through its floor.
// So: the far buildings' top-floor end units (corner rooms) first, farthest building first; then
// the top-floor end units of the tallest building (when it is taller than those); then the
// farthest building's ground floor; then the other buildings' top floors, far to near.

import type { CompoundView } from '../domain/network';
import type { Building } from '../domain/network-schema';
import type { HomeReason, HomeTarget } from './visit-model';

export const DEFAULT_MAX_HOMES = 6;

export function homesFirst(c: CompoundView, max = DEFAULT_MAX_HOMES): HomeTarget[] {
  const n = c.buildings.length;
  const farCount = n < 2 ? n : Math.max(1, Math.round(n / 3));
  const far = c.buildings.slice(n - farCount).reverse();
  const out: HomeTarget[] = [];
  const seen = new Set<string>();
  const push = (b: Building, unit: number, floor: number, reasons: HomeReason[]): void => {
    const key = `${b.id}/${unit}/${floor}`;
    if (out.length >= max || seen.has(key)) return;
    seen.add(key);
    out.push({ rank: out.length + 1, buildingId: b.id, buildingName: b.name, unit, floor, rooms: cornerRooms(b, floor), reasons });
  };
  const farOf = (b: Building): HomeReason[] => (n > 1 && far.includes(b) ? ['far-building'] : []);
  for (const b of far) for (const u of endUnits(b)) push(b, u, b.floors, [...farOf(b), 'top-floor', ...(b.units > 1 ? (['end-unit'] as const) : [])]);
  const top = (b: Building): void => {
    for (const u of endUnits(b)) push(b, u, b.floors, [...farOf(b), 'top-floor', ...(b.units > 1 ? (['end-unit'] as const) : [])]);
  };
  const farHeight = Math.max(0, ...far.map((b) => b.floors));
  const tallest = [...c.buildings].reverse().sort((a, b) => b.floors - a.floors)[0];
  if (tallest !== undefined && tallest.floors > farHeight) top(tallest);
  const farthest = far[0];
  if (farthest !== undefined && farthest.floors > 1) for (const u of endUnits(farthest)) push(farthest, u, 1, [...farOf(farthest), 'ground-floor', ...(farthest.units > 1 ? (['end-unit'] as const) : [])]);
  for (const b of [...c.buildings].reverse()) top(b);
  return out;
}

function endUnits(b: Building): number[] {
  return b.units > 1 ? [b.units, 1] : [1];
}

/** The corner rooms of a floor: the first and the last flat on the landing ("601", "602"). */
function cornerRooms(b: Building, floor: number): string[] {
  const perFloor = Math.max(1, Math.ceil(b.households / b.units / b.floors));
  const first = `${floor}01`;
  return perFloor > 1 ? [first, `${floor}${String(perFloor).padStart(2, '0')}`] : [first];
}
