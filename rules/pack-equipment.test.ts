// The built-in pack's station rules on hand-made readings: pump trip, primary heat lost,
// compensation curve, leak, small ΔT.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { loadBuiltinRules } from './rule-loader';
import { healthyStation, HOUR, makeEngine, miniNetwork, MIN, T0, weather, type StationState } from './test-fixtures';

const pack = loadBuiltinRules();
const net = miniNetwork();
const SCAN = MIN;

/** dexuan scanned every minute at −5 °C, with overrides from a function of time. */
function dexuan(hours: number, over: (t: number) => Readonly<Record<string, number | string | undefined>>, st: (t: number) => StationState = () => ({}), start = T0): Metric[] {
  const out: Metric[] = [];
  for (let t = start; t < start + hours * HOUR; t += SCAN) {
    if ((t - start) % (5 * MIN) === 0) out.push(weather(t, -5 + ((t / MIN) % 3) * 0.1));
    const fields = Object.fromEntries(Object.entries(over(t)).filter((kv): kv is [string, number | string] => kv[1] !== undefined));
    out.push(healthyStation(net, 'dexuan', t, -5, fields, st(t)));
  }
  return out;
}

function alertsOf(metrics: readonly Metric[], rules = pack) {
  const h = makeEngine(rules);
  h.engine.ingest(metrics);
  h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
  const opened = h.events.flatMap((e) => (e.type === 'alert.opened' ? [e.alert] : []));
  return { opened, ruleIds: [...new Set(opened.map((a) => a.ruleId))].sort(), h };
}

describe('pump trip', () => {
  const trip = T0 + HOUR + 30_000; // between two scans

  it('fires within two scan intervals of the trip, from the pump state', () => {
    const { opened } = alertsOf(dexuan(2, (t) => (t >= trip ? { pump_state: 'fault', pump_hz: 0, flow2: 0 } : {})));
    const a = opened.find((x) => x.ruleId === 'pump-trip');
    expect(a).toBeDefined();
    expect((a?.openedAt ?? Infinity) - trip).toBeLessThanOrEqual(2 * SCAN);
    expect(a?.severity).toBe('critical');
  });

  it('fires from the flow collapse alone when the RTU sends no pump state', () => {
    const { opened } = alertsOf(dexuan(2, (t) => (t >= trip ? { flow2: 4 } : {})).map((m) => ({ ...m, fields: Object.fromEntries(Object.entries(m.fields).filter(([k]) => k !== 'pump_state')) })));
    const a = opened.find((x) => x.ruleId === 'pump-trip');
    expect((a?.openedAt ?? Infinity) - trip).toBeLessThanOrEqual(2 * SCAN);
  });

  it('stays quiet outside the heating season', () => {
    const july = Date.parse('2025-07-10T00:00:00+08:00');
    const { ruleIds } = alertsOf(dexuan(2, (t) => (t >= july + HOUR ? { pump_state: 'stop', flow2: 0 } : {}), () => ({}), july));
    expect(ruleIds).not.toContain('pump-trip');
  });
});

describe('station supply rules', () => {
  it('a healthy station raises nothing', () => {
    expect(alertsOf(dexuan(6, () => ({}))).ruleIds).toEqual([]);
  });

  it('primary heat lost: primary flow gone while the secondary circulates', () => {
    const lost = T0 + HOUR;
    const { opened } = alertsOf(dexuan(3, (t) => (t >= lost ? { flow1: 0.5, valve_pct: 100 } : {}), (t) => (t >= lost ? { curveOffsetK: -10, heatShare: 0.2 } : {})));
    const a = opened.find((x) => x.ruleId === 'primary-heat-lost');
    expect(a).toBeDefined();
    expect((a?.openedAt ?? 0) - lost).toBeGreaterThanOrEqual(10 * MIN);
    expect((a?.openedAt ?? Infinity) - lost).toBeLessThan(25 * MIN);
  });

  it('compensation-low: 8 K under the curve fires, 2 K does not', () => {
    const start = T0 + HOUR;
    const run = (k: number) => alertsOf(dexuan(4, () => ({}), (t) => (t >= start ? { curveOffsetK: k } : {}))).ruleIds;
    expect(run(-8)).toContain('compensation-low');
    expect(run(-2)).not.toContain('compensation-low');
    expect(run(8)).toContain('compensation-high');
  });

  it('leak: make-up flow far above its own baseline, after the baseline has history', () => {
    const leak = T0 + 8 * HOUR;
    const { opened } = alertsOf(dexuan(10, (t) => (t >= leak ? { makeup_flow: 3.08 + ((t / MIN) % 2) * 0.01 } : { makeup_flow: 0.08 + ((t / MIN) % 2) * 0.01 })));
    const a = opened.find((x) => x.ruleId === 'leak');
    expect(a).toBeDefined();
    expect((a?.openedAt ?? Infinity) - leak).toBeLessThanOrEqual(30 * MIN);
    // Without six hours of baseline, nothing is judged.
    const early = alertsOf(dexuan(3, (t) => (t >= T0 + HOUR ? { makeup_flow: 3 } : {}))).ruleIds;
    expect(early).not.toContain('leak');
  });

  it('small ΔT: large flow and a few kelvin for hours is an efficiency advisory', () => {
    const from = T0 + HOUR;
    const smallDt = (t: number): Record<string, number> => {
      if (t < from) return {};
      const f = healthyStation(net, 'dexuan', t, -5).fields;
      const ts = f['t2_supply'] as number;
      const dt1 = (f['t1_supply'] as number) - (f['t1_return'] as number);
      // 240 m³/h at 3 K; the primary side carries the same heat, so the meters agree.
      const g = 240 + ((t / MIN) % 3) * 0.1; // a live meter, never frozen
      return { flow2: g, t2_return: ts - 3, flow1: (g * 3) / dt1 };
    };
    const { opened } = alertsOf(dexuan(7, smallDt));
    const a = opened.find((x) => x.ruleId === 'small-dt');
    expect(a?.severity).toBe('advisory');
    expect(a?.openedAt).toBeGreaterThanOrEqual(from + 4 * HOUR);
    expect(opened.map((x) => x.ruleId)).not.toContain('meter-energy-balance');
  });
});
