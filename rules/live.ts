// Live wiring of the rules engine: telemetry from the bus, and a timer that moves the watermark
// on with the clock when no data comes, so silent feeds go stale and alert deadlines pass.
//
// Lifecycle: attachLive() once the engine exists and the bus is up; stop() on shutdown (it
// evaluates what is still queued; then engine.flush()). The bus listener only queues the batch:
// the ingest writer publishes from its store-write path, and rule evaluation must never delay the
// next store write or its MQTT acknowledgements. The queue is drained in slices on later turns of
// the event loop, whole batches in arrival order (the engine gives the same alerts for any batching,
// but splitting a batch could make some of its readings late). Errors are the engine's to count and log.

import type { Clock } from '../domain/clock';
import type { Metric } from '../domain/telemetry';
import type { TelemetryBus } from '../domain/telemetry-bus';
import type { RulesEngine } from './engine';

export interface Ticker {
  every(ms: number, fn: () => void): () => void;
}

export const timerTicker: Ticker = {
  every(ms, fn) {
    const h = setInterval(fn, ms);
    h.unref?.();
    return () => clearInterval(h);
  },
};

export interface LiveOptions {
  readonly engine: RulesEngine;
  readonly bus: TelemetryBus;
  readonly clock: Clock;
  /** Must equal the engine's allowed lateness: the watermark trails the clock by it. */
  readonly allowedLatenessMs: number;
  /** How often the watermark follows the clock, ms (default 5 s). */
  readonly everyMs?: number;
  readonly ticker?: Ticker;
  /** Runs queued engine work on a later turn of the event loop (default setImmediate; tests run it by hand). */
  readonly defer?: (work: () => void) => void;
  /** Engine work per turn before yielding to I/O, ms of wall time (default 20); at least one batch per turn. */
  readonly sliceMs?: number;
  /**
   * Readings queued at most; beyond it the listener evaluates in place (backpressure on the
   * writer, nothing dropped). Default 500,000 (≈ 8 min of a 5,000-station city).
   */
  readonly maxQueued?: number;
}

export interface LiveWiring {
  /** Evaluates what is still queued, then detaches from the bus and the ticker. */
  stop(): void;
  /** Readings waiting for the engine. */
  queued(): number;
}

const defaultDefer = (work: () => void): void => void setImmediate(work);

export function attachLive(o: LiveOptions): LiveWiring {
  const defer = o.defer ?? defaultDefer;
  const sliceMs = o.sliceMs ?? 20;
  const maxQueued = o.maxQueued ?? 500_000;
  const queue: (readonly Metric[])[] = [];
  let head = 0;
  let queuedReadings = 0;
  let scheduled = false;

  const ingestNext = (): void => {
    const batch = queue[head] as readonly Metric[];
    queue[head++] = [];
    queuedReadings -= batch.length;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    o.engine.ingest(batch);
  };
  const drain = (): void => {
    scheduled = false;
    const until = performance.now() + sliceMs;
    while (head < queue.length) {
      ingestNext();
      if (performance.now() >= until) break;
    }
    if (head < queue.length) schedule();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    defer(drain);
  };

  // While telemetry flows, the data moves the watermark (newest event time − lateness): the app
  // clock may run ahead of the pipeline (a simulator backfilling history, a store catching up),
  // and a clock-driven watermark would then drop readings still on their way as late. Only when
  // a whole interval passed without any batch, and none waits in the queue, does the clock move
  // it, so silent feeds go stale.
  let heard = false;
  const unsubscribe = o.bus.subscribe((batch) => {
    heard = true;
    if (batch.length === 0) return;
    queue.push(batch);
    queuedReadings += batch.length;
    // Over the bound the engine has fallen far behind: evaluate here, in order, until back under it.
    while (queuedReadings > maxQueued) ingestNext();
    if (head < queue.length) schedule();
  });
  const cancel = (o.ticker ?? timerTicker).every(o.everyMs ?? 5_000, () => {
    if (heard || head < queue.length) {
      heard = false;
      return;
    }
    o.engine.advanceWatermark(o.clock.now() - o.allowedLatenessMs);
  });
  return {
    stop() {
      cancel();
      unsubscribe();
      while (head < queue.length) ingestNext();
    },
    queued: () => queuedReadings,
  };
}
