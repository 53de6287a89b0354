// The season report's time on the embedded store (issue 7): the whole network over a stored season
// at the simulator's default scans (station 60 s, compound/indoor/weather 5 min), the dataset of
// season-dataset.ts. Timed two ways, with the floor measured in the same run:
//   - grouped: what the product runs, one read per kind and 14-day window through the DuckDB
//     store's `aggregateMany` (store/telemetry-store.ts GroupedAggregate, reports/hourly.ts);
//   - per entity: the port alone, one `store.aggregate` per entity (the path of a store without
//     `aggregateMany`, and the product's before it), optional: minutes over a season;
//   - floor: one plain scan of the season's rows (count + avg), and one hourly GROUP BY of every
//     series: work the report cannot avoid.
// Both reports must come out identical (checked, printed).

import { isDeepStrictEqual } from 'node:util';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { NetworkModel } from '../domain/network';
import { analyseSeason } from '../reports/season-analysis';
import type { SeasonReport } from '../reports/season-model';
import { DUCKDB_FILE, DuckDBStore } from '../store/duckdb-store';
import type { GroupedAggregate, ManyQuery, TelemetryStore } from '../store/telemetry-store';
import type { SeasonDataset } from './season-dataset';

export interface SeasonReportResult {
  readonly days: number;
  readonly rows: number;
  readonly stationScanMs: number;
  readonly compoundScanMs: number;
  readonly stations: number;
  readonly compounds: number;
  readonly candidates: number;
  /** Today's path: one aggregate per entity; undefined when skipped. */
  readonly perEntity?: Timing;
  readonly grouped: Timing;
  readonly groupedReads: number;
  readonly scanFloor: Timing;
  readonly groupByFloor: Timing;
  /** Both reports equal (generatedAt aside); undefined when only one ran. */
  readonly identical?: boolean;
}

/** Wall time and this process's CPU time (DuckDB's threads included): CPU suffers less from a busy machine. */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

async function timed<T>(f: () => Promise<T>): Promise<{ t: Timing; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { t: { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }, value };
}

const show = (t: Timing): string => `${(t.wallMs / 1000).toFixed(1)} s (CPU ${(t.cpuMs / 1000).toFixed(1)} s)`;

export async function seasonReportBench(network: NetworkModel, data: SeasonDataset, opts: { readonly perEntity: boolean; readonly log: (l: string) => void }): Promise<SeasonReportResult> {
  const { log } = opts;
  const progress = (label: string): ((d: number, t: number) => void) => {
    let last = -1;
    return (d, t) => {
      const p = Math.floor((d / t) * 4);
      if (p !== last) log(`   ${label}: ${p * 25} %`);
      last = p;
    };
  };
  let perEntity: { t: Timing; value: SeasonReport } | undefined;
  let grouped: { t: Timing; value: SeasonReport; reads: number };
  const store = new DuckDBStore({ dataDir: data.dir });
  await store.connect();
  try {
    if (opts.perEntity) {
      perEntity = await timed(() => analyseSeason({ network, store: portOnly(store), now: () => data.to }, data.from, data.to, { onProgress: progress('per entity') }));
      log(`   per entity: ${show(perEntity.t)}`);
    }
    const withCount = counted(store);
    const g = await timed(() => analyseSeason({ network, store: withCount, now: () => data.to }, data.from, data.to, { onProgress: progress('grouped') }));
    grouped = { ...g, reads: withCount.reads };
    log(`   grouped: ${show(g.t)} (${withCount.reads} reads)`);
  } finally {
    await store.close();
  }
  const floor = await floorQueries(`${data.dir}/${DUCKDB_FILE}`);
  try {
    const range: DuckDBValue[] = [BigInt(data.from), BigInt(data.to)];
    const scanFloor = await timed(() => floor.sql('SELECT count(*), avg(num) FROM readings WHERE time >= $1 AND time < $2', range));
    log(`   floor: one plain scan ${show(scanFloor.t)}`);
    const groupByFloor = await timed(() =>
      floor.sql(
        `SELECT count(*) FROM (SELECT measurement, id, sensor, field, time // 3600000 AS h, avg(num), min(num), max(num), count(num)
          FROM readings WHERE time >= $1 AND time < $2 AND num IS NOT NULL GROUP BY ALL)`,
        range,
      ),
    );
    log(`   floor: one hourly GROUP BY of every series ${show(groupByFloor.t)}`);
    return {
      days: Math.round((data.to - data.from) / 86_400_000),
      rows: data.rows,
      stationScanMs: data.stationScanMs,
      compoundScanMs: data.scanMs,
      stations: network.stations.length,
      compounds: network.compounds.length,
      candidates: grouped.value.candidates.length,
      ...(perEntity ? { perEntity: perEntity.t, identical: isDeepStrictEqual(perEntity.value, grouped.value) } : {}),
      grouped: grouped.t,
      groupedReads: grouped.reads,
      scanFloor: scanFloor.t,
      groupByFloor: groupByFloor.t,
    };
  } finally {
    floor.close();
  }
}

/** The port only: hides `aggregateMany`, so the report reads one entity at a time. */
function portOnly(store: TelemetryStore): TelemetryStore {
  return {
    name: `${store.name}-per-entity`,
    connect: () => store.connect(),
    write: (b) => store.write(b),
    query: (q) => store.query(q),
    aggregate: (q, every) => store.aggregate(q, every),
    latest: (m, ids) => store.latest(m, ids),
    close: () => store.close(),
  };
}

/** The store with its grouped reads counted. */
function counted(store: DuckDBStore): TelemetryStore & GroupedAggregate & { reads: number } {
  const c = {
    reads: 0,
    ...portOnly(store),
    name: store.name,
    aggregateMany: (q: ManyQuery, every: number) => {
      c.reads += 1;
      return store.aggregateMany(q, every);
    },
  };
  return c;
}

/** Floor queries on a read-only DuckDB connection (after the store closed the file). */
async function floorQueries(path: string): Promise<{ sql: (text: string, params: DuckDBValue[]) => Promise<void>; close: () => void }> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const c = await instance.connect();
  return {
    sql: async (text, params) => void (await c.runAndReadAll(text, params)),
    close: () => {
      c.closeSync();
      instance.closeSync();
    },
  };
}
