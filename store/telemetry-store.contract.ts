// The whole TelemetryStore contract as one test suite (aedes-persistence's abstract.js style):
// each implementation's test file calls describeTelemetryStoreContract with a factory.
// Each test gets a fresh, empty store; the suite calls connect() and close(), then cleanup().

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import type { EntityKind, FieldValue, Metric } from '../domain/telemetry';
import type { AggregateSeries, LatestValue, Series, SeriesQuery, TelemetryStore } from './telemetry-store';

export interface StoreUnderTest {
  readonly store: TelemetryStore;
  /** Removes what the store left behind (temp dir, database); called after close(). */
  cleanup(): Promise<void>;
}

export interface ContractStoreOptions {
  /** Raw points one query may return. */
  readonly maxPoints?: number;
}

export type MakeStore = (opts?: ContractStoreOptions) => Promise<StoreUnderTest>;

const T0 = Date.UTC(2024, 0, 15, 8, 0, 0); // a whole hour, so minute buckets start at T0
const MIN = 60_000;

function station(id: string, time: number, fields: Record<string, FieldValue>): Metric {
  return { measurement: 'station', tags: { id }, fields, time };
}
function compound(id: string, time: number, fields: Record<string, FieldValue>, sensor?: string): Metric {
  return { measurement: 'compound', tags: sensor === undefined ? { id } : { id, sensor }, fields, time };
}
function q(measurement: EntityKind, id: string, fields: string[], from: number, to: number, sensor?: string): SeriesQuery {
  return sensor === undefined ? { measurement, id, fields, from, to } : { measurement, id, fields, from, to, sensor };
}
/** Series as plain [field, sensor, [time, value][]] for readable expectations. */
function plain(series: Series[]): [string, string | undefined, [number, FieldValue][]][] {
  return series.map((s) => [s.field, s.sensor, s.points.map((p) => [p.time, p.value])]);
}
function sortLatest(l: LatestValue[]): LatestValue[] {
  const key = (v: LatestValue): string => JSON.stringify([v.id, v.sensor ?? '', v.field]);
  return [...l].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
async function rejection(p: Promise<unknown>): Promise<HeatError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HeatError) return e;
    throw e;
  }
  throw new Error('expected a HeatError, but the call resolved');
}

/** Ids that break naive SQL, InfluxQL or line protocol; each must round-trip unchanged. */
export const HOSTILE_IDS: readonly string[] = [
  "x'); DROP TABLE readings; --",
  "' OR '1'='1",
  'dq"uote',
  'back\\slash',
  'trailing\\',
  '\\',
  'new\nline',
  'tab\tand\rcr',
  'sp ace',
  'com,ma',
  'eq=ual',
  '德轩换热站-龙湖花庭',
  '%41 percent',
  '/^regex$/',
  '*',
];

export function describeTelemetryStoreContract(name: string, makeStore: MakeStore): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: TelemetryStore;
    const extra: StoreUnderTest[] = [];

    beforeEach(async () => {
      sut = await makeStore();
      store = sut.store;
      await store.connect();
    });
    afterEach(async () => {
      for (const s of [sut, ...extra.splice(0)]) {
        await s.store.close();
        await s.cleanup();
      }
    });

    it('reads back what was written, by entity, field and time range [from, to), ascending', async () => {
      await store.write([
        station('dexuan', T0 + 3 * MIN, { t1_supply: 103 }),
        station('dexuan', T0, { t1_supply: 100 }),
        station('dexuan', T0 + 2 * MIN, { t1_supply: 102 }),
        station('dexuan', T0 + MIN, { t1_supply: 101.5 }),
      ]);
      const got = await store.query(q('station', 'dexuan', ['t1_supply'], T0 + MIN, T0 + 3 * MIN));
      expect(plain(got)).toEqual([['t1_supply', undefined, [[T0 + MIN, 101.5], [T0 + 2 * MIN, 102]]]]);
      const all = await store.query(q('station', 'dexuan', ['t1_supply'], T0, T0 + 3 * MIN + 1));
      expect(all[0]?.points.map((p) => p.time)).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    });

    it('returns each indoor sensor as its own series, or only the asked sensor', async () => {
      await store.write([
        compound('longhu-huating', T0, { t_indoor: 19.5 }, 'longhu-huating-s2'),
        compound('longhu-huating', T0, { t_indoor: 17.25 }, 'longhu-huating-s1'),
        compound('longhu-huating', T0 + MIN, { t_indoor: 17.5 }, 'longhu-huating-s1'),
        compound('longhu-huating', T0, { t_supply: 48 }),
      ]);
      const both = await store.query(q('compound', 'longhu-huating', ['t_indoor', 't_supply'], T0, T0 + 10 * MIN));
      expect(plain(both)).toEqual([
        ['t_indoor', 'longhu-huating-s1', [[T0, 17.25], [T0 + MIN, 17.5]]],
        ['t_indoor', 'longhu-huating-s2', [[T0, 19.5]]],
        ['t_supply', undefined, [[T0, 48]]],
      ]);
      const one = await store.query(q('compound', 'longhu-huating', ['t_indoor'], T0, T0 + 10 * MIN, 'longhu-huating-s2'));
      expect(plain(one)).toEqual([['t_indoor', 'longhu-huating-s2', [[T0, 19.5]]]]);
    });

    it('returns only the asked fields, in the order asked', async () => {
      await store.write([station('dexuan', T0, { t1_supply: 100, t1_return: 55, flow1: 80, pump_state: 'run' })]);
      const got = await store.query(q('station', 'dexuan', ['flow1', 't1_return'], T0, T0 + MIN));
      expect(plain(got)).toEqual([
        ['flow1', undefined, [[T0, 80]]],
        ['t1_return', undefined, [[T0, 55]]],
      ]);
      expect(await store.query(q('station', 'dexuan', [], T0, T0 + MIN))).toEqual([]);
    });

    it('does not leak other entities or other kinds with the same id', async () => {
      await store.write([
        station('dexuan', T0, { t1_supply: 100 }),
        station('dexuan-2', T0, { t1_supply: 90 }),
        station('xiongguan', T0, { t1_supply: 80 }),
        compound('dexuan', T0, { t_supply: 70 }),
        { measurement: 'weather', tags: { id: 'dexuan' }, fields: { t_outdoor: -12 }, time: T0 },
      ]);
      const got = await store.query(q('station', 'dexuan', ['t1_supply', 't_supply', 't_outdoor'], T0, T0 + MIN));
      expect(plain(got)).toEqual([['t1_supply', undefined, [[T0, 100]]]]);
      const latest = await store.latest('station', ['dexuan']);
      expect(latest.map((l) => [l.id, l.field, l.value])).toEqual([['dexuan', 't1_supply', 100]]);
    });

    it('downsamples numeric fields into epoch-aligned buckets with mean, min, max and count', async () => {
      const batch: Metric[] = [];
      // 10 s steps over 3 minutes: minute k holds 6 values 10k+0 .. 10k+5
      for (let i = 0; i < 18; i++) batch.push(station('dexuan', T0 + i * 10_000, { t2_supply: 10 * Math.floor(i / 6) + (i % 6), pump_state: 'run' }));
      await store.write(batch);
      const agg = await store.aggregate(q('station', 'dexuan', ['t2_supply', 'pump_state'], T0, T0 + 3 * MIN), MIN);
      expect(agg.map((s) => [s.field, s.sensor])).toEqual([['t2_supply', undefined]]); // strings are not aggregated
      const pts = agg[0]?.points ?? [];
      expect(pts.map((p) => [p.time, p.min, p.max, p.count])).toEqual([
        [T0, 0, 5, 6],
        [T0 + MIN, 10, 15, 6],
        [T0 + 2 * MIN, 20, 25, 6],
      ]);
      pts.forEach((p, k) => expect(p.mean).toBeCloseTo(10 * k + 2.5, 9));

      // A range starting mid-bucket: the bucket keeps its aligned start but only counts points in range.
      const mid = await store.aggregate(q('station', 'dexuan', ['t2_supply'], T0 + 30_000, T0 + 90_000), MIN);
      expect(mid[0]?.points.map((p) => [p.time, p.min, p.max, p.count])).toEqual([
        [T0, 3, 5, 3],
        [T0 + MIN, 10, 12, 3],
      ]);

      // Buckets that do not divide an hour still align to epoch multiples of everyMs.
      const odd = await store.aggregate(q('station', 'dexuan', ['t2_supply'], T0, T0 + 3 * MIN), 7_000);
      const times = odd[0]?.points.map((p) => p.time) ?? [];
      expect(times.length).toBeGreaterThan(0);
      for (const t of times) expect(t % 7_000).toBe(0);
      expect(odd[0]?.points.reduce((n, p) => n + p.count, 0)).toBe(18);
    });

    it('aggregates each sensor separately and omits empty buckets', async () => {
      await store.write([
        compound('donghu-yiyuan', T0, { t_indoor: 18 }, 's1'),
        compound('donghu-yiyuan', T0 + 1_000, { t_indoor: 20 }, 's1'),
        compound('donghu-yiyuan', T0 + 5 * MIN, { t_indoor: 16 }, 's2'),
      ]);
      const agg: AggregateSeries[] = await store.aggregate(q('compound', 'donghu-yiyuan', ['t_indoor'], T0, T0 + 10 * MIN), MIN);
      expect(agg.map((s) => [s.sensor, s.points.map((p) => [p.time, p.mean, p.min, p.max, p.count])])).toEqual([
        ['s1', [[T0, 19, 18, 20, 2]]],
        ['s2', [[T0 + 5 * MIN, 16, 16, 16, 1]]],
      ]);
    });

    it('gives the newest value per entity, sensor and field, optionally only for some ids', async () => {
      await store.write([
        station('dexuan', T0, { t1_supply: 100, pump_state: 'run' }),
        station('dexuan', T0 + 2 * MIN, { t1_supply: 102 }),
        station('xiongguan', T0 + MIN, { t1_supply: 90, pump_state: 'fault' }),
      ]);
      await store.write([station('dexuan', T0 + MIN, { t1_supply: 101, pump_state: 'stop' })]); // older than t1_supply's newest
      await store.write([compound('longhu-huating', T0, { t_indoor: 18 }, 's1'), compound('longhu-huating', T0 + MIN, { t_indoor: 19 }, 's2')]);

      expect(sortLatest(await store.latest('station'))).toEqual([
        { measurement: 'station', id: 'dexuan', field: 'pump_state', time: T0 + MIN, value: 'stop' },
        { measurement: 'station', id: 'dexuan', field: 't1_supply', time: T0 + 2 * MIN, value: 102 },
        { measurement: 'station', id: 'xiongguan', field: 'pump_state', time: T0 + MIN, value: 'fault' },
        { measurement: 'station', id: 'xiongguan', field: 't1_supply', time: T0 + MIN, value: 90 },
      ]);
      expect((await store.latest('station', ['xiongguan', 'nowhere'])).map((l) => l.id)).toEqual(['xiongguan', 'xiongguan']);
      expect(await store.latest('station', [])).toEqual([]);
      expect(sortLatest(await store.latest('compound'))).toEqual([
        { measurement: 'compound', id: 'longhu-huating', sensor: 's1', field: 't_indoor', time: T0, value: 18 },
        { measurement: 'compound', id: 'longhu-huating', sensor: 's2', field: 't_indoor', time: T0 + MIN, value: 19 },
      ]);
    });

    it('rewrites the same point idempotently: the value is replaced and counted once', async () => {
      await store.write([station('dexuan', T0, { t1_supply: 100, t1_return: 50 })]);
      await store.write([station('dexuan', T0, { t1_supply: 111 })]);
      await store.write([station('dexuan', T0, { t1_supply: 112 }), station('dexuan', T0, { t1_supply: 113 })]); // last one in a batch wins
      const got = await store.query(q('station', 'dexuan', ['t1_supply', 't1_return'], T0, T0 + MIN));
      expect(plain(got)).toEqual([
        ['t1_supply', undefined, [[T0, 113]]],
        ['t1_return', undefined, [[T0, 50]]],
      ]);
      const agg = await store.aggregate(q('station', 'dexuan', ['t1_supply'], T0, T0 + MIN), MIN);
      expect(agg[0]?.points).toEqual([{ time: T0, mean: 113, min: 113, max: 113, count: 1 }]);
      const latest = await store.latest('station');
      expect(sortLatest(latest).map((l) => [l.field, l.value])).toEqual([
        ['t1_return', 50],
        ['t1_supply', 113],
      ]);
    });

    it('keeps string and boolean fields with their types', async () => {
      await store.write([
        station('dexuan', T0, { pump_state: 'run', alarm: false }),
        station('dexuan', T0 + MIN, { pump_state: 'fault "E7"\nline2 \\ 泵', alarm: true }),
      ]);
      const got = await store.query(q('station', 'dexuan', ['pump_state', 'alarm'], T0, T0 + 2 * MIN));
      expect(plain(got)).toEqual([
        ['pump_state', undefined, [[T0, 'run'], [T0 + MIN, 'fault "E7"\nline2 \\ 泵']]],
        ['alarm', undefined, [[T0, false], [T0 + MIN, true]]],
      ]);
      const latest = sortLatest(await store.latest('station'));
      expect(latest.map((l) => [l.field, l.value])).toEqual([
        ['alarm', true],
        ['pump_state', 'fault "E7"\nline2 \\ 泵'],
      ]);
    });

    it('stores hostile ids and sensors verbatim and cannot be injected through them', async () => {
      await store.write([station('dexuan', T0, { t1_supply: 1 })]);
      await store.write(HOSTILE_IDS.map((id, i) => station(id, T0, { t1_supply: 100 + i })));
      await store.write(HOSTILE_IDS.map((sensor, i) => compound('c', T0, { t_indoor: i }, sensor)));
      for (const [i, id] of HOSTILE_IDS.entries()) {
        const got = await store.query(q('station', id, ['t1_supply'], T0, T0 + MIN));
        expect(plain(got), id).toEqual([['t1_supply', undefined, [[T0, 100 + i]]]]);
        const one = await store.query(q('compound', 'c', ['t_indoor'], T0, T0 + MIN, id));
        expect(plain(one), id).toEqual([['t_indoor', id, [[T0, i]]]]);
      }
      const latest = await store.latest('station', HOSTILE_IDS);
      expect(latest.map((l) => l.id).sort()).toEqual([...HOSTILE_IDS].sort());
      const sensors = (await store.latest('compound')).map((l) => l.sensor);
      expect(sensors.sort()).toEqual([...HOSTILE_IDS].sort());
      // Ids that would widen a naive WHERE clause match nothing.
      for (const id of ["nope' OR id != '", 'nope" OR 1=1 --', "nope\\' OR '1'='1"]) {
        expect(await store.query(q('station', id, ['t1_supply'], T0, T0 + MIN))).toEqual([]);
        expect(await store.latest('station', [id])).toEqual([]);
      }
      // Field keys are names too.
      const oddField = 'we"ird \'key, =\\x\n%';
      await store.write([station('dexuan', T0 + MIN, { [oddField]: 7, t1_supply: 2 })]);
      expect(plain(await store.query(q('station', 'dexuan', [oddField], T0, T0 + 2 * MIN)))).toEqual([[oddField, undefined, [[T0 + MIN, 7]]]]);
      expect((await store.latest('station', ['dexuan'])).map((l) => l.field).sort()).toEqual([oddField, 't1_supply'].sort());
      expect((await store.aggregate(q('station', 'dexuan', [oddField], T0, T0 + 2 * MIN), MIN))[0]?.points[0]?.count).toBe(1);
      // Nothing was dropped.
      expect(plain(await store.query(q('station', 'dexuan', ['t1_supply'], T0, T0 + 2 * MIN)))).toEqual([['t1_supply', undefined, [[T0, 1], [T0 + MIN, 2]]]]);
    });

    it('answers unknown ids with empty results', async () => {
      await store.write([station('dexuan', T0, { t1_supply: 100 })]);
      expect(await store.query(q('station', 'nowhere', ['t1_supply'], T0, T0 + MIN))).toEqual([]);
      expect(await store.aggregate(q('station', 'nowhere', ['t1_supply'], T0, T0 + MIN), MIN)).toEqual([]);
      expect(await store.latest('station', ['nowhere'])).toEqual([]);
      expect(await store.latest('weather')).toEqual([]);
      expect(await store.query(q('station', 'dexuan', ['no_such_field'], T0, T0 + MIN))).toEqual([]);
    });

    it('writes a batch of a few thousand metrics completely', async () => {
      const batch: Metric[] = [];
      for (let s = 0; s < 50; s++) for (let i = 0; i < 60; i++) batch.push(station(`st-${s}`, T0 + i * 10_000, { t1_supply: s + i / 100, t1_return: s, flow1: i, pump_state: i % 2 ? 'run' : 'stop' }));
      await store.write(batch);
      const latest = await store.latest('station');
      expect(latest).toHaveLength(50 * 4);
      expect(latest.filter((l) => l.time === T0 + 59 * 10_000)).toHaveLength(200);
      const got = await store.query(q('station', 'st-37', ['t1_supply'], T0, T0 + 10 * MIN));
      expect(got[0]?.points).toHaveLength(60);
      expect(got[0]?.points[59]?.value).toBeCloseTo(37.59, 9);
      const agg = await store.aggregate(q('station', 'st-49', ['flow1'], T0, T0 + 10 * MIN), 10 * MIN);
      expect(agg[0]?.points).toEqual([{ time: T0, mean: 29.5, min: 0, max: 59, count: 60 }]);
    });

    it('serves concurrent writes and reads', async () => {
      const writes = Array.from({ length: 8 }, (_, k) => store.write([station('dexuan', T0 + k * 1_000, { t1_supply: k })]));
      const reads = Array.from({ length: 4 }, () => store.latest('station'));
      await Promise.all([...writes, ...reads]);
      const got = await store.query(q('station', 'dexuan', ['t1_supply'], T0, T0 + MIN));
      expect(got[0]?.points.map((p) => p.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('rejects a bad batch as a whole with a HeatError, keeping earlier data', async () => {
      await store.write([station('dexuan', T0, { t1_supply: 100 })]);
      const e = await rejection(store.write([station('dexuan', T0, { t1_supply: 1 }), station('dexuan', T0 + MIN, { t1_supply: Number.NaN })]));
      expect(e.code).toBe('NON_FINITE');
      expect(e.canRetry()).toBe(false);
      expect((await rejection(store.write([station('dexuan', T0 + 0.5, { t1_supply: 1 })]))).code).toBe('TIMESTAMP_INVALID');
      const got = await store.query(q('station', 'dexuan', ['t1_supply'], T0, T0 + 2 * MIN));
      expect(plain(got)).toEqual([['t1_supply', undefined, [[T0, 100]]]]);
    });

    it('rejects impossible queries with BAD_REQUEST', async () => {
      expect((await rejection(store.query(q('station', 'dexuan', ['t1_supply'], T0 + MIN, T0)))).code).toBe('BAD_REQUEST');
      expect((await rejection(store.aggregate(q('station', 'dexuan', ['t1_supply'], T0, T0 + MIN), 0))).code).toBe('BAD_REQUEST');
      expect((await rejection(store.aggregate(q('station', 'dexuan', ['t1_supply'], T0, T0 + 1e12), 1))).code).toBe('BAD_REQUEST');
    });

    it('refuses a raw query larger than its point limit', async () => {
      const small = await makeStore({ maxPoints: 5 });
      extra.push(small);
      await small.store.connect();
      await small.store.write(Array.from({ length: 6 }, (_, i) => station('dexuan', T0 + i * 1_000, { t1_supply: i })));
      expect((await small.store.query(q('station', 'dexuan', ['t1_supply'], T0, T0 + 5_000)))[0]?.points).toHaveLength(5);
      expect((await rejection(small.store.query(q('station', 'dexuan', ['t1_supply'], T0, T0 + MIN)))).code).toBe('BAD_REQUEST');
    });
  });
}
