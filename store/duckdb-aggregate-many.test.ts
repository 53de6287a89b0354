// aggregateMany (the season report's one-scan read of a whole kind) must answer exactly what one
// `aggregate` per id answers: same buckets (also before 1970 and off bucket bounds), fields,
// sensors, means, min/max and counts; hostile ids stay data; bad input is refused like aggregate's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHeatError } from '../domain/errors';
import type { Metric } from '../domain/telemetry';
import { DuckDBStore } from './duckdb-store';
import { canAggregateMany } from './telemetry-store';

const T = Date.UTC(2026, 0, 10, 3, 17);
const MIN = 60_000;
const HOUR = 3_600_000;
const IDS = ['a', 'b', 'c', "x'); DROP TABLE readings; --"];

/** Deterministic, irregular readings: stations with a string field, compounds with indoor sensors. */
function readings(): Metric[] {
  const out: Metric[] = [];
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  IDS.forEach((id, k) => {
    for (let i = 0; i < 300; i++) {
      const time = T + i * 7 * MIN + Math.floor(rnd() * MIN);
      if (k === 2 && i % 3 === 0) continue; // gaps in one series
      out.push({ measurement: 'station', tags: { id }, fields: { t2_supply: 40 + rnd() * 10, flow2: 100 + k + rnd(), pump_state: i % 50 === 0 ? 'stop' : 'run' }, time });
      out.push({ measurement: 'compound', tags: { id, sensor: `s${i % 3}` }, fields: { t_indoor: 16 + rnd() * 4 }, time });
    }
  });
  // Before 1970: bucket floors must match the single-entity query there too.
  out.push({ measurement: 'station', tags: { id: 'a' }, fields: { t2_supply: 1 }, time: -HOUR - 5 }, { measurement: 'station', tags: { id: 'b' }, fields: { t2_supply: 2 }, time: -5 });
  return out;
}

describe('DuckDB aggregateMany', () => {
  let root: string;
  let store: DuckDBStore;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'heat-duckdb-many-'));
    store = new DuckDBStore({ dataDir: root });
    await store.connect();
    await store.write(readings());
  });
  afterAll(async () => {
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is offered by the DuckDB store', () => {
    expect(canAggregateMany(store)).toBe(true);
  });

  it.each([
    ['station', ['t2_supply', 'flow2', 'pump_state'], T - 10 * MIN, T + 30 * HOUR + 13, HOUR],
    ['station', ['t2_supply'], -2 * HOUR, HOUR, 15 * MIN],
    ['compound', ['t_indoor'], T + 2 * HOUR + 1, T + 20 * HOUR, HOUR],
  ] as const)('answers %s %j like one aggregate per id', async (measurement, fields, from, to, every) => {
    const many = await store.aggregateMany({ measurement, ids: [...IDS, 'nobody'], fields, from, to }, every);
    let buckets = 0;
    for (const id of [...IDS, 'nobody']) {
      const one = await store.aggregate({ measurement, id, fields, from, to }, every);
      const got = many.get(id) ?? [];
      // An id without data may be absent; one with data must carry exactly aggregate's series.
      expect(got.filter((s) => s.points.length > 0)).toEqual(one.filter((s) => s.points.length > 0));
      buckets += one.reduce((n, s) => n + s.points.length, 0);
    }
    expect(buckets).toBeGreaterThan(0);
    expect(many.has('nobody')).toBe(false);
  });

  it('treats hostile ids as data, and refuses what aggregate refuses', async () => {
    const hostile = await store.aggregateMany({ measurement: 'station', ids: [IDS[3] as string], fields: ['t2_supply'], from: T, to: T + HOUR }, HOUR);
    expect(hostile.get(IDS[3] as string)?.[0]?.points.length).toBeGreaterThan(0);
    expect((await store.aggregateMany({ measurement: 'station', ids: [], fields: ['t2_supply'], from: T, to: T + HOUR }, HOUR)).size).toBe(0);
    for (const [ids, every, to] of [
      [['a'], 0, T + HOUR],
      [['a'], 1.5, T + HOUR],
      [['a', ''], HOUR, T + HOUR],
      [['a'], HOUR, T - HOUR],
    ] as const) {
      const e = await store.aggregateMany({ measurement: 'station', ids, fields: ['t2_supply'], from: T, to }, every).catch((x: unknown) => x);
      expect(isHeatError(e) && e.code).toBe('BAD_REQUEST');
    }
  });
});
