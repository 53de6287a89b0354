import { describe, expect, it } from 'vitest';
import { HourPoints } from './hour-points';

const H0 = Math.floor(Date.parse('2027-01-15T00:00:00Z') / 3_600_000);

describe('HourPoints', () => {
  it('keeps the last `capacity` hours in order as the ring grows and wraps', () => {
    const h = new HourPoints(20);
    for (let i = 0; i < 53; i++) h.push(H0 + i, 20 + i / 10, -10 - i / 7, 50 + i / 3);
    expect(h.size).toBe(20);
    expect(h.newestHour).toBe(H0 + 52);
    expect(h.firstHour).toBe(H0 + 33);
    const pts = h.list();
    expect(pts.map((p) => p.hour)).toEqual(Array.from({ length: 20 }, (_, k) => H0 + 33 + k));
    // Indoor and outdoor to 1/500 K, water to 1/200 K.
    for (const p of pts) {
      const i = p.hour - H0;
      expect(Math.abs(p.indoor - (20 + i / 10))).toBeLessThanOrEqual(0.001 + 1e-12);
      expect(Math.abs(p.outdoor - (-10 - i / 7))).toBeLessThanOrEqual(0.001 + 1e-12);
      expect(Math.abs(p.water - (50 + i / 3))).toBeLessThanOrEqual(0.0025 + 1e-12);
    }
    expect(pts[0]).toEqual({ hour: H0 + 33, indoor: 23.3, outdoor: Math.round((-10 - 33 / 7) * 500) / 500, water: 61 });
  });

  it('holds the last `capacity` hours, not points: skipped hours stay empty and old ones leave', () => {
    const h = new HourPoints(10);
    h.push(H0, 18, -5, 40);
    h.push(H0 + 1, 18.5, -5, 40);
    h.push(H0 + 6, 19, -6, 41);
    expect(h.size).toBe(3);
    expect([h.has(H0), h.has(H0 + 2), h.has(H0 + 6), h.has(H0 + 7)]).toEqual([true, false, true, false]);
    expect(h.indoor(H0 + 1)).toBe(18.5);
    h.push(H0 + 10, 20, -7, 42);
    // H0 is now more than 10 hours before the newest.
    expect(h.list().map((p) => p.hour - H0)).toEqual([1, 6, 10]);
    expect(h.size).toBe(3);
    h.push(H0 + 30, 21, -8, 43);
    expect(h.list()).toEqual([{ hour: H0 + 30, indoor: 21, outdoor: -8, water: 43 }]);
    expect(h.size).toBe(1);
  });

  it('grows its ring as hours fill without losing a point', () => {
    const h = new HourPoints(168);
    for (let i = 0; i < 100; i += 3) h.push(H0 + i, 18 + (i % 7) / 4, -i / 10, 40 + i / 5);
    expect(h.size).toBe(34);
    expect(h.list().map((p) => p.hour - H0)).toEqual(Array.from({ length: 34 }, (_, k) => 3 * k));
    expect(h.indoor(H0 + 99)).toBe(18 + (99 % 7) / 4);
  });

  it('ignores an hour not after the newest, and non-finite values', () => {
    const h = new HourPoints(8);
    h.push(H0 + 5, 18, -5, 40);
    h.push(H0 + 5, 30, -5, 40);
    h.push(H0 + 4, 30, -5, 40);
    h.push(H0 + 6, Number.NaN, -5, 40);
    h.push(H0 + 7, 18, Number.POSITIVE_INFINITY, 40);
    expect(h.list()).toEqual([{ hour: H0 + 5, indoor: 18, outdoor: -5, water: 40 }]);
  });

  it('clamps a value beyond its 16-bit range instead of wrapping it', () => {
    const h = new HourPoints(4);
    h.push(H0, 90, -70, 200);
    expect(h.list()).toEqual([{ hour: H0, indoor: 32767 / 500, outdoor: -32767 / 500, water: 32767 / 200 }]);
  });

  it('starts at hour 0 (event times from the epoch, as a test or replay may give) without phantom hours', () => {
    const h = new HourPoints(168);
    h.push(0, 20, -5, 50);
    expect(h.firstHour).toBe(0);
    expect(h.has(-3)).toBe(false);
    expect(h.list()).toEqual([{ hour: 0, indoor: 20, outdoor: -5, water: 50 }]);
    for (let hour = 1; hour < 20; hour++) h.push(hour, 20, -5, 50);
    expect(h.size).toBe(20);
    expect(h.list().map((p) => p.hour)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('holds nothing with no capacity, and reads no newest hour when empty', () => {
    const h = new HourPoints(0);
    expect(h.newestHour).toBeUndefined();
    h.push(1, 2, 3, 4);
    expect(h.size).toBe(0);
    expect(h.list()).toEqual([]);
  });
});
