import { describe, expect, it } from 'vitest';
import { HOUR_MS, windows } from './hourly';

describe('windows of a grouped read', () => {
  it('cut a range at whole hours, contiguous, each at most the width', () => {
    const from = Date.UTC(2025, 0, 10, 3, 17);
    const to = from + 50 * HOUR_MS + 5 * 60_000;
    const w = windows(from, to, 24 * HOUR_MS + 1234);
    expect(w[0]?.[0]).toBe(from);
    expect(w.at(-1)?.[1]).toBe(to);
    for (let i = 1; i < w.length; i++) expect(w[i]?.[0]).toBe(w[i - 1]?.[1]);
    // Inner bounds on whole hours: an hourly bucket never straddles two reads.
    for (const [, b] of w.slice(0, -1)) expect(b % HOUR_MS).toBe(0);
    for (const [a, b] of w) expect(b - a).toBeLessThanOrEqual(24 * HOUR_MS);
    expect(w.length).toBe(3);
  });

  it('a width under an hour still advances by an hour', () => {
    expect(windows(0, 3 * HOUR_MS, 1)).toEqual([
      [0, HOUR_MS],
      [HOUR_MS, 2 * HOUR_MS],
      [2 * HOUR_MS, 3 * HOUR_MS],
    ]);
  });
});
