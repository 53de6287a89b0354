// Root cause along the network: one incident per cause, with its children grouped under it.
import { describe, expect, it } from 'vitest';
import { shouldNotify } from './events';
import { loadBuiltinRules } from './rule-loader';
import { HOUR, makeEngine, T0 } from './test-fixtures';
import { scenario } from './test-scenario';

const pack = loadBuiltinRules();

function run(faults: Parameters<typeof scenario>[1], disable: readonly string[] = [], hours = 12) {
  const h = makeEngine(pack);
  for (const id of disable) h.engine.setEnabled(id, false);
  h.engine.ingest(scenario(hours, faults));
  h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
  return h;
}

const plantDrop = { plantDrop: { stations: ['dexuan', 'xingfu'], from: T0 + 2 * HOUR, to: T0 + 6 * HOUR, dropK: 25 } };

describe('incident grouping', () => {
  it('one plant supply drop on a primary network gives one incident with its stations', () => {
    const h = run(plantDrop);
    const incidents = h.engine.incidents();
    expect(incidents).toHaveLength(1);
    const inc = incidents[0];
    expect(inc?.root).toMatchObject({ kind: 'primary', id: 'pn1' });
    expect(inc?.stationIds).toEqual(['dexuan', 'xingfu']);
    const causes = new Set(inc?.causeAlertIds.map((id) => id.split('@')[0]));
    expect(causes).toEqual(new Set(['network-supply-drop', 'compensation-low']));
    // Every station alert on pn1 belongs to it, and none of them notifies on its own.
    const grouped = h.events.filter((e) => e.type === 'alert.updated' && e.reason === 'grouped');
    expect(grouped.length).toBeGreaterThanOrEqual(3);
    const stationAlerts = h.events.flatMap((e) => ('alert' in e && e.alert.route.primaryNetworkId === 'pn1' && e.alert.role !== 'independent' ? [e.alert.id] : []));
    for (const id of new Set(stationAlerts)) expect(inc?.alertIds).toContain(id);
    const lastOfEach = new Map(h.events.flatMap((e) => ('alert' in e ? [[e.alert.id, e] as const] : [])));
    for (const e of lastOfEach.values()) expect(shouldNotify(e)).toBe(false);
    expect(h.events.filter((e) => e.type === 'incident.opened')).toHaveLength(1);
  });

  it('without a network rule, upstream causes at two stations still make one network incident', () => {
    const h = run(plantDrop, ['network-supply-drop']);
    const incidents = h.engine.incidents();
    expect(incidents.map((i) => [i.root.kind, i.root.id, i.stationIds])).toEqual([['primary', 'pn1', ['dexuan', 'xingfu']]]);
  });

  it('a station fault groups the compounds it drags down under one station incident', () => {
    const h = run({
      pumpTrip: { station: 'dexuan', from: T0 + HOUR, to: T0 + 8 * HOUR },
      indoorOf: {
        'longhu-huating': (t) => (t < T0 + HOUR ? 20.5 : Math.max(15, 20.5 - (1.5 * (t - T0 - HOUR)) / HOUR)),
        'donghu-yiyuan': (t) => (t < T0 + HOUR ? 20.5 : Math.max(15, 20.5 - (1.5 * (t - T0 - HOUR)) / HOUR)),
      },
    });
    const incidents = h.engine.incidents();
    expect(incidents).toHaveLength(1);
    const inc = incidents[0];
    expect(inc?.root).toMatchObject({ kind: 'station', id: 'dexuan' });
    // The two measured cold (indoor sensors) and the two whose heat meters show no heat; dexuan-xq's sensor stays warm.
    expect(inc?.compoundIds).toEqual(['changsheng', 'donghu-yiyuan', 'jianshe', 'longhu-huating']);
    expect(inc?.causeAlertIds.map((id) => id.split('@')[0])).toEqual(['pump-trip']);
    expect(inc?.severity).toBe('critical');
  });

  it('a single cause with nothing below it is an alert, not an incident', () => {
    const h = run({ pumpTrip: { station: 'xiyu', from: T0 + HOUR, to: T0 + 2 * HOUR } }, [], 4);
    expect(h.engine.alerts().length + h.events.filter((e) => e.type === 'alert.cleared').length).toBeGreaterThan(0);
    expect(h.engine.incidents()).toHaveLength(0);
  });

  it('resolves the incident once all its alerts are cleared', () => {
    const h = run(plantDrop, [], 16);
    for (const a of h.engine.alerts()) h.engine.acknowledge(a.id, 'op');
    const inc = h.engine.incidents()[0];
    expect(inc?.state).toBe('resolved');
    expect(inc?.liveAlertIds).toEqual([]);
    expect(inc?.resolvedAt).toBeDefined();
  });
});
