import { describe, expect, it } from 'vitest';
import { ACROSS } from './aggregators';

/** The median by sorting: what the quickselect must equal exactly. */
function sortedMedian(v: readonly number[]): number | undefined {
  if (v.length === 0) return undefined;
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

describe('ACROSS.median', () => {
  it('equals the sorted median for odd and even counts, with ties and negatives', () => {
    let x = 7;
    for (let n = 0; n < 120; n++) {
      for (let rep = 0; rep < 10; rep++) {
        const v: number[] = [];
        for (let i = 0; i < n; i++) {
          x = (x * 48271) % 2147483647;
          // Every third list is mostly ties (a network of stations at the same set-point).
          v.push(rep % 3 === 0 ? x % 4 : (x % 10_000) / 7 - 300);
        }
        expect(ACROSS.median([...v])).toBe(sortedMedian(v));
      }
    }
  });

  it('handles one and two values', () => {
    expect(ACROSS.median([3])).toBe(3);
    expect(ACROSS.median([5, 1])).toBe(3);
  });
});
