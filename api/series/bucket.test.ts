import { describe, expect, it } from 'vitest';
import { createRng } from '../../fixtures/sim/rng';
import { BUCKET_LADDER_MS, bucketCount, formatDuration, MAX_POINTS, parseDuration, pickBucket } from './bucket';

const H = 3_600_000;
const D = 24 * H;

/** Buckets really touched by [from, to): counted one by one, independent of bucketCount's formula. */
function touched(from: number, to: number, every: number): number {
  const seen = new Set<number>();
  for (let t = from; t < to; t += Math.max(1, Math.floor(every / 4))) seen.add(Math.floor(t / every));
  seen.add(Math.floor((to - 1) / every));
  return seen.size;
}

describe('durations', () => {
  it('parses and formats round durations', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1d')).toBe(D);
    expect(parseDuration('0m')).toBeUndefined();
    expect(parseDuration('5 min')).toBeUndefined();
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(3 * H)).toBe('3h');
    expect(formatDuration(1500)).toBe('1500ms');
  });
});

describe('bucketCount', () => {
  it('counts epoch-aligned buckets touched by the range', () => {
    expect(bucketCount(0, 60_000, 60_000)).toBe(1);
    expect(bucketCount(30_000, 90_000, 60_000)).toBe(2);
    expect(bucketCount(5, 5, 60_000)).toBe(0);
    const rng = createRng(7);
    for (let i = 0; i < 200; i++) {
      const from = rng.int(0, 10 * D);
      const to = from + rng.int(1, 3 * D);
      const every = rng.pick([60_000, 300_000, 900_000, H]);
      expect(bucketCount(from, to, every)).toBe(touched(from, to, every));
    }
  });
});

describe('pickBucket', () => {
  it('picks the finest round bucket that keeps a range under the cap', () => {
    expect(pickBucket(0, D)).toBe(60_000); // 1440 one-minute buckets
    expect(pickBucket(0, 7 * D)).toBe(15 * 60_000); // 5 min would be 2016
    expect(pickBucket(0, 30 * D)).toBe(30 * 60_000); // 1440
    expect(pickBucket(0, 365 * D)).toBe(6 * H); // 1460
    expect(pickBucket(0, H)).toBe(5_000); // 1 s would be 3600
  });

  it('never returns a bucket finer than asked, nor one that breaks the cap, for any range', () => {
    const rng = createRng(11);
    for (let i = 0; i < 500; i++) {
      const from = rng.int(0, 1000 * D);
      const to = from + rng.int(1, 1000 * D);
      const atLeast = rng.chance(0.5) ? 0 : rng.int(1000, 2 * D);
      const b = pickBucket(from, to, atLeast);
      expect(b).toBeGreaterThanOrEqual(atLeast);
      expect(bucketCount(from, to, b)).toBeLessThanOrEqual(MAX_POINTS);
      // and it is the finest ladder step that does so (when one does)
      const finer = BUCKET_LADDER_MS.filter((x) => x < b && x >= atLeast);
      for (const f of finer) expect(bucketCount(from, to, f)).toBeGreaterThan(MAX_POINTS);
    }
  });
});
