// How long to wait before retrying a store write that failed with a retryable error
// (influxdb-client's RetryStrategy): exponential backoff with jitter and a cap, and the failing
// side's own Retry-After when it gave one. Injected into the writer, so tests choose the delays.

import type { HeatError } from '../domain/errors';

export interface RetryStrategy {
  /** Delay in ms before attempt `attempt + 1`; `attempt` counts failures so far (1, 2, …). */
  delayMs(attempt: number, error: HeatError): number;
}

export interface ExponentialRetryOptions {
  /** First delay, ms. */
  readonly minMs: number;
  /** Cap on the exponential part, ms. */
  readonly maxMs: number;
  readonly factor: number;
  /** Added on top of a Retry-After, at most this many ms, so that many writers do not retry in step. */
  readonly jitterMs: number;
  /** Uniform in [0, 1); injectable for tests. */
  readonly random: () => number;
}

export const DEFAULT_RETRY: ExponentialRetryOptions = { minMs: 250, maxMs: 30_000, factor: 2, jitterMs: 250, random: Math.random };

export function exponentialRetry(opts: Partial<ExponentialRetryOptions> = {}): RetryStrategy {
  const o = { ...DEFAULT_RETRY, ...opts };
  return {
    delayMs(attempt, error) {
      const after = error.retryAfter();
      if (after !== undefined && after >= 0) return after + Math.floor(o.random() * o.jitterMs);
      const full = Math.min(o.maxMs, o.minMs * o.factor ** Math.max(0, attempt - 1));
      // "Equal jitter": between half and all of the exponential delay, never above the cap.
      return Math.round(full / 2 + (o.random() * full) / 2);
    },
  };
}
