// The flow-starved rule on hand-made compound readings: a branch choked to a third of its
// siblings' share is found within its hour; an ordinary spread between branches is not.
import { describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { loadBuiltinRules } from './rule-loader';
import { healthyCompound, healthyStation, HOUR, makeEngine, miniNetwork, MIN, T0, weather } from './test-fixtures';

const net = miniNetwork();
const rule = loadBuiltinRules().filter((r) => r.id === 'flow-starved');

/** dexuan and its compounds at −8 °C; `share(t)` scales longhu-huating's flow. */
function readings(hours: number, share: (t: number) => number): Metric[] {
  const out: Metric[] = [];
  for (let t = T0; t < T0 + hours * HOUR; t += 5 * MIN) {
    out.push(weather(t, -8), healthyStation(net, 'dexuan', t, -8));
    for (const c of net.compoundsOf('dexuan')) {
      const m = healthyCompound(net, c.id, t, -8);
      const f = c.id === 'longhu-huating' ? share(t) : 1;
      out.push({ ...m, fields: { ...m.fields, flow: (m.fields['flow'] as number) * f } });
    }
  }
  return out;
}

function opened(metrics: readonly Metric[]) {
  const h = makeEngine(rule);
  h.engine.ingest(metrics);
  h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
  return h.events.flatMap((e) => (e.type === 'alert.opened' ? [e.alert] : []));
}

describe('flow-starved', () => {
  it('finds a branch getting a third of its share, an hour after it is choked', () => {
    const choke = T0 + 2 * HOUR;
    const a = opened(readings(6, (t) => (t < choke ? 1 : 0.35)));
    expect(a.map((x) => x.entity.id)).toEqual(['longhu-huating']);
    expect(a[0]?.openedAt).toBeGreaterThanOrEqual(choke + HOUR);
    expect(a[0]?.openedAt).toBeLessThanOrEqual(choke + HOUR + 30 * MIN);
    expect(a[0]?.category).toBe('hydraulic');
  });

  it('stays quiet for a branch at 75 % of its siblings (within balancing)', () => {
    expect(opened(readings(6, () => 0.75))).toEqual([]);
  });
});
