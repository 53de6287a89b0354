// The writer with the on-disk buffer: a store outage spills batches to disk and acknowledges them
// once durable; the backlog is replayed in arrival order when the store is back; new batches queue
// behind it; a full buffer (policy block) leaves messages unacknowledged instead of losing them;
// a backlog left by a previous process is replayed at start; a healthy store never touches disk.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeatError } from '../domain/errors';
import { createTelemetryBus } from '../domain/telemetry-bus';
import type { Metric } from '../domain/telemetry';
import { DiskBuffer, type DiskBufferOptions } from './disk-buffer';
import { createDiskBufferMetrics } from './disk-buffer-metrics';
import { encodeRecord } from './disk-buffer-record';
import { createIngestMetrics } from './ingest-metrics';
import type { Timers } from './timers';
import { IngestWriter, type Delivery, type IngestWriterOptions } from './writer';

const T0 = Date.UTC(2025, 0, 15);
const metric = (i: number): Metric => ({ measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 40.5 }, time: T0 + i * 1000 });
const range = (from: number, n: number): Metric[] => Array.from({ length: n }, (_, k) => metric(from + k));

/** Timers fired by hand: the test decides when a flush or a retry happens. */
class ManualTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clear(h: unknown): void {
    this.pending.delete(h as number);
  }
  /** Fires the timers set with exactly this delay (the retry uses a delay no flush timer has). */
  fire(ms: number): number {
    let n = 0;
    for (const [id, t] of [...this.pending]) {
      if (t.ms !== ms) continue;
      this.pending.delete(id);
      t.fn();
      n++;
    }
    return n;
  }
}

class SwitchStore {
  up = true;
  readonly stored: Metric[] = [];
  calls = 0;
  async write(batch: readonly Metric[]): Promise<void> {
    this.calls++;
    await Promise.resolve();
    if (!this.up) throw new HeatError('STORE_UNAVAILABLE', 'connection refused');
    this.stored.push(...batch);
  }
}

const FLUSH_MS = 500;
const RETRY_MS = 777;

describe('IngestWriter with the on-disk buffer', () => {
  let dir: string;
  let timers: ManualTimers;
  let registry: Registry;
  let writer: IngestWriter | undefined;
  let disk: DiskBuffer | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'heat-spill-'));
    timers = new ManualTimers();
    registry = new Registry();
  });
  afterEach(async () => {
    writer?.stop();
    await disk?.close();
    writer = disk = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const make = async (store: SwitchStore, o: Partial<IngestWriterOptions> = {}, d: Partial<DiskBufferOptions> = {}) => {
    disk = await DiskBuffer.open({ dir, maxBytes: 1_000_000, segmentBytes: 2048, full: 'block', logger: pino({ level: 'silent' }), metrics: createDiskBufferMetrics(registry), ...d });
    const bus = createTelemetryBus();
    const published: Metric[] = [];
    bus.subscribe((b) => published.push(...b));
    const w = new IngestWriter({
      store,
      logger: pino({ level: 'silent' }),
      metrics: createIngestMetrics(registry),
      bus,
      batchSize: 10,
      bufferMax: 100,
      flushMs: FLUSH_MS,
      timers,
      retry: { delayMs: () => RETRY_MS },
      spill: disk,
      ...o,
    });
    w.start();
    writer = w;
    return { w, published, disk };
  };

  const submitEach = (w: IngestWriter, metrics: Metric[], per: number): Delivery[][] => {
    const out: Delivery[][] = [];
    for (let i = 0; i < metrics.length; i += per) {
      const got: Delivery[] = [];
      out.push(got);
      w.submit(metrics.slice(i, i + per), { done: (d) => got.push(d) });
    }
    return out;
  };

  it('spills while the store is down, acknowledges once on disk, replays in order when it is back', async () => {
    const store = new SwitchStore();
    store.up = false;
    const { w, published } = await make(store);
    const deliveries = submitEach(w, range(0, 30), 5); // 6 messages, 3 batches of 10
    await vi.waitFor(() => expect(deliveries.every((d) => d.length === 1)).toBe(true));
    expect(deliveries.map((d) => d[0])).toEqual(Array.from({ length: 6 }, () => ({ stored: 5, rejected: 0, dropped: 0 })));
    expect(store.stored).toEqual([]);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    expect(w.inflight).toBe(0);

    // more arrive while the store is still down: behind the backlog
    const later = submitEach(w, range(30, 10), 10);
    w.flush('batch');
    await vi.waitFor(() => expect(later[0]).toHaveLength(1));
    expect(store.stored).toEqual([]);

    store.up = true;
    expect(timers.fire(RETRY_MS)).toBe(1);
    await vi.waitFor(() => expect(store.stored).toHaveLength(40));
    expect(store.stored).toEqual(range(0, 40));
    expect(published).toEqual(range(0, 40));
    await vi.waitFor(() => expect(readdirSync(dir)).toEqual([]));
    const text = await registry.metrics();
    expect(text).toMatch(/heat_ingest_metrics_stored_total 40/);
  });

  it('keeps arrival order when new batches come while the backlog is being replayed', async () => {
    const store = new SwitchStore();
    store.up = false;
    const { w } = await make(store);
    submitEach(w, range(0, 20), 10);
    await vi.waitFor(() => expect(w.inflight).toBe(0));
    store.up = true;
    // New readings before the retry fires: they must not overtake the disk backlog.
    submitEach(w, range(20, 10), 10);
    await vi.waitFor(() => expect(w.inflight).toBe(0));
    expect(store.stored).toEqual([]);
    timers.fire(RETRY_MS);
    await vi.waitFor(() => expect(store.stored).toHaveLength(30));
    expect(store.stored.map((m) => m.time)).toEqual(range(0, 30).map((m) => m.time));
  });

  it('full (policy block): the batch stays in memory, unacknowledged, nothing is dropped; it is taken once the store is back', async () => {
    const store = new SwitchStore();
    store.up = false;
    const recordBytes = encodeRecord(range(0, 10)).length;
    const { w } = await make(store, {}, { maxBytes: recordBytes * 2 + 10, segmentBytes: recordBytes * 10 });
    const deliveries = submitEach(w, range(0, 40), 10);
    await vi.waitFor(() => expect(deliveries.filter((d) => d.length === 1)).toHaveLength(2));
    // the refusal is counted once the writer tried the third batch
    await vi.waitFor(async () => expect(await registry.metrics()).toMatch(/heat_ingest_disk_buffer_refused_batches_total\{reason="full"\} [1-9]/));
    expect(deliveries.slice(2).every((d) => d.length === 0)).toBe(true);
    expect(w.inflight).toBe(2);
    expect(w.room()).toBe(100 - 20);
    expect(await registry.metrics()).toMatch(/heat_ingest_buffer_dropped_total 0/);

    store.up = true;
    timers.fire(RETRY_MS);
    await vi.waitFor(() => expect(store.stored).toHaveLength(40));
    expect(store.stored).toEqual(range(0, 40));
    expect(deliveries.map((d) => d[0])).toEqual(Array.from({ length: 4 }, () => ({ stored: 10, rejected: 0, dropped: 0 })));
  });

  it('replays a backlog a previous process left on disk as soon as it starts', async () => {
    const prev = await DiskBuffer.open({ dir, maxBytes: 1_000_000, segmentBytes: 2048, full: 'block', logger: pino({ level: 'silent' }) });
    await prev.append(range(0, 10));
    await prev.append(range(10, 5));
    // no close(): killed
    const store = new SwitchStore();
    const { published } = await make(store);
    await vi.waitFor(() => expect(store.stored).toHaveLength(15));
    expect(store.stored).toEqual(range(0, 15));
    expect(published).toEqual(range(0, 15));
    await prev.close();
  });

  it('with a healthy store, never touches the disk', async () => {
    const store = new SwitchStore();
    const { w } = await make(store);
    const deliveries = submitEach(w, range(0, 50), 5);
    await vi.waitFor(() => expect(deliveries.every((d) => d.length === 1)).toBe(true));
    expect(store.stored).toEqual(range(0, 50));
    expect(readdirSync(dir)).toEqual([]);
  });
});
