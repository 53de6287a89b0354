// Windows, durations, hysteresis, outdoor-dependent thresholds and relatives, through the engine.
import { describe, expect, it } from 'vitest';
import { compound, HOUR, makeEngine, MIN, openedIds, rule, station, T0, weather } from './test-fixtures';

const flowRule = (extra: Record<string, unknown> = {}) =>
  rule({ id: 'low-flow', scope: 'station', when: { signal: 'flow2', agg: 'mean', window: '10m', op: 'lt', value: 50 }, ...extra });

/** One station scan per minute with the given flow2. */
function flows(values: readonly number[], start = T0, id = 'dexuan') {
  return values.map((v, i) => station(id, start + i * MIN, { flow2: v }));
}

describe('rolling windows and durations', () => {
  it('fires when the window mean crosses the threshold, not on one low sample', () => {
    const h = makeEngine([flowRule()]);
    h.engine.ingest(flows([100, 100, 100, 100, 100, 100, 100, 100, 100, 0, 100, 100]));
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(openedIds(h.events)).toEqual([]);
    const h2 = makeEngine([flowRule()]);
    // Mean over the 10 min window falls below 50 at the 6th low sample (4×100 + 6×0 → 40).
    h2.engine.ingest(flows([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0, 0, 0, 0, 0, 0, 0]));
    h2.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    const opened = h2.engine.alerts();
    expect(opened).toHaveLength(1);
    expect(opened[0]?.openedAt).toBe(T0 + 15 * MIN);
    expect(opened[0]?.evidence.items[0]).toMatchObject({ signal: 'flow2', agg: 'mean', windowMs: 10 * MIN, op: 'lt', threshold: 50, result: 'true' });
  });

  it('waits for the minimum duration in event time', () => {
    const h = makeEngine([flowRule({ when: { signal: 'flow2', op: 'lt', value: 50 }, for: '5m' })]);
    h.engine.ingest(flows([10, 10, 10, 10, 10]));
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(h.engine.alerts()).toHaveLength(0);
    h.engine.ingest(flows([10], T0 + 5 * MIN));
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(h.engine.alerts()).toHaveLength(1);
    expect(h.engine.alerts()[0]?.evidence).toMatchObject({ from: T0, to: T0 + 5 * MIN });
  });

  it('holds with hysteresis and returns to normal only after clearFor', () => {
    const h = makeEngine([flowRule({ when: { signal: 'flow2', op: 'lt', value: 50 }, hysteresis: 10, clearFor: '3m' })]);
    // 55 is above the threshold but inside the hysteresis band: still active.
    h.engine.ingest(flows([40, 55, 55, 55, 55, 65, 65, 40, 65, 65, 65, 65]));
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    const a = h.events.filter((e) => e.type !== 'alert.opened' && 'alert' in e).map((e) => ('alert' in e ? `${e.reason}@${(e.alert.lastSeenAt - T0) / MIN}` : ''));
    // Released at 5 and 6 (< 3 min), active again at 7 (no new activation), released 8..11: returns at 11.
    expect(a).toEqual(['returned@11']);
    expect(h.engine.alerts()[0]?.count).toBe(1);
  });

  it('judges against a threshold that follows the outdoor temperature', () => {
    const r = rule({ id: 'dt', scope: 'station', when: { signal: 'dt2', op: 'lt', value: { byOutdoor: [[-15, 10], [5, 4]] } } });
    const h = makeEngine([r]);
    h.engine.ingest([weather(T0, -5), station('dexuan', T0, { t2_supply: 50, t2_return: 43 })]);
    h.engine.ingest([weather(T0 + MIN, 5), station('dexuan', T0 + MIN, { t2_supply: 50, t2_return: 45 }), station('xingfu', T0 + MIN, { t2_supply: 50, t2_return: 43 })]);
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    // At −5 °C the threshold is 7 K: a 7 K ΔT is not below it, …; at +5 °C it is 4 K: 5 K and 7 K are fine.
    expect(h.engine.alerts()).toHaveLength(0);
    h.engine.ingest([weather(T0 + 2 * MIN, -15), station('dexuan', T0 + 2 * MIN, { t2_supply: 50, t2_return: 41 })]);
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(h.engine.alerts().map((a) => [a.entity.id, a.evidence.items[0]?.threshold])).toEqual([['dexuan', 10]]);
  });

  it('compares a compound with the median of its siblings at the same moment', () => {
    const r = rule({
      id: 'cold-branch',
      scope: 'compound',
      when: { signal: 't_return', op: 'lt', value: { ref: { signal: 't_return', of: 'siblings', across: 'median' }, plus: -6 } },
    });
    const h = makeEngine([r]);
    const at = (t: number, longhu: number) =>
      ['dexuan-xq', 'jianshe', 'changsheng', 'donghu-yiyuan'].map((id) => compound(id, t, { t_return: 40 })).concat(compound('longhu-huating', t, { t_return: longhu }));
    h.engine.ingest(at(T0, 35));
    h.engine.ingest(at(T0 + 5 * MIN, 33));
    h.engine.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(h.engine.alerts().map((a) => [a.entity.id, a.openedAt])).toEqual([['longhu-huating', T0 + 5 * MIN]]);
  });

  it('treats missing and stale inputs as unknown: no alert from silence', () => {
    const h = makeEngine([flowRule({ when: { signal: 'flow2', op: 'lt', value: 50 }, for: '5m' })], { staleAfterMs: { station: 2 * MIN } });
    h.engine.ingest([station('dexuan', T0, { flow2: 10 })]);
    h.engine.ingest([station('dexuan', T0 + 10 * MIN, { t2_supply: 50 })]);
    h.engine.advanceWatermark(T0 + HOUR);
    expect(h.engine.alerts()).toHaveLength(0);
  });
});
