// The DuckDB store serves latest() from memory and writes its tables only as a snapshot
// (duckdb-latest.ts). A run killed after its last commit must lose no newest value: on open the
// values written since the snapshot are read back from `readings`. And a data dir of an older
// layout (one `latest` table keyed by strings, here with the PRIMARY KEY it had before that) opens
// and moves on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { DUCKDB_FILE, DuckDBStore } from './duckdb-store';
import type { StoreLogger } from './store-logger';

const CHILD = fileURLToPath(new URL('./duckdb-latest-repair-child.ts', import.meta.url));
const T = Date.UTC(2026, 0, 10);
const st = (id: string, time: number, t2_supply: number, pump_state = 'run'): Metric => ({ measurement: 'station', tags: { id }, fields: { t2_supply, pump_state }, time });
const indoor = (sensor: string, time: number, t_indoor: number): Metric => ({ measurement: 'compound', tags: { id: 'longhu', sensor }, fields: { t_indoor }, time });

function recordingLogger(): StoreLogger & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { warnings, info: () => {}, warn: (o: object) => void warnings.push(o as Record<string, unknown>) };
}

const sorted = <T extends { id: string; field: string; sensor?: string }>(rows: readonly T[]): T[] =>
  [...rows].sort((a, b) => `${a.id}/${a.sensor ?? ''}/${a.field}`.localeCompare(`${b.id}/${b.sensor ?? ''}/${b.field}`));

describe('DuckDB store: newest values across a crash and across layouts', () => {
  const roots: string[] = [];
  const root = (): string => {
    const r = mkdtempSync(join(tmpdir(), 'heat-duckdb-latest-'));
    roots.push(r);
    return r;
  };
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  it('repairs the newest values written after the last snapshot of a killed run, and says so', async () => {
    const dir = root();
    const steps = [
      [st('a', T, 50), st('b', T, 60), indoor('s1', T, 19.5)],
      'snapshot',
      // after the snapshot: newer values, a late point that must not win, a new series, a rewrite
      [st('a', T + 10_000, 51, 'stop'), st('b', T - 50_000, 10), indoor('s2', T + 5_000, 17.2)],
      [st('b', T, 61)],
    ];
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir, JSON.stringify(steps)], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');

    const log = recordingLogger();
    const store = new DuckDBStore({ dataDir: dir, logger: log });
    await store.connect();
    const expected = [
      { measurement: 'station', id: 'a', field: 'pump_state', time: T + 10_000, value: 'stop' },
      { measurement: 'station', id: 'a', field: 't2_supply', time: T + 10_000, value: 51 },
      { measurement: 'station', id: 'b', field: 'pump_state', time: T, value: 'run' },
      { measurement: 'station', id: 'b', field: 't2_supply', time: T, value: 61 },
    ];
    expect(sorted(await store.latest('station'))).toEqual(expected);
    expect(sorted(await store.latest('compound', ['longhu']))).toEqual([
      { measurement: 'compound', id: 'longhu', sensor: 's1', field: 't_indoor', time: T, value: 19.5 },
      { measurement: 'compound', id: 'longhu', sensor: 's2', field: 't_indoor', time: T + 5_000, value: 17.2 },
    ]);
    // Read back from where the oldest write since the snapshot starts (the late point of b): every
    // series field with a row from there on, 6.
    expect(log.warnings.map((w) => w['repaired'])).toEqual([6]);
    await store.close();

    // The repair was written as the new snapshot: a clean reopen repairs nothing and reads the same.
    const again = recordingLogger();
    const reopened = new DuckDBStore({ dataDir: dir, logger: again });
    await reopened.connect();
    expect(sorted(await reopened.latest('station'))).toEqual(expected);
    expect(again.warnings).toEqual([]);
    await reopened.close();
  });

  it('ends clean when the writes since the last snapshot changed no newest value (late points only)', async () => {
    const dir = root();
    const a = new DuckDBStore({ dataDir: dir });
    await a.connect();
    await a.write([st('a', T + 60_000, 50)]);
    await a.snapshot();
    await a.write([st('a', T, 40)]); // late: no newest value changes, yet the write marks where a repair would start
    await a.close();
    const log = recordingLogger();
    const b = new DuckDBStore({ dataDir: dir, logger: log });
    await b.connect();
    expect(log.warnings).toEqual([]);
    expect(await b.latest('station', ['a'])).toEqual(
      expect.arrayContaining([{ measurement: 'station', id: 'a', field: 't2_supply', time: T + 60_000, value: 50 }]),
    );
    await b.close();
  });

  it('opens a data dir whose `latest` has the older PRIMARY KEY layout and writes on from it', async () => {
    const dir = root();
    const db = await DuckDBInstance.create(join(dir, DUCKDB_FILE));
    const c = await db.connect();
    await c.run(`CREATE TABLE readings (measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL, field VARCHAR NOT NULL,
      time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN)`);
    await c.run(`CREATE TABLE latest (measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL, field VARCHAR NOT NULL,
      time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN, PRIMARY KEY (measurement, id, sensor, field))`);
    await c.run(`INSERT INTO readings VALUES ('station', 'a', '', 't2_supply', ${T}, 50, NULL, NULL), ('station', 'a', '', 'pump_state', ${T}, NULL, 'run', NULL)`);
    await c.run(`INSERT INTO latest SELECT * FROM readings`);
    c.closeSync();
    db.closeSync();

    const store = new DuckDBStore({ dataDir: dir });
    await store.connect();
    expect(sorted(await store.latest('station'))).toEqual([
      { measurement: 'station', id: 'a', field: 'pump_state', time: T, value: 'run' },
      { measurement: 'station', id: 'a', field: 't2_supply', time: T, value: 50 },
    ]);
    await store.write([st('a', T + 10_000, 52, 'stop')]);
    await store.close();
    const reopened = new DuckDBStore({ dataDir: dir });
    await reopened.connect();
    expect(sorted(await reopened.latest('station')).map((l) => [l.field, l.time, l.value])).toEqual([
      ['pump_state', T + 10_000, 'stop'],
      ['t2_supply', T + 10_000, 52],
    ]);
    await reopened.close();
    // The older table is gone: the snapshot is in the id-keyed tables now.
    const after = await DuckDBInstance.create(join(dir, DUCKDB_FILE));
    const a = await after.connect();
    const tables = (await a.runAndReadAll("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1")).getRowsJS().map((r) => r[0]);
    expect(tables).not.toContain('latest');
    expect(tables).toEqual(expect.arrayContaining(['latest_fields', 'latest_series', 'latest_values']));
    expect((await a.runAndReadAll('SELECT count(*)::DOUBLE FROM latest_values')).getRowsJS()).toEqual([[2]]);
    a.closeSync();
    after.closeSync();
  });
});
