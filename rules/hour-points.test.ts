import { describe, expect, it } from 'vitest';
import { HourPoints } from './hour-points';

describe('HourPoints', () => {
  it('keeps the newest `capacity` points in order as the ring grows and wraps', () => {
    const h = new HourPoints(20);
    for (let i = 0; i < 53; i++) h.push(1000 + i, 20 + i / 10, -10 - i, 50 + i / 3);
    expect(h.size).toBe(20);
    expect(h.newestHour).toBe(1052);
    const pts = h.list();
    expect(pts.map((p) => p.hour)).toEqual(Array.from({ length: 20 }, (_, k) => 1033 + k));
    // Kept in single precision: hours exactly, temperatures rounded once.
    expect(pts[0]).toEqual({ hour: 1033, indoor: Math.fround(20 + 33 / 10), outdoor: -43, water: Math.fround(50 + 33 / 3) });
    expect(Math.abs((pts[0]?.indoor ?? 0) - 23.3)).toBeLessThan(1e-5);
  });

  it('keeps hours since 1970 exactly', () => {
    const h = new HourPoints(4);
    const hour = Math.floor(Date.parse('2027-01-15T00:00:00Z') / 3_600_000);
    h.push(hour, 18.25, -12.5, 45.75);
    expect(h.newestHour).toBe(hour);
    expect(h.list()).toEqual([{ hour, indoor: 18.25, outdoor: -12.5, water: 45.75 }]);
  });

  it('holds nothing with no capacity, and reads no newest hour when empty', () => {
    const h = new HourPoints(0);
    expect(h.newestHour).toBeUndefined();
    h.push(1, 2, 3, 4);
    expect(h.size).toBe(0);
    expect(h.list()).toEqual([]);
  });
});
