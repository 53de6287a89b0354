// Weather compensation (气候补偿): the station's secondary supply set-point as a clipped linear
// function of outdoor temperature. Shared by the simulator (to control) and the rules (to judge).

import type { CompensationCurve } from './network-schema';

export function compensationSetpoint(curve: CompensationCurve, outdoorC: number): number {
  const [warm, cold] = curve.outdoorC;
  const [atWarm, atCold] = curve.supplyC;
  const slope = (atCold - atWarm) / (cold - warm);
  const v = atWarm + slope * (outdoorC - warm);
  return Math.min(curve.maxC, Math.max(curve.minC, v));
}
