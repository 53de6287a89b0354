// Downsampling buckets: durations like `5m`, the ladder of round buckets, and the choice of the
// finest round bucket that keeps a range under the per-series point cap.

/** A chart never receives more points than this per series (issue 2, item 7). */
export const MAX_POINTS = 2000;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Round buckets, finest first: what an operator reads easily on an axis. */
export const BUCKET_LADDER_MS: readonly number[] = [
  1_000, 5_000, 10_000, 30_000,
  60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000,
  3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000,
  86_400_000, 7 * 86_400_000,
];

/** `90s`, `5m`, `1h`, `1d` → ms; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,6})(s|m|h|d)$/.exec(text.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n * UNIT_MS[m[2] as Unit] : undefined;
}

/** ms → the largest whole unit: 300000 → `5m`, 90000 → `90s`. */
export function formatDuration(ms: number): string {
  for (const u of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[u] === 0) return `${ms / UNIT_MS[u]}${u}`;
  }
  return `${ms}ms`;
}

/**
 * Number of buckets aligned to multiples of `everyMs` since the epoch that [from, to) can touch.
 * Exact, so the cap holds for any alignment of the range.
 */
export function bucketCount(from: number, to: number, everyMs: number): number {
  if (to <= from) return 0;
  return Math.floor((to - 1) / everyMs) - Math.floor(from / everyMs) + 1;
}

/**
 * The finest ladder bucket, no finer than `atLeastMs`, whose bucket count over [from, to) stays
 * within `maxPoints`. Beyond the ladder, whole multiples of its last step.
 */
export function pickBucket(from: number, to: number, atLeastMs = 0, maxPoints = MAX_POINTS): number {
  for (const b of BUCKET_LADDER_MS) {
    if (b >= atLeastMs && bucketCount(from, to, b) <= maxPoints) return b;
  }
  const step = BUCKET_LADDER_MS[BUCKET_LADDER_MS.length - 1] ?? 86_400_000;
  let b = Math.max(step, Math.ceil(atLeastMs / step) * step);
  while (bucketCount(from, to, b) > maxPoints) b += step;
  return b;
}
