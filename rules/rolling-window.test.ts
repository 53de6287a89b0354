import { describe, expect, it } from 'vitest';
import { AGGREGATORS } from './aggregators';
import { cellFloats, RollingWindow } from './rolling-window';

const MIN = 60_000;

function naive(samples: [number, number][], now: number, span: number) {
  const inside = samples.filter(([t]) => t > now - span && t <= now).map(([, v]) => v);
  const mean = inside.reduce((a, b) => a + b, 0) / inside.length;
  return { n: inside.length, mean, min: Math.min(...inside), max: Math.max(...inside) };
}

describe('RollingWindow', () => {
  it('matches a naive recomputation for mean/min/max as samples enter and leave', () => {
    const w = new RollingWindow({ spanMs: 10 * MIN });
    const seen: [number, number][] = [];
    let x = 7;
    for (let i = 0; i < 500; i++) {
      x = (x * 48271) % 2147483647;
      const v = (x % 1000) / 10 - 20;
      const t = i * MIN;
      w.push(t, v);
      seen.push([t, v]);
      const ref = naive(seen, t, 10 * MIN);
      expect(w.count).toBe(ref.n);
      expect(w.mean).toBeCloseTo(ref.mean, 9);
      expect(w.min).toBe(ref.min);
      expect(w.max).toBe(ref.max);
    }
  });

  it('evicts samples at or before now − span', () => {
    const w = new RollingWindow({ spanMs: 5 * MIN });
    w.push(0, 1);
    w.push(2 * MIN, 2);
    w.evict(5 * MIN);
    expect(w.count).toBe(1);
    expect(w.first).toBe(2);
    w.evict(7 * MIN);
    expect(w.count).toBe(0);
    expect(w.mean).toBeUndefined();
  });

  it('computes the least-squares slope per hour, also after many rebases', () => {
    const w = new RollingWindow({ spanMs: 30 * MIN });
    for (let i = 0; i < 5000; i++) w.push(1.7e12 + i * MIN, 50 - 0.5 * (i / 60));
    expect(w.slopePerHour).toBeCloseTo(-0.5, 6);
    expect(AGGREGATORS.delta(w)).toBeCloseTo(-0.5 * (29 / 60), 6);
  });

  it('bounds memory of long windows with cells and stays exact to one cell', () => {
    const w = new RollingWindow({ spanMs: 72 * 60 * MIN, cellMs: 18 * MIN });
    for (let i = 0; i < 6 * 24 * 60 * 6; i++) w.push(i * 10_000, i % 2 === 0 ? 1 : 3);
    expect(w.mean).toBeCloseTo(2, 6);
    expect(w.min).toBe(1);
    expect(w.max).toBe(3);
    // 72 h of 18-minute cells, plus the partly evicted edge cell.
    expect(w.coveredMs).toBeLessThanOrEqual(72 * 60 * MIN + 18 * MIN);
    expect(w.coveredMs).toBeGreaterThan(71 * 60 * MIN);
  });

  it('counts cells dropped at the cap instead of losing them silently', () => {
    const w = new RollingWindow({ spanMs: 1000 * MIN, maxCells: 10 });
    for (let i = 0; i < 15; i++) w.push(i * MIN, i);
    expect(w.count).toBe(10);
    expect(w.overflow).toBe(5);
    expect(w.min).toBe(5);
  });

  it('keeps min/max right as the cell holding them leaves (cached extremes)', () => {
    const w = new RollingWindow({ spanMs: 3 * MIN, features: { extremes: true, stddev: false, slope: false, first: false } });
    const seen: [number, number][] = [];
    const values = [5, 1, 9, 4, 4, 8, 2, 7, 3, 6, 0, 10];
    values.forEach((v, i) => {
      w.push(i * MIN, v);
      seen.push([i * MIN, v]);
      const ref = naive(seen, i * MIN, 3 * MIN);
      expect([w.min, w.max]).toEqual([ref.min, ref.max]);
    });
  });

  it('grows its ring past the first cells without losing order', () => {
    const w = new RollingWindow({ spanMs: 100 * MIN });
    for (let i = 0; i < 40; i++) w.push(i * MIN, i);
    expect(w.count).toBe(40);
    expect(w.first).toBe(0);
    expect(w.last).toBe(39);
    expect(w.coveredMs).toBe(39 * MIN);
    expect(w.mean).toBeCloseTo(19.5, 12);
  });

  it('refuses to answer what its plan left out instead of guessing', () => {
    const w = new RollingWindow({ spanMs: 10 * MIN, features: { extremes: false, stddev: false, slope: false, first: false } });
    w.push(0, 1);
    w.push(MIN, 3);
    expect(w.mean).toBe(2);
    expect(w.last).toBe(3);
    expect(() => w.min).toThrow(/not planned/);
    expect(() => w.slopePerHour).toThrow(/not planned/);
    expect(() => w.first).toThrow(/not planned/);
  });

  it('keeps the cells\' oldest times only when coverage is planned (a read with minSpan)', () => {
    const none = { extremes: false, stddev: false, slope: false, first: false };
    const cov = new RollingWindow({ spanMs: 60 * MIN, cellMs: 5 * MIN, features: { ...none, coverage: true } });
    const bare = new RollingWindow({ spanMs: 60 * MIN, cellMs: 5 * MIN, features: { ...none, coverage: false } });
    for (let i = 0; i < 30; i++) {
      cov.push(i * MIN, i);
      bare.push(i * MIN, i);
    }
    expect(cov.coveredMs).toBe(29 * MIN);
    expect(bare.mean).toBe(cov.mean);
    expect(bare.nextEvictionAt).toBe(cov.nextEvictionAt);
    expect(() => bare.coveredMs).toThrow(/not planned/);
  });

  it('keeps mean cells in single precision without drift: same counts and edges as doubles, means to 1e-6', () => {
    const none = { extremes: false, stddev: false, slope: false, first: false };
    const opts = { spanMs: 60 * MIN, cellMs: 5 * MIN };
    const single = new RollingWindow({ ...opts, features: { ...none, coverage: false } });
    const double = new RollingWindow({ ...opts, features: { ...none, coverage: true } });
    expect(cellFloats({ ...opts, features: { ...none, coverage: false } })).toBe(13 * 3);
    expect(cellFloats({ ...opts, features: { ...none, coverage: true } })).toBe(0);
    let x = 11;
    // Three days of 10-s samples (the single-precision time base moves every 4.6 h), with gaps.
    for (let i = 0; i < 3 * 24 * 360; i++) {
      x = (x * 48271) % 2147483647;
      if (x % 97 === 0) continue;
      const t = 1.7e12 + i * 10_000 + (x % 7);
      const v = 1000 + (x % 100_000) / 997;
      single.push(t, v);
      double.push(t, v);
      expect(single.count).toBe(double.count);
      expect(single.nextEvictionAt).toBe(double.nextEvictionAt);
      expect(single.newestTime).toBe(t);
      expect(Math.abs((single.mean as number) - (double.mean as number))).toBeLessThan(1e-6 * (double.mean as number));
    }
    single.evict(1.7e12 + 3 * 24 * 3_600_000 + 61 * MIN);
    expect(single.count).toBe(0);
    expect(single.mean).toBeUndefined();
  });
});
