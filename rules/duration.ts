// Durations in rule files: "30s", "15m", "2h", "3d" or plain milliseconds.
// The pattern is compiled once here, never in a hot loop.

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const satisfies Record<string, number>;
type Unit = keyof typeof UNIT_MS;

export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Milliseconds of a duration text; undefined when the text is not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = DURATION_PATTERN.exec(text.trim());
  if (m === null) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as Unit];
}

/** Short human form for evidence and logs: 90000 → "1.5m". */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.d === 0 && ms > 0) return `${ms / UNIT_MS.d}d`;
  if (ms >= UNIT_MS.h) return `${+(ms / UNIT_MS.h).toFixed(2)}h`;
  if (ms >= UNIT_MS.m) return `${+(ms / UNIT_MS.m).toFixed(2)}m`;
  if (ms >= UNIT_MS.s) return `${+(ms / UNIT_MS.s).toFixed(2)}s`;
  return `${ms}ms`;
}
