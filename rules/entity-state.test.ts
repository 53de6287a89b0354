import { describe, expect, it } from 'vitest';
import { EntityState, windowCellMs, type WindowSpec } from './entity-state';
import { ALL_FEATURES, RollingWindow, type WindowFeatures } from './rolling-window';

const MEAN: WindowFeatures = { extremes: false, stddev: false, slope: false, first: false, coverage: false };
const spec = (spanMs: number, features: WindowFeatures): WindowSpec => ({ spanMs, cellMs: windowCellMs(spanMs), features });

describe('EntityState windows (one shared window object, state kept per entity)', () => {
  it('reads each window as a window of its own would, with signals, spans and entities interleaved and double-precision cells growing', () => {
    // flow: a 10-minute window of every sample (double precision, grows) and a 30-minute mean (single
    // precision, shared cell array); temp: a 60-minute mean. Two entities share the plan.
    const plan = new Map<string, WindowSpec[]>([
      ['flow', [spec(10 * 60_000, ALL_FEATURES), spec(30 * 60_000, MEAN)]],
      ['temp', [spec(60 * 60_000, MEAN)]],
    ]);
    const a = new EntityState('station', 'a', undefined, undefined);
    const b = new EntityState('station', 'b', undefined, undefined);
    a.planWindows(plan);
    b.planWindows(plan);
    const own = (e: string, signal: string, s: WindowSpec): RollingWindow => {
      const key = `${e}|${signal}|${s.spanMs}`;
      let w = refs.get(key);
      if (w === undefined) refs.set(key, (w = new RollingWindow({ spanMs: s.spanMs, cellMs: s.cellMs, features: s.features })));
      return w;
    };
    const refs = new Map<string, RollingWindow>();
    expect(a.window('flow', 10 * 60_000)).toBeUndefined();
    const t0 = Date.parse('2027-01-15T00:00:00Z');
    let checked = 0;
    for (let k = 0; k < 600; k++) {
      const t = t0 + k * 10_000;
      for (const [e, st] of [['a', a], ['b', b]] as const) {
        const flow = 100 + Math.sin(k / 7) * 20 + (e === 'b' ? 50 : 0);
        st.pushWindows('flow', t, flow);
        for (const s of plan.get('flow') ?? []) own(e, 'flow', s).push(t, flow);
        if (k % 6 === 0) {
          const temp = 60 - k / 100 + (e === 'b' ? 5 : 0);
          st.pushWindows('temp', t, temp);
          for (const s of plan.get('temp') ?? []) own(e, 'temp', s).push(t, temp);
        }
      }
      if (k % 25 !== 0) continue;
      // Read b's then a's windows one after another, each against its own reference.
      for (const [e, st] of [['b', b], ['a', a]] as const)
        for (const [signal, specs] of plan)
          for (const s of specs) {
            const w = st.window(signal, s.spanMs);
            const r = own(e, signal, s);
            expect(w).toBeDefined();
            w?.evict(t);
            r.evict(t);
            expect([w?.count, w?.mean, w?.last]).toEqual([r.count, r.mean, r.last]);
            if (s.features.extremes) expect([w?.min, w?.max, w?.stddev, w?.slopePerHour, w?.first]).toEqual([r.min, r.max, r.stddev, r.slopePerHour, r.first]);
            checked++;
          }
    }
    expect(checked).toBeGreaterThan(100);
    // The 10-minute window of every sample holds 60 of them: its cells grew well past their start.
    expect(a.window('flow', 10 * 60_000)?.count).toBe(60);
    expect(a.windowOverflow()).toBe(0);
  });
});
