// Live wiring of the rules engine: telemetry from the bus, and a timer that moves the watermark
// on with the clock when no data comes, so silent feeds go stale and alert deadlines pass.
//
// Lifecycle: attachLive() once the engine exists and the bus is up; stop() on shutdown (then
// engine.flush()). The bus listener only hands the batch to the engine (synchronous, bounded
// work per reading); errors are the engine's to count and log.

import type { Clock } from '../domain/clock';
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
}

export function attachLive(o: LiveOptions): { stop(): void } {
  // While telemetry flows, the data moves the watermark (newest event time − lateness): the app
  // clock may run ahead of the pipeline (a simulator backfilling history, a store catching up),
  // and a clock-driven watermark would then drop readings still on their way as late. Only when
  // a whole interval passed without any batch does the clock move it, so silent feeds go stale.
  let heard = false;
  const unsubscribe = o.bus.subscribe((batch) => {
    heard = true;
    o.engine.ingest(batch);
  });
  const cancel = (o.ticker ?? timerTicker).every(o.everyMs ?? 5_000, () => {
    if (heard) {
      heard = false;
      return;
    }
    o.engine.advanceWatermark(o.clock.now() - o.allowedLatenessMs);
  });
  return {
    stop() {
      cancel();
      unsubscribe();
    },
  };
}
