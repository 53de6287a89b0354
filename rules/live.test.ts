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
    const deferred: (() => void)[] = [];
    const live = attachLive({ engine: h.engine, bus, clock: h.clock, allowedLatenessMs: MIN, everyMs: 1_000, defer: (w) => deferred.push(w) });
    bus.publish([station('dexuan', T0, { flow2: 100 })]);
    // The bus listener only queues: the engine runs on a later turn, off the writer's path.
    expect(h.engine.stats().accepted).toBe(0);
    expect(live.queued()).toBe(1);
    deferred.splice(0).forEach((w) => w());
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

  it('keeps the watermark while batches wait, evaluates what waits at stop, and evaluates in place past its bound', () => {
    vi.useFakeTimers();
    const h = makeEngine([], { allowedLatenessMs: MIN });
    const bus = createTelemetryBus();
    const deferred: (() => void)[] = [];
    const live = attachLive({ engine: h.engine, bus, clock: h.clock, allowedLatenessMs: MIN, everyMs: 1_000, defer: (w) => deferred.push(w), maxQueued: 3 });
    bus.publish([station('dexuan', T0, { flow2: 100 })]);
    h.clock.set(T0 + 10 * MIN);
    vi.advanceTimersByTime(2_000);
    // Two ticks without new data, but a batch still queued: the clock must not make it late.
    expect(h.engine.watermark()).toBe(Number.NEGATIVE_INFINITY);
    deferred.splice(0).forEach((w) => w());
    expect(h.engine.stats()).toMatchObject({ accepted: 1, late: 0 });
    // Past the bound (3 readings) the listener evaluates the oldest batches itself, in order.
    bus.publish([station('dexuan', T0 + 10_000, { flow2: 100 }), station('xingfu', T0 + 10_000, { flow2: 100 })]);
    bus.publish([station('dexuan', T0 + 20_000, { flow2: 100 }), station('xingfu', T0 + 20_000, { flow2: 100 })]);
    expect(h.engine.stats().accepted).toBe(3);
    expect(live.queued()).toBe(2);
    live.stop();
    expect(h.engine.stats()).toMatchObject({ accepted: 5, late: 0 });
    expect(live.queued()).toBe(0);
    // A drain scheduled before stop finds nothing left to do.
    deferred.splice(0).forEach((w) => w());
    expect(h.engine.stats().accepted).toBe(5);
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
