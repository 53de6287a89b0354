// Sensor faults raise sensor alerts and mark the data untrustworthy: they must not raise
// under-heating. Real cold with good sensors still must.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { loadBuiltinRules } from './rule-loader';
import { HOUR, makeEngine, MIN, T0 } from './test-fixtures';
import { scenario } from './test-scenario';

const pack = loadBuiltinRules();

function ruleIds(metrics: readonly Metric[]) {
  const h = makeEngine(pack);
  h.engine.ingest(metrics);
  h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
  const opened = h.events.flatMap((e) => (e.type === 'alert.opened' ? [e.alert] : []));
  return { ids: [...new Set(opened.map((a) => `${a.ruleId}:${a.entity.id}`))].sort(), opened };
}

const FAULT = T0 + HOUR;
/** donghu-yiyuan has one indoor sensor (s1); longhu-huating has two. */
const donghu = (value: (t: number, truth: number) => number | undefined) => ({ sensorOverride: { compound: 'donghu-yiyuan', sensor: 'donghu-yiyuan-s1', value } });

describe('sensor faults do not raise under-heating', () => {
  it('control: real cold with healthy sensors raises under-heating', () => {
    const { ids } = ruleIds(scenario(6, { indoorOf: { 'donghu-yiyuan': (t) => (t < FAULT ? 20.5 : 16.5) } }));
    expect(ids).toEqual(['underheat-indoor:donghu-yiyuan']);
  });

  it('a frozen cold reading is a flat-line, not cold homes', () => {
    const { ids, opened } = ruleIds(scenario(6, donghu((t, truth) => (t < FAULT ? truth : 15.2))));
    expect(ids).toEqual(['sensor-flatline:donghu-yiyuan']);
    expect(opened[0]?.evidence.items[0]).toMatchObject({ signal: 't_indoor|donghu-yiyuan-s1', detail: expect.stringMatching(/^flatline: unchanged at 15\.2/) });
  });

  it('an out-of-range reading is a sensor fault', () => {
    const { ids } = ruleIds(scenario(6, donghu((t, truth) => (t < FAULT ? truth : -50 + (Math.floor(t / (5 * MIN)) % 5)))));
    expect(ids).toEqual(['sensor-range:donghu-yiyuan']);
  });

  it('a sensor that stops reporting is stale data, not cold homes', () => {
    const { ids, opened } = ruleIds(scenario(6, donghu((t, truth) => (t < FAULT ? truth : undefined))));
    expect(ids).toEqual(['sensor-stale:donghu-yiyuan']);
    expect(opened[0]?.openedAt).toBe(FAULT - 5 * MIN + 15 * MIN);
  });

  it('repeated spikes are a sensor fault and do not drag the mean into an alert', () => {
    const spiky = (t: number, truth: number) => (t >= FAULT && (t - FAULT) % (30 * MIN) === 0 ? truth - 12 : truth);
    const { ids } = ruleIds(scenario(6, donghu(spiky)));
    expect(ids).toEqual(['sensor-spike:donghu-yiyuan']);
  });

  it('one of two sensors frozen low: the other keeps judging, no under-heating', () => {
    const { ids } = ruleIds(scenario(6, { sensorOverride: { compound: 'longhu-huating', sensor: 'longhu-huating-s2', value: (t, truth) => (t < FAULT ? truth : 14) } }));
    expect(ids).toEqual(['sensor-flatline:longhu-huating']);
  });

  it('two sensors that disagree for hours hand the compound to the hydraulic judgement', () => {
    // s2 drifts down 0.5 K/h: the pair disagrees (4 K) before their mean falls below 18 °C.
    const drifting = (t: number, truth: number) => (t < FAULT ? truth : truth - Math.min(8, (t - FAULT) / (2 * HOUR)));
    const { ids } = ruleIds(scenario(16, { sensorOverride: { compound: 'longhu-huating', sensor: 'longhu-huating-s2', value: drifting } }));
    expect(ids).toEqual(['indoor-sensors-disagree:longhu-huating']);
  });
});
