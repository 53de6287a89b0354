import { describe, expect, it } from 'vitest';
import { FloatSlab } from './float-slab';

describe('FloatSlab', () => {
  it('cuts disjoint regions of zeros, starting a new chunk when one is full', () => {
    const slab = new FloatSlab(50_000, (n) => new Float64Array(n));
    const a = slab.take();
    const first = slab.array;
    first.fill(7, a, a + 50_000);
    const b = slab.take();
    expect(slab.array).toBe(first);
    expect(b).toBe(a + 50_000);
    expect(first[b]).toBe(0);
    // A third region does not fit: a chunk is 131,072 floats rounded down to whole regions (two).
    expect(first.length).toBe(100_000);
    const c = slab.take();
    expect(slab.array).not.toBe(first);
    expect(c).toBe(0);
    expect(first[a]).toBe(7);
  });

  it('fits many small regions in one chunk', () => {
    const slab = new FloatSlab(39, (n) => new Float32Array(n));
    const starts = Array.from({ length: 1000 }, () => slab.take());
    expect(new Set(starts.map((s) => s / 39)).size).toBe(1000);
    expect(slab.array.length % 39).toBe(0);
  });

  it('refuses to read an array before the first region', () => {
    expect(() => new FloatSlab(4, (n) => new Float32Array(n)).array).toThrow(/no region/);
  });
});
