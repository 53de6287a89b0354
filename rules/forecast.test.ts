import { describe, expect, it } from 'vitest';
import { createForecastBuffer, forecastAt } from './forecast';
import { HOUR, T0, weather } from './test-fixtures';

describe('forecast buffer', () => {
  it('answers from the newest issue issued by then, never from a later one', () => {
    const f = createForecastBuffer();
    f.add([weather(T0 + HOUR, -5), weather(T0 + 2 * HOUR, -6)], T0);
    f.add([weather(T0 + 2 * HOUR, -9), weather(T0 + 3 * HOUR, -10)], T0 + HOUR);
    expect(f.outdoor('jyg', T0 + 30 * 60_000, 6 * HOUR)).toEqual([
      { time: T0 + HOUR, outdoorC: -5 },
      { time: T0 + 2 * HOUR, outdoorC: -6 },
    ]);
    expect(f.outdoor('jyg', T0 + HOUR, 6 * HOUR)).toEqual([
      { time: T0 + 2 * HOUR, outdoorC: -9 },
      { time: T0 + 3 * HOUR, outdoorC: -10 },
    ]);
    expect(f.outdoor('jyg', T0 - 1, 6 * HOUR)).toEqual([]);
    expect(f.outdoor('elsewhere', T0, 6 * HOUR)).toEqual([]);
  });

  it('keeps a bounded number of issues per site and counts what it dropped', () => {
    const f = createForecastBuffer(2);
    for (let i = 0; i < 5; i++) f.add([weather(T0 + (i + 1) * HOUR, i)], T0 + i * HOUR);
    expect(f.dropped).toBe(3);
  });

  it('interpolates between points and holds the ends', () => {
    const pts = [
      { time: T0 + HOUR, outdoorC: -10 },
      { time: T0 + 3 * HOUR, outdoorC: -20 },
    ];
    expect(forecastAt(pts, 0, T0, T0 + HOUR / 2)).toBe(-5);
    expect(forecastAt(pts, 0, T0, T0 + 2 * HOUR)).toBe(-15);
    expect(forecastAt(pts, 0, T0, T0 + 10 * HOUR)).toBe(-20);
    expect(forecastAt([], 3, T0, T0 + HOUR)).toBe(3);
  });
});
