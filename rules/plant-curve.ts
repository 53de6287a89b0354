// The plant's primary supply curve from the network file: linear between its two points,
// clipped to them. The rules judge the primary supply a station receives against it.

import type { Plant } from '../domain/network-schema';

export function plantCurveC(plant: Plant, outdoorC: number): number {
  const [warm, cold] = plant.supplyCurve.outdoorC;
  const [atWarm, atCold] = plant.supplyCurve.supplyC;
  const v = atWarm + ((atCold - atWarm) / (cold - warm)) * (outdoorC - warm);
  return Math.min(Math.max(atWarm, atCold), Math.max(Math.min(atWarm, atCold), v));
}
