import { describe, expect, it } from 'vitest';
import { WriteBuffer } from './write-buffer';

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('WriteBuffer', () => {
  it('hands out the oldest items first, in order, in batches', () => {
    const b = new WriteBuffer<number>(10);
    expect(b.add(range(0, 7))).toBe(0);
    expect(b.batch(3)).toEqual([0, 1, 2]);
    expect(b.stats()).toMatchObject({ length: 4, outstanding: 3 });
    expect(b.batch(10)).toEqual([3, 4, 5, 6]);
    expect(b.batch(5)).toEqual([]);
  });

  it('drops the oldest first when full, returns and reports how many', () => {
    const dropped: number[] = [];
    const b = new WriteBuffer<number>(5, (d) => dropped.push(...d));
    b.add(range(0, 4));
    expect(b.add(range(4, 8))).toBe(3);
    expect(dropped).toEqual([0, 1, 2]);
    expect(b.batch(10)).toEqual([3, 4, 5, 6, 7]);
    expect(b.stats()).toMatchObject({ dropped: 3, added: 8 });
  });

  it('keeps only the newest items of an add larger than the capacity', () => {
    const dropped: number[] = [];
    const b = new WriteBuffer<number>(3, (d) => dropped.push(...d));
    b.add([100]);
    expect(b.add(range(0, 5))).toBe(3);
    expect(dropped).toEqual([100, 0, 1]);
    expect(b.batch(10)).toEqual([2, 3, 4]);
  });

  it('accept forgets the batch; reject puts it back in front, before newer items', () => {
    const b = new WriteBuffer<number>(10);
    b.add(range(0, 6));
    const first = b.batch(4);
    b.add([6, 7]);
    expect(b.reject(first)).toBe(0);
    expect(b.stats()).toMatchObject({ length: 8, outstanding: 0 });
    const again = b.batch(5);
    expect(again).toEqual([0, 1, 2, 3, 4]);
    b.accept(again);
    expect(b.stats()).toMatchObject({ length: 3, outstanding: 0, accepted: 5 });
    expect(b.batch(10)).toEqual([5, 6, 7]);
  });

  it('reject into a buffer that filled meanwhile drops the oldest (the batch head), counted', () => {
    const dropped: number[] = [];
    const b = new WriteBuffer<number>(4, (d) => dropped.push(...d));
    b.add(range(0, 4));
    const batch = b.batch(3);
    b.add([4, 5]);
    // Room for one of the three: the two oldest go.
    expect(b.reject(batch)).toBe(2);
    expect(dropped).toEqual([0, 1]);
    expect(b.batch(10)).toEqual([2, 3, 4, 5]);
    expect(b.stats().dropped).toBe(2);
  });

  it('wraps around the ring many times without losing order', () => {
    const b = new WriteBuffer<number>(7);
    const seen: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      b.add(range(next, next + 3 + (round % 4)));
      next += 3 + (round % 4);
      const got = b.batch(2 + (round % 5));
      if (round % 3 === 0) b.reject(got);
      else {
        b.accept(got);
        seen.push(...got);
      }
    }
    seen.push(...b.batch(100));
    const s = b.stats();
    expect(seen.length + s.dropped).toBe(next);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new WriteBuffer(0)).toThrow(/positive integer/);
  });
});
