// Severity tiers, ordered. The under-heating tiers follow the regulators' refund bands for indoor
// temperature (Xi'an 2018, Heilongjiang 2021): 18–20 °C advisory, 16–18 low, 14–16 high, < 14 critical.

export const SEVERITIES = ['advisory', 'low', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_RANK = { advisory: 0, low: 1, high: 2, critical: 3 } as const satisfies Record<Severity, number>;

export const SEVERITY_LABEL = {
  advisory: { zh: '提示', en: 'Advisory' },
  low: { zh: '一般', en: 'Low' },
  high: { zh: '严重', en: 'High' },
  critical: { zh: '紧急', en: 'Critical' },
} as const satisfies Record<Severity, { zh: string; en: string }>;

export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** One band: the level applies when the value is below `below` and/or at or above `atLeast`. */
export interface SeverityBand {
  readonly below?: number;
  readonly atLeast?: number;
  readonly level: Severity;
}

/** The first band that holds, in the order written; undefined when none does. */
export function severityFromBands(value: number, bands: readonly SeverityBand[]): Severity | undefined {
  for (const b of bands) {
    if (b.below !== undefined && !(value < b.below)) continue;
    if (b.atLeast !== undefined && !(value >= b.atLeast)) continue;
    return b.level;
  }
  return undefined;
}

/** Indoor temperature bands, coldest first (GB/T 33833-2017 asks for ≥ 18 °C). */
export const UNDERHEATING_BANDS: readonly SeverityBand[] = [
  { below: 14, level: 'critical' },
  { below: 16, level: 'high' },
  { below: 18, level: 'low' },
  { below: 20, level: 'advisory' },
];
