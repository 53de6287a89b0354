// ISA-18.2 lifecycle through the engine: dedupe, acknowledge/clear, auto-clear, shelving, chattering.
import { describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import { HOUR, makeEngine, MIN, rule, station, T0 } from './test-fixtures';

const low = (extra: Record<string, unknown> = {}) => rule({ id: 'low-flow', scope: 'station', when: { signal: 'flow2', op: 'lt', value: 50 }, ...extra });

function feed(h: ReturnType<typeof makeEngine>, pattern: readonly number[], start = T0, id = 'dexuan'): void {
  h.engine.ingest(pattern.map((v, i) => station(id, start + i * MIN, { flow2: v })));
  h.engine.advanceWatermark(start + (pattern.length - 1) * MIN);
}

describe('alert lifecycle', () => {
  it('keeps one alert per rule and entity: a repeat updates it, never duplicates', () => {
    const h = makeEngine([low()]);
    feed(h, [10, 80, 20, 80, 30]);
    const live = h.engine.alerts();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ count: 3, state: 'open', active: true, value: 30 });
    expect(h.events.filter((e) => e.type === 'alert.opened')).toHaveLength(1);
    // Another entity gets its own alert.
    feed(h, [10], T0 + 10 * MIN, 'xingfu');
    expect(h.engine.alerts().map((a) => a.entity.id)).toEqual(['dexuan', 'xingfu']);
  });

  it('escalates the peak severity and reports it once', () => {
    const r = low({ severity: { by: { signal: 'flow2' }, bands: [{ below: 10, level: 'critical' }], otherwise: 'low' } });
    const h = makeEngine([r]);
    feed(h, [40, 5, 40]);
    const a = h.engine.alerts()[0];
    expect(a).toMatchObject({ severity: 'low', peakSeverity: 'critical' });
    expect(h.events.filter((e) => 'alert' in e && e.reason === 'escalated')).toHaveLength(1);
  });

  it('open → acknowledged → cleared when the condition returns, with who, when and comment', () => {
    const h = makeEngine([low()]);
    feed(h, [10, 10]);
    const id = h.engine.alerts()[0]?.id ?? '';
    h.clock.set(T0 + 30 * MIN);
    const acked = h.engine.acknowledge(id, '张班长', '已派人');
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledged: { by: '张班长', at: T0 + 30 * MIN, comment: '已派人' } });
    expect(h.engine.acknowledge(id, '张班长').state).toBe('acknowledged');
    feed(h, [90], T0 + 2 * MIN);
    expect(h.engine.alerts()).toHaveLength(0);
    const done = h.engine.alert(id);
    expect(done).toMatchObject({ state: 'cleared', active: false, cleared: { by: 'system' } });
    expect(done?.history.map((x) => x.action)).toEqual(['opened', 'acknowledged', 'returned', 'cleared']);
    expect(h.events.map((e) => e.type)).toEqual(['alert.opened', 'alert.acknowledged', 'alert.cleared']);
  });

  it('an unacknowledged alert back to normal stays open, then clears itself after autoClear', () => {
    const h = makeEngine([low({ autoClear: '1h' })]);
    feed(h, [10, 90]);
    expect(h.engine.alerts()[0]).toMatchObject({ state: 'open', active: false, returnedAt: T0 + MIN });
    feed(h, new Array<number>(59).fill(90), T0 + 2 * MIN);
    expect(h.engine.alerts()).toHaveLength(1);
    feed(h, [90, 90], T0 + 61 * MIN);
    expect(h.engine.alerts()).toHaveLength(0);
  });

  it('acknowledging a returned alert completes it', () => {
    const h = makeEngine([low()]);
    feed(h, [10, 90]);
    const id = h.engine.alerts()[0]?.id ?? '';
    expect(h.engine.acknowledge(id, 'op').state).toBe('cleared');
    expect(() => h.engine.acknowledge(id, 'op')).toThrowError(/CONFLICT.*cleared; cannot acknowledge/);
  });

  it('operator clear ends an alert; a new one opens only after the condition returns and fires again', () => {
    const h = makeEngine([low()]);
    feed(h, [10]);
    const first = h.engine.alerts()[0]?.id ?? '';
    h.engine.clear(first, 'op', '误报');
    feed(h, [10, 10], T0 + MIN);
    expect(h.engine.alerts()).toHaveLength(0);
    feed(h, [90, 10], T0 + 3 * MIN);
    const second = h.engine.alerts()[0];
    expect(second?.id).not.toBe(first);
    expect(second?.openedAt).toBe(T0 + 4 * MIN);
    expect(h.engine.comment(first, 'op', '复核').history.at(-1)).toMatchObject({ action: 'commented', by: 'op', comment: '复核' });
  });

  it('shelving hides an alert until it expires on the wall clock, then it comes back', () => {
    const h = makeEngine([low()], { shelveMaxMs: 4 * HOUR });
    feed(h, [10]);
    const id = h.engine.alerts()[0]?.id ?? '';
    const shelved = h.engine.shelve(id, 'op', '检修中', 10 * HOUR);
    expect(shelved.state).toBe('shelved');
    expect(shelved.shelvedUntil).toBe(T0 + 4 * HOUR); // capped by shelveMaxMs
    feed(h, [10, 10], T0 + MIN);
    expect(h.engine.alert(id)?.state).toBe('shelved');
    h.clock.advance(4 * HOUR);
    h.engine.advanceWatermark(T0 + 5 * MIN);
    expect(h.engine.alert(id)?.state).toBe('open');
    expect(h.events.filter((e) => 'alert' in e && e.reason === 'unshelved')).toHaveLength(1);
  });

  it('a shelved alert whose condition ended clears at expiry', () => {
    const h = makeEngine([low()]);
    feed(h, [10]);
    const id = h.engine.alerts()[0]?.id ?? '';
    h.engine.shelve(id, 'op', undefined, HOUR);
    feed(h, [90], T0 + MIN);
    h.clock.advance(HOUR);
    h.engine.advanceWatermark(T0 + 3 * MIN);
    expect(h.engine.alert(id)?.state).toBe('cleared');
  });

  it('suppresses a chattering alert and releases it when the chatter stops', () => {
    const h = makeEngine([low({ chatter: { transitions: 3, window: '10m' } })]);
    feed(h, [10, 90, 10, 90, 10]);
    const a = h.engine.alerts()[0];
    expect(a).toMatchObject({ state: 'suppressed', count: 3, suppressedUntil: T0 + 14 * MIN });
    // Still active at the end of suppression → back to open; nothing else was raised meanwhile.
    feed(h, new Array<number>(12).fill(10), T0 + 5 * MIN);
    expect(h.engine.alerts()).toHaveLength(1);
    expect(h.engine.alerts()[0]?.state).toBe('open');
    expect(h.events.filter((e) => e.type === 'alert.opened')).toHaveLength(1);
  });

  it('refuses actions on unknown alerts and bad shelving durations with HeatErrors', () => {
    const h = makeEngine([low()]);
    expect(() => h.engine.acknowledge('nope', 'op')).toThrowError(HeatError);
    feed(h, [10]);
    const id = h.engine.alerts()[0]?.id ?? '';
    expect(() => h.engine.shelve(id, 'op', undefined, 0)).toThrowError(/positive duration/);
  });

  it('writes every change through the alert store', async () => {
    const h = makeEngine([low()]);
    feed(h, [10, 10]);
    const id = h.engine.alerts()[0]?.id ?? '';
    h.engine.acknowledge(id, 'op');
    await h.engine.flush();
    expect((await h.store.getAlert(id))?.state).toBe('acknowledged');
  });

  it('disabling a rule clears its alerts and stops it; enabling resumes', () => {
    const h = makeEngine([low()]);
    feed(h, [10]);
    expect(h.engine.setEnabled('low-flow', false).enabled).toBe(false);
    expect(h.engine.alerts()).toHaveLength(0);
    feed(h, [10], T0 + MIN);
    expect(h.engine.alerts()).toHaveLength(0);
    h.engine.setEnabled('low-flow', true);
    feed(h, [10], T0 + 2 * MIN);
    expect(h.engine.alerts()).toHaveLength(1);
    expect(() => h.engine.setEnabled('nope', true)).toThrowError(/NOT_FOUND/);
  });
});
