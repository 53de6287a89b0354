// Event time: the same readings in any batching and any arrival order within the allowed
// lateness give the same alerts and incidents; late readings are dropped and counted.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import type { Alert } from './alert';
import { loadBuiltinRules } from './rule-loader';
import { HOUR, makeEngine, MIN, T0 } from './test-fixtures';
import { scenario, shuffled } from './test-scenario';

const LATENESS = 5 * MIN;
const rules = loadBuiltinRules();

const day = scenario(12, {
  pumpTrip: { station: 'xingfu', from: T0 + 2 * HOUR, to: T0 + 4 * HOUR },
  plantDrop: { stations: ['dexuan', 'xingfu'], from: T0 + 6 * HOUR, to: T0 + 9 * HOUR, dropK: 25 },
  indoorOf: { 'longhu-huating': (t) => (t < T0 + 3 * HOUR ? 20.5 : Math.max(15.5, 20.5 - (t - T0 - 3 * HOUR) / HOUR)) },
});

/** What must be identical: everything about each alert but the wall-clock parts (none here). */
function summary(alerts: readonly Alert[]) {
  return alerts.map((a) => ({ id: a.id, state: a.state, count: a.count, severity: a.peakSeverity, evidence: a.evidence, incidentId: a.incidentId, history: a.history }));
}

function run(batches: readonly (readonly Metric[])[]) {
  const h = makeEngine(rules, { allowedLatenessMs: LATENESS });
  const all = new Map<string, Alert>();
  for (const b of batches) h.engine.ingest(b);
  h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
  for (const e of h.events) if ('alert' in e) all.set(e.alert.id, e.alert);
  return { alerts: summary([...all.values()].sort((a, b) => (a.id < b.id ? -1 : 1))), incidents: h.engine.incidents(), stats: h.engine.stats(), events: h.events.map((e) => e.type) };
}

/** Batches of random size whose readings are shuffled within windows shorter than the lateness. */
function jumbled(seed: number): Metric[][] {
  const windows = new Map<number, Metric[]>();
  for (const m of day) {
    const k = Math.floor((m.time - T0) / (4 * MIN));
    windows.set(k, [...(windows.get(k) ?? []), m]);
  }
  const flat = [...windows.keys()].sort((a, b) => a - b).flatMap((k) => shuffled(windows.get(k) ?? [], seed + k));
  const out: Metric[][] = [];
  let x = seed;
  for (let i = 0; i < flat.length; ) {
    x = (x * 48271) % 2147483647;
    const n = 1 + (x % 97);
    out.push(flat.slice(i, i + n));
    i += n;
  }
  return out;
}

describe('event-time determinism', () => {
  const reference = run([day]);

  it('the scenario raises alerts and incidents at all (the comparison is not vacuous)', () => {
    const rulesFired = new Set(reference.alerts.map((a) => a.id.split('@')[0]));
    expect(rulesFired).toContain('pump-trip');
    expect(rulesFired).toContain('underheat-indoor');
    expect(rulesFired).toContain('network-supply-drop');
    expect(reference.incidents.length).toBeGreaterThan(0);
    expect(reference.stats.late).toBe(0);
  });

  it('gives identical alerts for one batch per reading time', () => {
    const byTime = new Map<number, Metric[]>();
    for (const m of day) byTime.set(m.time, [...(byTime.get(m.time) ?? []), m]);
    const r = run([...byTime.values()]);
    expect(r.alerts).toEqual(reference.alerts);
    expect(r.incidents).toEqual(reference.incidents);
    expect(r.events).toEqual(reference.events);
  });

  it.each([1, 2, 3])('gives identical alerts with random batches and arrival order within lateness (seed %i)', (seed) => {
    const r = run(jumbled(seed));
    expect(r.stats.late).toBe(0);
    expect(r.alerts).toEqual(reference.alerts);
    expect(r.incidents).toEqual(reference.incidents);
    expect(r.events).toEqual(reference.events);
  });

  it('gives identical alerts when replayed twice on the same engine settings', () => {
    expect(run([day])).toEqual(reference);
  });

  it('drops readings older than the watermark, counts them, and evaluates the rest unchanged', () => {
    const h = makeEngine(rules, { allowedLatenessMs: LATENESS });
    const late = day.filter((m) => m.time === T0 + HOUR);
    const rest = day.filter((m) => m.time !== T0 + HOUR);
    const split = rest.findIndex((m) => m.time >= T0 + 2 * HOUR);
    h.engine.ingest(rest.slice(0, split));
    const r = h.engine.ingest(late);
    expect(r).toMatchObject({ accepted: 0, late: late.length });
    expect(h.engine.stats().late).toBe(late.length);
    expect(h.logs).toContainEqual({ level: 'warn', obj: expect.objectContaining({ late: late.length }), msg: 'rules engine dropped readings' });
  });
});
