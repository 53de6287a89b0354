import { describe, expect, it } from 'vitest';
import { miniNetwork } from '../../rules/test-fixtures';
import { poissonUpperTail } from './poisson';
import { TicketSurgeDetector } from './ticket-surge';

const H = 3_600_000;
const D = 24 * H;
const T = Date.parse('2025-01-01T00:00:00Z');
const net = miniNetwork();
const opts = { windowMs: 6 * H, pAlarm: 1e-4, minCount: 3 };

function withWeather(days: number, outdoorC: (t: number) => number): TicketSurgeDetector {
  const s = new TicketSurgeDetector(net, opts);
  for (let t = T; t < T + days * D; t += H) s.observeOutdoor(t, outdoorC(t));
  return s;
}

describe('poissonUpperTail', () => {
  it('matches hand-computed values', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonUpperTail(3, 0.5)).toBeCloseTo(1 - Math.exp(-0.5) * (1 + 0.5 + 0.125), 12);
    expect(poissonUpperTail(3, 0)).toBe(0);
    expect(poissonUpperTail(60, 10)).toBeLessThan(1e-20);
  });
});

describe('TicketSurgeDetector', () => {
  it('warns of a burst of complaints in a compound far above its expectation, at compound and station', () => {
    const s = withWeather(10, () => -5);
    const opened = [0, 1, 2].flatMap((k) => s.add('jianshe', T + 9 * D + k * H)); // jianshe has no indoor sensor
    expect(opened.map((w) => w.level).sort()).toEqual(['compound', 'station']);
    const w = opened.find((x) => x.level === 'compound');
    expect(w).toMatchObject({ entityId: 'jianshe', stationId: 'dexuan', indoorSensors: 0, observed: 3, state: 'open' });
    expect(w?.expected).toBeLessThan(0.1);
    expect(w?.pValue).toBeLessThan(1e-4);
  });

  it('learns an area\'s own rate: a compound that always complains is not surging', () => {
    const s = withWeather(30, () => -5);
    // jianshe: a complaint every 4 hours for 28 days
    for (let t = T + D; t < T + 29 * D; t += 4 * H) expect(s.add('jianshe', t)).toEqual([]);
    const e = s.expectation('compound', 'jianshe', T + 29 * D);
    expect(e?.expected).toBeGreaterThan(0.8); // about 1.5 expected in six hours
    expect([0, 1, 2].flatMap((k) => s.add('jianshe', T + 29 * D + k * H)).filter((w) => w.level === 'compound')).toEqual([]);
  });

  it('expects more complaints when it is colder (the heating deficit is the covariate)', () => {
    const mild = withWeather(5, () => 5);
    const cold = withWeather(5, (t) => (t >= T + 5 * D - 6 * H ? -20 : 5)); // same history, a cold window
    const em = mild.expectation('compound', 'jianshe', T + 5 * D)?.expected ?? 0;
    const ec = cold.expectation('compound', 'jianshe', T + 5 * D)?.expected ?? 0;
    expect(ec / em).toBeCloseTo(38 / 13, 1);
  });

  it('closes a warning a window after its last ticket', () => {
    const s = withWeather(10, () => -5);
    for (const k of [0, 1, 2]) s.add('jianshe', T + 9 * D + k * H);
    expect(s.tick(T + 9 * D + 7 * H)).toEqual([]);
    const closed = s.tick(T + 9 * D + 9 * H);
    expect(closed.map((w) => w.state)).toEqual(['closed', 'closed']);
    expect(s.list().every((w) => w.state === 'closed')).toBe(true);
    expect(s.list(T + 9 * D + 9 * H)).toEqual([]);
  });
});
