import { describe, expect, it } from 'vitest';
import { compensationSetpoint } from '../domain/compensation';
import type { Metric } from '../domain/telemetry';
import { createForecastBuffer } from './forecast';
import { IndoorResponse, predictIndoor } from './indoor-response';
import { loadBuiltinRules } from './rule-loader';
import { compound, healthyStation, HOUR, indoor, makeEngine, miniNetwork, MIN, T0, weather } from './test-fixtures';

const TAU_H = 40; // mini network: timeConstantH of every compound
const A = 3;
const B = 0.44;
const net = miniNetwork();
const curve = net.station('dexuan')!.curve;
const waterOf = (to: number) => compensationSetpoint(curve, to) - 6;
const steady = (to: number) => to + A + B * (waterOf(to) - to);

/** The first-order room model, stepped every 5 minutes; returns indoor °C per step. */
function rooms(outdoor: (t: number) => number, from: number, to: number): Map<number, number> {
  const out = new Map<number, number>();
  let ti = steady(outdoor(from));
  const decay = Math.exp(-5 / 60 / TAU_H);
  for (let t = from - 48 * HOUR; t < to; t += 5 * MIN) {
    const tss = steady(outdoor(Math.max(from, t)));
    ti = tss + (ti - tss) * decay;
    if (t >= from) out.set(t, ti);
  }
  return out;
}

const diurnal = (t: number) => -5 + 3 * Math.sin((2 * Math.PI * (t - T0)) / (24 * HOUR));
const SNAP = T0 + 72 * HOUR;
/** Three ordinary days, then a cold snap: down to −30 °C over six hours. */
const snap = (t: number) => (t < SNAP ? diurnal(t) : Math.max(-30, diurnal(SNAP) - ((diurnal(SNAP) + 30) * (t - SNAP)) / (6 * HOUR)));

function readings(outdoor: (t: number) => number, hours: number): { metrics: Metric[]; crossing: number | undefined } {
  const ti = rooms(outdoor, T0, T0 + hours * HOUR);
  const metrics: Metric[] = [];
  let crossing: number | undefined;
  for (const [t, v] of ti) {
    const to = outdoor(t);
    const sp = compensationSetpoint(curve, to);
    const wob = (Math.floor(t / (5 * MIN)) % 3) * 0.03;
    metrics.push(weather(t, Math.round(to * 10) / 10));
    metrics.push(healthyStation(net, 'dexuan', t, to));
    metrics.push(compound('longhu-huating', t, { t_supply: sp + wob, t_return: sp - 12 + wob, dp: 30 + wob, flow: 40 + wob }));
    metrics.push(indoor('longhu-huating', 'longhu-huating-s1', t, v + 0.1 + wob), indoor('longhu-huating', 'longhu-huating-s2', t, v - 0.1 - wob));
    if (crossing === undefined && v < 18) crossing = t;
  }
  return { metrics, crossing };
}

describe('learned indoor response', () => {
  it('recovers the room model from a few days of hourly history', () => {
    const r = new IndoorResponse({ timeConstantH: TAU_H });
    for (const [t, v] of rooms(diurnal, T0, T0 + 96 * HOUR)) r.add(t, v, diurnal(t), waterOf(diurnal(t)));
    const fit = r.fit();
    expect(fit?.source).toBe('fit');
    expect(fit?.b).toBeCloseTo(B, 1);
    expect(fit?.a).toBeGreaterThan(A - 1.5);
    expect(fit?.a).toBeLessThan(A + 1.5);
    expect(fit?.waterSlope).toBeLessThan(0);
  });

  it('has no fit without enough varied history', () => {
    const r = new IndoorResponse({ timeConstantH: TAU_H });
    for (let t = T0; t < T0 + 10 * HOUR; t += 5 * MIN) r.add(t, 20, -5, 45);
    expect(r.fit()).toBeUndefined();
  });

  it('predicts the crossing in a cold forecast and none in mild weather', () => {
    const fit = { a: A, b: B, waterSlope: undefined, n: 50, r2: 0.9, bias: 0, source: 'fit' as const };
    const base = { indoorC: 19, outdoorNowC: -5, waterNowC: waterOf(-5), fit, timeConstantH: 10, horizonH: 12, thresholdC: 18, waterFor: waterOf };
    const cold = predictIndoor({ ...base, outdoorAt: () => -30 });
    expect(cold.hoursToCross).toBeGreaterThan(0);
    expect(cold.hoursToCross).toBeLessThan(12);
    expect(cold.minC).toBeLessThan(18);
    const mild = predictIndoor({ ...base, outdoorAt: () => -5 });
    expect(mild.hoursToCross).toBeUndefined();
    expect(mild.minC).toBeGreaterThanOrEqual(18.9);
  });
});

describe('prediction through a clipped curve', () => {
  // A curve from 39.2 °C at +5 °C to 60.2 °C at −15 °C, clipped at 65 °C; water ≈ ¾ of the supply.
  const supply = (to: number): number => Math.min(65, Math.max(35, 39.2 - 1.05 * (to - 5)));
  const base = {
    indoorC: 18.6,
    outdoorNowC: -23,
    waterNowC: 0.75 * supply(-23),
    fit: { a: -5, b: 0.65, waterSlope: -0.8, n: 60, r2: 0.9, bias: 0, source: 'fit' as const },
    timeConstantH: 15,
    horizonH: 12,
    thresholdC: 18,
    // The coldest morning: warming by 1 K an hour to −15 °C.
    outdoorAt: (h: number) => Math.min(-15, -23 + h),
    waterFor: (to: number) => 0.75 * supply(to),
  };

  it('does not predict rooms cooling as the afternoon warms while the supply sits at its clip', () => {
    const p = predictIndoor({ ...base, curveSlope: 0.75 * -1.05 });
    expect(p.hoursToCross).toBeUndefined();
    expect(p.minC).toBeGreaterThan(18.4);
    // A straight learned line would have lowered the water all the way and predicted a crossing.
    expect(predictIndoor(base).hoursToCross).toBeDefined();
  });
});

describe('predicted under-heating (engine)', () => {
  const pack = loadBuiltinRules();

  function run(outdoor: (t: number) => number, hours: number) {
    const { metrics, crossing } = readings(outdoor, hours);
    const forecast = createForecastBuffer();
    forecast.add(metrics.filter((m) => m.measurement === 'weather'), T0);
    const h = makeEngine(pack, {}, forecast);
    h.engine.ingest(metrics);
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    const opened = h.events.flatMap((e) => (e.type === 'alert.opened' ? [e.alert] : []));
    return { opened, crossing };
  }

  it('warns at least 6 h before a cold snap takes the rooms below 18 °C', () => {
    const { opened, crossing } = run(snap, 96);
    expect(crossing).toBeDefined();
    const pred = opened.find((a) => a.ruleId === 'underheat-predicted');
    expect(pred).toBeDefined();
    const lead = (crossing ?? 0) - (pred?.openedAt ?? Infinity);
    expect(lead).toBeGreaterThanOrEqual(6 * HOUR);
    expect(pred?.evidence.show.find((x) => x.signal === 'indoor_pred_hours')?.value).toBeLessThanOrEqual(12);
    expect(opened.find((a) => a.ruleId === 'underheat-indoor')?.openedAt).toBeGreaterThan(crossing ?? 0);
  });

  it('stays quiet when the weather stays ordinary', () => {
    const { opened, crossing } = run(diurnal, 96);
    expect(crossing).toBeUndefined();
    expect(opened.map((a) => a.ruleId)).toEqual([]);
  });
});
