// The DuckDB store drops cached blocks beyond its cache limit between reads (a long-running ingest
// process otherwise grows until DuckDB's memory limit), and queries keep the whole limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIELDS } from '../domain/fields';
import type { FieldValue, Metric } from '../domain/telemetry';
import { DuckDBStore, type DuckDBStoreOptions } from './duckdb-store';

const T = Date.UTC(2026, 0, 10);
const FIELD_NAMES = Object.keys(FIELDS.station).filter((f) => f !== 'pump_state');

/** A minute of 500 stations at a 10 s scan, values varying enough not to compress to nothing. */
function minute(m: number): Metric[] {
  const out: Metric[] = [];
  for (let s = 0; s < 6; s++)
    for (let i = 0; i < 500; i++) {
      const fields: Record<string, FieldValue> = {};
      for (const [j, f] of FIELD_NAMES.entries()) fields[f] = Math.round((20 + j * 4 + ((i * 7919 + s * 31 + m * 17 + j) % 997) / 10) * 100) / 100;
      out.push({ measurement: 'station', tags: { id: `st-${i}` }, fields, time: T + m * 60_000 + s * 10_000 + (i % 10) * 100 });
    }
  return out;
}

describe('DuckDB store: cache trim', () => {
  const roots: string[] = [];
  const open = async (opts: Partial<DuckDBStoreOptions>): Promise<DuckDBStore> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'heat-duckdb-trim-'));
    roots.push(dataDir);
    // Frequent checkpoints: written rows become cached table blocks (what the trim drops) sooner.
    const store = new DuckDBStore({ dataDir, checkpointThreshold: '1MB', cacheTrimMs: 3_600_000, ...opts });
    await store.connect();
    return store;
  };
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  /** Writes minutes until DuckDB holds more than `bytes` (or 40 minutes); returns the minutes written. */
  async function fill(store: DuckDBStore, bytes: number): Promise<number> {
    let m = 0;
    while (m < 40 && (await store.memoryUsage()).bytes <= bytes) await store.write(minute(m++));
    return m;
  }

  it('drops cached blocks beyond the cache limit, gives queries the whole memory limit back, and loses nothing', async () => {
    const store = await open({ memoryLimit: '128MB', cacheLimit: '2MB' });
    const minutes = await fill(store, 8e6);
    const before = await store.memoryUsage();
    expect(before.bytes).toBeGreaterThan(8e6);
    expect(await store.trim()).toBe(true);
    const after = await store.memoryUsage();
    expect(after.bytes).toBeLessThanOrEqual(2e6);
    expect(after.limitBytes).toBe(before.limitBytes);
    expect(after.limitBytes).toBeGreaterThan(120e6);
    const [series] = await store.query({ measurement: 'station', id: 'st-7', fields: ['t1_supply'], from: T, to: T + minutes * 60_000 });
    expect(series?.points).toHaveLength(minutes * 6);
    expect(series?.points[3]?.value).toBe(minute(0)[3 * 500 + 7]?.fields.t1_supply);
    await store.close();
  });

  it('does not trim when the cache limit is the memory limit', async () => {
    const store = await open({ memoryLimit: '64MB', cacheLimit: '64MB' });
    await store.write(minute(0));
    expect(await store.trim()).toBe(false);
    expect((await store.memoryUsage()).limitBytes).toBeGreaterThan(60e6);
    await store.close();
  });

  it('waits for the writes queued before it without holding up reads, then trims', async () => {
    const store = await open({ memoryLimit: '128MB', cacheLimit: '2MB' });
    await store.write(minute(0));
    // A write that does not end until the test says so (the writer's queue is what the trim waits in).
    let release = (): void => {};
    const held = new Promise<void>((r) => (release = r));
    const real = (store as unknown as { writeNow: (b: readonly Metric[]) => Promise<void> }).writeNow.bind(store);
    Object.assign(store, { writeNow: async (b: readonly Metric[]) => (await held, real(b)) });
    const write = store.write(minute(1));
    const trim = store.trim();
    const [series] = await store.query({ measurement: 'station', id: 'st-1', fields: ['t1_supply'], from: T, to: T + 120_000 });
    expect(series?.points).toHaveLength(6); // read while the write and the trim queued behind it wait
    release();
    await write;
    expect(await trim).toBe(true);
    const after = await store.memoryUsage();
    expect(after.limitBytes).toBeGreaterThan(120e6);
    const [both] = await store.query({ measurement: 'station', id: 'st-1', fields: ['t1_supply'], from: T, to: T + 120_000 });
    expect(both?.points).toHaveLength(12);
    await store.close();
  });

  it('refuses a cache limit that is not a size, naming it', () => {
    expect(() => new DuckDBStore({ dataDir: '/nonexistent', cacheLimit: "1MB'; DROP TABLE readings; --" })).toThrowError(/cacheLimit=.*must be a size/);
  });
});
