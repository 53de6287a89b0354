// In-process fan-out of stored telemetry: the ingester publishes each batch after the store
// accepted it; the API (socket.io live push) and the rules engine subscribe.
// Listeners run synchronously and must not throw or block; a slow consumer queues its own work.

import type { Metric } from './telemetry';

export type TelemetryListener = (batch: readonly Metric[]) => void;

export interface TelemetryBus {
  /** Called by the ingest writer after a batch is durably stored. */
  publish(batch: readonly Metric[]): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: TelemetryListener): () => void;
}

export function createTelemetryBus(onListenerError: (e: unknown) => void = () => {}): TelemetryBus {
  const listeners = new Set<TelemetryListener>();
  return {
    publish(batch) {
      for (const l of listeners) {
        try {
          l(batch);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
