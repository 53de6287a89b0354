// The DuckDB writer skips its delete-before-insert when a batch is newer than everything its
// series stored: these cases must still replace, never duplicate (the contract suite covers one
// store instance; here the newest times come back from disk, and batches interleave).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { DuckDBStore } from './duckdb-store';

const T = Date.UTC(2026, 0, 10);
const st = (id: string, time: number, t2_supply: number, pump_state = 'run'): Metric => ({ measurement: 'station', tags: { id }, fields: { t2_supply, pump_state }, time });
const span = { from: T - 3_600_000, to: T + 3_600_000 };

describe('DuckDB store: rewrites with the delete skipped for newer batches', () => {
  const roots: string[] = [];
  const open = async (root?: string): Promise<{ store: DuckDBStore; root: string }> => {
    const r = root ?? mkdtempSync(join(tmpdir(), 'heat-duckdb-rw-'));
    if (root === undefined) roots.push(r);
    const store = new DuckDBStore({ dataDir: r });
    await store.connect();
    return { store, root: r };
  };
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  it('replaces a point rewritten after a reopen (newest times rebuilt from disk)', async () => {
    const a = await open();
    await a.store.write([st('a', T, 50), st('a', T + 10_000, 51)]);
    await a.store.close();
    const b = await open(a.root);
    await b.store.write([st('a', T + 10_000, 52, 'stop')]);
    const [t2, pump] = await b.store.query({ measurement: 'station', id: 'a', fields: ['t2_supply', 'pump_state'], ...span });
    expect(t2?.points).toEqual([{ time: T, value: 50 }, { time: T + 10_000, value: 52 }]);
    expect(pump?.points).toEqual([{ time: T, value: 'run' }, { time: T + 10_000, value: 'stop' }]);
    expect(await b.store.latest('station')).toEqual(
      expect.arrayContaining([
        { measurement: 'station', id: 'a', field: 't2_supply', time: T + 10_000, value: 52 },
        { measurement: 'station', id: 'a', field: 'pump_state', time: T + 10_000, value: 'stop' },
      ]),
    );
    await b.store.close();
  });

  it('keeps a late point of one series and a rewrite of another in one batch, with newer points of a third', async () => {
    const { store } = await open();
    await store.write([st('a', T + 20_000, 60), st('b', T + 20_000, 70)]);
    await store.write([st('a', T, 61), st('b', T + 20_000, 71), st('c', T + 30_000, 80), st('c', T + 40_000, 81), st('c', T + 30_000, 82)]);
    const q = async (id: string): Promise<unknown> => (await store.query({ measurement: 'station', id, fields: ['t2_supply'], ...span }))[0]?.points;
    expect(await q('a')).toEqual([{ time: T, value: 61 }, { time: T + 20_000, value: 60 }]);
    expect(await q('b')).toEqual([{ time: T + 20_000, value: 71 }]);
    expect(await q('c')).toEqual([{ time: T + 30_000, value: 82 }, { time: T + 40_000, value: 81 }]);
    const latest = (await store.latest('station')).filter((l) => l.field === 't2_supply').map((l) => [l.id, l.time, l.value]);
    expect(latest.sort()).toEqual([['a', T + 20_000, 60], ['b', T + 20_000, 71], ['c', T + 40_000, 81]]);
    await store.close();
  });

  it('writes every value of a batch larger than one DataChunk (2,048 rows), across many series', async () => {
    const { store } = await open();
    const batch = Array.from({ length: 3000 }, (_, i) => st(`s${i % 700}`, T + Math.floor(i / 700) * 10_000, i));
    await store.write(batch);
    await store.write(batch); // again: all rewrites
    const rows = await store.query({ measurement: 'station', id: 's3', fields: ['t2_supply'], ...span });
    expect(rows[0]?.points.map((p) => p.value)).toEqual([3, 703, 1403, 2103, 2803]);
    expect((await store.latest('station')).length).toBe(700 * 2);
    await store.close();
  });
});
