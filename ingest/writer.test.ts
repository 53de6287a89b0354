import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { HeatError } from '../domain/errors';
import { createTelemetryBus } from '../domain/telemetry-bus';
import type { Metric } from '../domain/telemetry';
import { createIngestMetrics, type IngestMetrics } from './ingest-metrics';
import { exponentialRetry, type RetryStrategy } from './retry-strategy';
import { IngestWriter, type Delivery, type DeliveryTicket, type IngestWriterOptions } from './writer';

const T0 = Date.UTC(2025, 0, 15);
const metric = (i: number, fields: Metric['fields'] = { t1_supply: i }): Metric => ({ measurement: 'station', tags: { id: 'dexuan' }, fields, time: T0 + i * 1000 });

/** A store whose behaviour per call is scripted; records every call. */
class FakeStore {
  readonly calls: Metric[][] = [];
  readonly stored: Metric[] = [];
  constructor(private readonly behave: (batch: readonly Metric[], call: number) => Promise<void> | void = () => {}) {}
  async write(batch: readonly Metric[]): Promise<void> {
    this.calls.push([...batch]);
    await this.behave(batch, this.calls.length);
    this.stored.push(...batch);
  }
}

function capturingLogger(): { logger: Logger; lines: Array<{ level: number; msg: string } & Record<string, unknown>> } {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
  return { logger, lines };
}

function ticket(): DeliveryTicket & { deliveries: Delivery[]; refused: Array<[Metric, string]> } {
  const t = {
    deliveries: [] as Delivery[],
    refused: [] as Array<[Metric, string]>,
    done(d: Delivery) {
      t.deliveries.push(d);
    },
    rejected(m: Metric, e: HeatError) {
      t.refused.push([m, e.code]);
    },
  };
  return t;
}

const fixedRetry = (ms: number): RetryStrategy & { attempts: number[] } => {
  const s = {
    attempts: [] as number[],
    delayMs(attempt: number) {
      s.attempts.push(attempt);
      return ms * attempt;
    },
  };
  return s;
};

describe('IngestWriter', () => {
  let metrics: IngestMetrics;
  let registry: Registry;
  let writer: IngestWriter | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    registry = new Registry();
    metrics = createIngestMetrics(registry);
  });
  afterEach(() => {
    writer?.stop();
    writer = undefined;
    vi.useRealTimers();
  });
  const make = (store: FakeStore, o: Partial<IngestWriterOptions> = {}) => {
    const w = new IngestWriter({ store, logger: o.logger ?? pino({ level: 'silent' }), metrics, batchSize: 100, bufferMax: 1000, flushMs: 500, retry: fixedRetry(1000), ...o });
    w.start();
    writer = w;
    return w;
  };
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
    const v = (m?.values as Array<{ value: number; labels: Record<string, string | number> }> | undefined)?.find((x) =>
      Object.entries(labels).every(([k, val]) => x.labels[k] === val),
    );
    return v?.value ?? 0;
  };

  it('writes on the flush interval, then completes tickets and publishes the batch', async () => {
    const store = new FakeStore();
    const bus = createTelemetryBus();
    const published: Metric[][] = [];
    bus.subscribe((b) => published.push([...b]));
    const w = make(store, { bus });
    const t = ticket();
    w.submit([metric(1), metric(2)], t);
    expect(w.inflight).toBe(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(store.calls).toHaveLength(0);
    expect(t.deliveries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.calls).toEqual([[metric(1), metric(2)]]);
    expect(t.deliveries).toEqual([{ stored: 2, rejected: 0, dropped: 0 }]);
    expect(published).toEqual([[metric(1), metric(2)]]);
    expect(w.inflight).toBe(0);
    expect(await value('heat_ingest_field_values_stored_total')).toBe(2);
    expect(await value('heat_ingest_buffer_depth')).toBe(0);
  });

  it('writes at once when a batch is full, in batches of batchSize, in order', async () => {
    const store = new FakeStore();
    const w = make(store, { batchSize: 3 });
    w.submit([1, 2, 3, 4, 5, 6, 7].map((i) => metric(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls.map((c) => c.map((m) => m.fields.t1_supply))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('a trickle that arrives during a partial write waits for the next tick, not a write of its own', async () => {
    // Each write takes 100 ms; readings keep arriving. Writing each trickle at once would mean a
    // store transaction per few readings, back to back.
    const store = new FakeStore(() => new Promise((r) => setTimeout(r, 100)));
    const w = make(store, { batchSize: 100, flushMs: 500 });
    w.submit([metric(1)]);
    await vi.advanceTimersByTimeAsync(500); // the tick starts a write of [1]
    w.submit([metric(2)]);
    w.submit([metric(3)]);
    await vi.advanceTimersByTimeAsync(100); // [1] stored; [2, 3] wait
    expect(store.calls.map((c) => c.map((m) => m.fields.t1_supply))).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(400); // next tick
    expect(store.calls.map((c) => c.map((m) => m.fields.t1_supply))).toEqual([[1], [2, 3]]);
    // A drain still empties everything at once.
    w.submit([metric(4)]);
    const drained = w.drain(10_000);
    await vi.advanceTimersByTimeAsync(300);
    expect(await drained).toBe(true);
    expect(store.stored.map((m) => m.fields.t1_supply)).toEqual([1, 2, 3, 4]);
  });

  it('writes at once when the in-flight window is reached', async () => {
    const store = new FakeStore();
    const w = make(store, { flushAtInflight: 3 });
    w.submit([metric(1)], ticket());
    w.submit([metric(2)], ticket());
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls).toHaveLength(0);
    w.submit([metric(3)], ticket());
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls).toHaveLength(1);
    expect(w.inflight).toBe(0);
    expect(await value('heat_ingest_flushes_total', { reason: 'inflight' })).toBe(1);
    expect(await value('heat_ingest_flushes_total', { reason: 'interval' })).toBe(0);
  });

  it('completes an empty submission at once', () => {
    const w = make(new FakeStore());
    const t = ticket();
    w.submit([], t);
    expect(t.deliveries).toEqual([{ stored: 0, rejected: 0, dropped: 0 }]);
    expect(w.inflight).toBe(0);
  });

  it('retries a retryable failure with the strategy’s backoff; tickets complete only after success', async () => {
    const store = new FakeStore((_b, call) => {
      if (call <= 2) throw new HeatError('STORE_UNAVAILABLE', 'down');
    });
    const retry = fixedRetry(1000);
    const { logger, lines } = capturingLogger();
    const w = make(store, { retry, logger });
    const t = ticket();
    w.submit([metric(1)], t);
    w.submit([metric(2)]);
    await vi.advanceTimersByTimeAsync(500);
    expect(store.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999); // first retry after 1000 ms
    expect(store.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1999); // second after 2000 ms; flush timer ticks do not jump the queue
    expect(store.calls).toHaveLength(2);
    expect(t.deliveries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.calls).toHaveLength(3);
    expect(store.stored).toEqual([metric(1), metric(2)]);
    expect(t.deliveries).toEqual([{ stored: 1, rejected: 0, dropped: 0 }]);
    expect(retry.attempts).toEqual([1, 2]);
    expect(await value('heat_ingest_store_write_errors_total', { retryable: 'true' })).toBe(2);
    expect(lines.filter((l) => l.msg === 'store write failed; retrying')).toHaveLength(2);
  });

  it('keeps new submissions behind a batch that waits for its retry', async () => {
    let fail = true;
    const store = new FakeStore(() => {
      if (fail) throw new HeatError('STORE_UNAVAILABLE', 'down', { retryAfterMs: 5000 });
    });
    const w = make(store, { batchSize: 2, retry: exponentialRetry({ random: () => 0 }) });
    w.submit([metric(1), metric(2)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls).toHaveLength(1);
    w.submit([metric(3), metric(4)]); // a full batch, but the retry's Retry-After holds
    await vi.advanceTimersByTimeAsync(4999);
    expect(store.calls).toHaveLength(1);
    fail = false;
    await vi.advanceTimersByTimeAsync(1);
    expect(store.stored.map((m) => m.fields.t1_supply)).toEqual([1, 2, 3, 4]);
  });

  it('treats an error that is not a HeatError as transient, never dropping data', async () => {
    const store = new FakeStore((_b, call) => {
      if (call === 1) throw new TypeError('socket hang up');
    });
    const w = make(store);
    const t = ticket();
    w.submit([metric(1)], t);
    await vi.advanceTimersByTimeAsync(500 + 1000);
    expect(t.deliveries).toEqual([{ stored: 1, rejected: 0, dropped: 0 }]);
  });

  it('bisects a batch the store refuses, rejects only the bad metrics and stores the rest', async () => {
    const isBad = (m: Metric) => m.fields.t1_supply === 13 || m.fields.t1_supply === 40;
    const store = new FakeStore((b) => {
      if (b.some(isBad)) throw new HeatError('STORE_REJECTED', 'value out of range');
    });
    const { logger, lines } = capturingLogger();
    const bus = createTelemetryBus();
    const published: number[] = [];
    bus.subscribe((b) => published.push(...b.map((m) => Number(m.fields.t1_supply))));
    const w = make(store, { logger, bus });
    const tickets = Array.from({ length: 64 }, () => ticket());
    for (let i = 0; i < 64; i++) w.submit([metric(i)], tickets[i]);
    await vi.advanceTimersByTimeAsync(500);
    const storedIds = store.stored.map((m) => m.fields.t1_supply);
    expect(storedIds).toEqual(Array.from({ length: 64 }, (_, i) => i).filter((i) => i !== 13 && i !== 40));
    expect(published).toEqual(storedIds);
    expect(tickets[13]?.refused).toEqual([[metric(13), 'STORE_REJECTED']]);
    expect(tickets[13]?.deliveries).toEqual([{ stored: 0, rejected: 1, dropped: 0 }]);
    expect(tickets[12]?.deliveries).toEqual([{ stored: 1, rejected: 0, dropped: 0 }]);
    // Bisection costs O(k log n) writes, not n.
    expect(store.calls.length).toBeLessThanOrEqual(1 + 2 * 2 * Math.log2(64));
    expect(await value('heat_ingest_field_values_rejected_total', { code: 'STORE_REJECTED' })).toBe(2);
    expect(await value('heat_ingest_store_write_errors_total', { retryable: 'false' })).toBeGreaterThan(0);
    expect(lines.filter((l) => l.msg.startsWith('store refused metrics'))).toHaveLength(1);
    expect(w.inflight).toBe(0);
  });

  it('a retryable failure in the middle of a bisection puts the rest back and retries it', async () => {
    const store = new FakeStore((b, call) => {
      if (call === 2) throw new HeatError('STORE_UNAVAILABLE', 'blip'); // the first bisection step
      if (b.some((m) => m.fields.t1_supply === 1)) throw new HeatError('STORE_REJECTED', 'bad');
    });
    const w = make(store);
    const t = ticket();
    w.submit([0, 1, 2, 3].map((i) => metric(i)), t);
    await vi.advanceTimersByTimeAsync(500);
    expect(t.deliveries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.deliveries).toEqual([{ stored: 3, rejected: 1, dropped: 0 }]);
    expect(store.stored.map((m) => m.fields.t1_supply).sort()).toEqual([0, 2, 3]);
  });

  it('drops the oldest metrics when the buffer is full: counted, logged once, reported to the ticket', async () => {
    const store = new FakeStore();
    const { logger, lines } = capturingLogger();
    const w = make(store, { bufferMax: 4, logger });
    const a = ticket();
    const b = ticket();
    w.submit([metric(1), metric(2), metric(3)], a);
    expect(w.room()).toBe(1);
    w.submit([metric(4), metric(5), metric(6)], b);
    expect(a.deliveries).toEqual([]); // one of its metrics is still buffered
    await vi.advanceTimersByTimeAsync(500);
    expect(a.deliveries).toEqual([{ stored: 1, rejected: 0, dropped: 2 }]);
    expect(b.deliveries).toEqual([{ stored: 3, rejected: 0, dropped: 0 }]);
    expect(await value('heat_ingest_buffer_dropped_total')).toBe(2);
    expect(lines.filter((l) => l.msg.startsWith('write buffer full'))).toHaveLength(1);
  });

  it('drain resolves true once everything is stored, false when the store hangs past the deadline', async () => {
    const store = new FakeStore();
    const w = make(store);
    w.submit([metric(1)], ticket());
    const drained = w.drain(1000);
    await vi.advanceTimersByTimeAsync(0);
    await expect(drained).resolves.toBe(true);
    expect(store.stored).toHaveLength(1);

    let release: () => void = () => {};
    const hanging = new FakeStore(() => new Promise<void>((r) => (release = r)));
    const w2 = make(hanging);
    const t = ticket();
    w2.submit([metric(2)], t);
    const d2 = w2.drain(1000);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(d2).resolves.toBe(false);
    expect(t.deliveries).toEqual([]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.deliveries).toEqual([{ stored: 1, rejected: 0, dropped: 0 }]);
  });

  it('stop reports what was left unwritten', async () => {
    const { logger, lines } = capturingLogger();
    const w = make(new FakeStore(), { logger });
    w.submit([metric(1), metric(2)], ticket());
    expect(w.stop()).toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(lines.some((l) => /stopped with metrics not yet stored/.test(l.msg))).toBe(true);
  });
});

describe('exponentialRetry', () => {
  const err = new HeatError('STORE_UNAVAILABLE', 'x');
  it('grows by the factor, stays within [half, full] of the step, and is capped', () => {
    const lo = exponentialRetry({ minMs: 100, maxMs: 1000, random: () => 0 });
    const hi = exponentialRetry({ minMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 10].map((a) => lo.delayMs(a, err))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 10].map((a) => hi.delayMs(a, err))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('honours Retry-After, plus jitter', () => {
    const s = exponentialRetry({ jitterMs: 100, random: () => 0.5 });
    expect(s.delayMs(1, new HeatError('STORE_UNAVAILABLE', 'x', { retryAfterMs: 7000 }))).toBe(7050);
  });
});
