import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelemetryBus } from '../domain/telemetry-bus';
import { attachLive } from './live';
import { makeEngine, MIN, rule, station, T0 } from './test-fixtures';

describe('live wiring', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('feeds bus batches to the engine and moves the watermark with the clock', () => {
    vi.useFakeTimers();
    const stale = rule({ id: 'stale', type: 'quality', category: 'sensor', severity: 'low', scope: ['station'], check: { kind: 'stale', after: '5m' } });
    const h = makeEngine([stale], { allowedLatenessMs: MIN });
    const bus = createTelemetryBus();
    const live = attachLive({ engine: h.engine, bus, clock: h.clock, allowedLatenessMs: MIN, everyMs: 1_000 });
    bus.publish([station('dexuan', T0, { flow2: 100 })]);
    expect(h.engine.stats().accepted).toBe(1);
    // Data came in this interval: the data moves the watermark, not the clock (it may run ahead).
    h.clock.set(T0 + 10 * MIN);
    vi.advanceTimersByTime(1_000);
    expect(h.engine.watermark()).toBe(T0 - MIN);
    // A whole interval without data: the clock moves the watermark, the station goes stale.
    vi.advanceTimersByTime(1_000);
    expect(h.engine.watermark()).toBe(T0 + 9 * MIN);
    expect(h.engine.alerts().map((a) => a.ruleId)).toEqual(['stale']);
    live.stop();
    bus.publish([station('dexuan', T0 + 11 * MIN, { flow2: 100 })]);
    expect(h.engine.stats().accepted).toBe(1);
  });

  it('does not let a gateway with a fast clock push the others out as late', () => {
    const h = makeEngine([], { allowedLatenessMs: MIN, maxFutureMs: 10 * MIN });
    h.clock.set(T0);
    h.engine.ingest([station('dexuan', T0 + 8 * MIN, { flow2: 100 })]);
    h.engine.ingest([station('xingfu', T0 - 30_000, { flow2: 100 })]);
    expect(h.engine.stats()).toMatchObject({ accepted: 2, late: 0 });
    expect(h.engine.watermark()).toBe(T0 - MIN);
  });
});
