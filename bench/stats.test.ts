import { describe, expect, it } from 'vitest';
import { percentile, summarise } from './stats';

describe('latency statistics', () => {
  it('reports nearest-rank percentiles: always a sample that was observed', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile(s, 100)).toBe(100);
    expect(percentile([5, 7], 50)).toBe(5);
    expect(percentile([5, 7], 51)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(s, 101)).toThrow(/0\.\.100/);
  });

  it('sorts before summarising and keeps the worst case', () => {
    const r = summarise([30, 10, 20, 1000]);
    expect(r).toMatchObject({ n: 4, p50: 20, p99: 1000, max: 1000, mean: 265 });
  });
});
