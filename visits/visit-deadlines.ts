// By when a crew must be at a compound, by the severity of what the rules saw (the regulators'
// indoor bands: below 14 °C is an emergency, 16–18 °C can wait for the morning round).
// The times come from the configuration (HEAT_VISIT_DUE_*_MS).

import type { Severity } from '../rules/severity';

export type VisitDueTimes = Readonly<Record<Severity, number>>;

export function dueAt(severity: Severity, from: number, times: VisitDueTimes): number {
  return from + times[severity];
}
