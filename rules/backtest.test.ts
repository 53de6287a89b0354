import { describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { runBacktest } from './backtest';
import { loadBuiltinRules } from './rule-loader';
import { HOUR, miniNetwork, MIN, T0 } from './test-fixtures';
import { scenario } from './test-scenario';
import { parseTruth } from './truth';

const rules = loadBuiltinRules();
const day = scenario(12, {
  pumpTrip: { station: 'xingfu', from: T0 + 2 * HOUR, to: T0 + 4 * HOUR },
  plantDrop: { stations: ['dexuan', 'xingfu'], from: T0 + 6 * HOUR, to: T0 + 9 * HOUR, dropK: 25 },
  indoorOf: { 'longhu-huating': (t) => (t < T0 + 3 * HOUR ? 20.5 : Math.max(15.5, 20.5 - (t - T0 - 3 * HOUR) / HOUR)) },
});

const iso = (t: number) => new Date(t).toISOString();
/** Hand-made truth: two faults injected above, two that were not (misses), two episodes (one real). */
const truth = parseTruth({
  faults: [
    { id: 'f1', type: 'pump-trip', entity: 'xingfu', start: T0 + 2 * HOUR, end: T0 + 4 * HOUR },
    { id: 'f2', type: 'plant_supply_drop', entity: { kind: 'primaryNetwork', id: 'pn1' }, start: iso(T0 + 6 * HOUR), end: iso(T0 + 9 * HOUR), magnitude: 25 },
    { id: 'f3', type: 'pump-trip', entity: 'xiyu', start: T0 + 10 * HOUR, end: T0 + 11 * HOUR },
    { id: 'f4', type: 'leak', entity: 'dexuan', start: T0 + HOUR, end: T0 + 2 * HOUR },
  ],
  episodes: [
    { compoundId: 'longhu-huating', start: T0 + 330 * MIN, end: T0 + 12 * HOUR, minIndoorC: 15.5, cause: 'fault' },
    { compoundId: 'donghu-yiyuan', start: T0 + HOUR, end: T0 + 2 * HOUR, minIndoorC: 17.5, cause: 'tail-end' },
  ],
});

async function* inBatches(metrics: readonly Metric[], size: number): AsyncGenerator<readonly Metric[]> {
  for (let i = 0; i < metrics.length; i += size) yield metrics.slice(i, i + size);
}

describe('backtest', () => {
  it('scores alerts per fault class: recall, precision and median detection delay', async () => {
    const r = await runBacktest({ network: miniNetwork(), rules, batches: inBatches(day, 500), truth });
    const cls = Object.fromEntries((r.score?.byClass ?? []).map((c) => [c.faultClass, c]));
    expect(cls['pump-trip']).toMatchObject({ faults: 2, detected: 1, recall: 0.5, truePositives: 1, precision: 1, medianDelayMs: 0 });
    expect(cls['plant-supply-drop']).toMatchObject({ faults: 1, detected: 1, recall: 1, precision: 1, medianDelayMs: 20 * MIN });
    expect(cls['plant-supply-drop']?.truePositives).toBe(3); // the network alert and both stations off their curve
    expect(cls['leak']).toMatchObject({ faults: 1, detected: 0, recall: 0, alerts: 0, precision: undefined, medianDelayMs: undefined });
    expect(cls['underheating']).toMatchObject({ faults: 2, detected: 1, recall: 0.5, medianDelayMs: 80 * MIN });
    const rule = Object.fromEntries((r.score?.byRule ?? []).map((x) => [x.ruleId, x]));
    expect(rule['pump-trip']).toMatchObject({ alerts: 1, truePositives: 1, precision: 1 });
    expect(rule['small-dt']).toMatchObject({ alerts: 0, precision: undefined });
    expect(r.alertsPerRule['compensation-low']).toBe(2);
    expect(r.from).toBe(T0);
    expect(r.stats.late).toBe(0);
  });

  it('counts an alert no truth explains against the classes its rule claims', async () => {
    const noDrop = parseTruth({ faults: [{ id: 'c1', type: 'curve-deviation', entity: 'xiyu', start: T0, end: T0 + HOUR }] });
    const r = await runBacktest({ network: miniNetwork(), rules, batches: [day], truth: noDrop });
    const cd = r.score?.byClass.find((c) => c.faultClass === 'curve-deviation');
    // The two compensation-low alerts of the (unlisted) plant drop are false positives here.
    expect(cd).toMatchObject({ faults: 1, detected: 0, truePositives: 0, alerts: 2, precision: 0 });
  });

  it('gives the same alerts for any batching of the same history', async () => {
    const a = await runBacktest({ network: miniNetwork(), rules, batches: inBatches(day, 37) });
    const b = await runBacktest({ network: miniNetwork(), rules, batches: [day] });
    expect(a.alerts).toEqual(b.alerts);
    expect(a.score).toBeUndefined();
  });

  it('reads truth tolerantly and names a bad field', () => {
    expect(parseTruth({}).faults).toEqual([]);
    expect(() => parseTruth({ faults: [{ id: 'x', type: 'leak', entity: 'a', start: 'yesterday', end: 1 }] }, 'truth.json')).toThrowError(/truth\.json: field faults\.0\.start: not a time/);
  });
});
