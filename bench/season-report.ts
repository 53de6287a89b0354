// The season report's time on the embedded store (issue 7): the whole network over a stored season
// at the simulator's default scans (station 60 s, compound/indoor/weather 5 min), the dataset of
// season-dataset.ts. Timed two ways, with the floor measured in the same run:
//   - per entity: what the product runs today, one `store.aggregate` per entity (DuckDBStore);
//   - grouped: one read per kind and 14-day window, through `aggregateMany`, the multi-entity
//     aggregate the report asks of the store port (reports/hourly.ts). The store does not offer
//     it yet; GroupedDuckDB below is its prototype on the same file, same SQL shape as
//     store/duckdb-sql.ts selectAggregate with `id` in the GROUP BY;
//   - floor: one plain scan of the season's rows (count + avg), and one hourly GROUP BY of every
//     series: work the report cannot avoid.
// Both reports must come out identical (checked, printed).

import { isDeepStrictEqual } from 'node:util';
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import { analyseSeason } from '../reports/season-analysis';
import type { SeasonReport } from '../reports/season-model';
import type { GroupedAggregate, ManyQuery } from '../reports/hourly';
import { DUCKDB_FILE, DuckDBStore } from '../store/duckdb-store';
import { SeriesCollector } from '../store/series-collector';
import type { AggregatePoint, AggregateSeries, SeriesQuery, TelemetryStore } from '../store/telemetry-store';
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
  if (opts.perEntity) {
    const store = new DuckDBStore({ dataDir: data.dir });
    await store.connect();
    try {
      perEntity = await timed(() => analyseSeason({ network, store, now: () => data.to }, data.from, data.to, { onProgress: progress('per entity') }));
      log(`   per entity: ${show(perEntity.t)}`);
    } finally {
      await store.close();
    }
  }
  const grouped = await GroupedDuckDB.open(`${data.dir}/${DUCKDB_FILE}`);
  try {
    const range: DuckDBValue[] = [BigInt(data.from), BigInt(data.to)];
    const scanFloor = await timed(() => grouped.sql('SELECT count(*), avg(num) FROM readings WHERE time >= $1 AND time < $2', range));
    log(`   floor: one plain scan ${show(scanFloor.t)}`);
    const groupByFloor = await timed(() =>
      grouped.sql(
        `SELECT count(*) FROM (SELECT measurement, id, sensor, field, time // 3600000 AS h, avg(num), min(num), max(num), count(num)
          FROM readings WHERE time >= $1 AND time < $2 AND num IS NOT NULL GROUP BY ALL)`,
        range,
      ),
    );
    log(`   floor: one hourly GROUP BY of every series ${show(groupByFloor.t)}`);
    const { t, value: report } = await timed(() => analyseSeason({ network, store: grouped, now: () => data.to }, data.from, data.to, { onProgress: progress('grouped') }));
    log(`   grouped: ${show(t)} (${grouped.reads} reads)`);
    return {
      days: Math.round((data.to - data.from) / 86_400_000),
      rows: data.rows,
      stationScanMs: data.stationScanMs,
      compoundScanMs: data.scanMs,
      stations: network.stations.length,
      compounds: network.compounds.length,
      candidates: report.candidates.length,
      ...(perEntity ? { perEntity: perEntity.t, identical: isDeepStrictEqual(perEntity.value, report) } : {}),
      grouped: t,
      groupedReads: grouped.reads,
      scanFloor: scanFloor.t,
      groupByFloor: groupByFloor.t,
    };
  } finally {
    grouped.close();
  }
}

const unused = (what: string): Promise<never> => Promise.reject(new HeatError('INTERNAL', `${what}: not part of the season report bench's store`));

/** Read-only prototype of the port with `aggregateMany`, on a DuckDB file no one else has open. */
class GroupedDuckDB implements TelemetryStore, GroupedAggregate {
  readonly name = 'duckdb-grouped-prototype';
  reads = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly c: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<GroupedDuckDB> {
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    return new GroupedDuckDB(instance, await instance.connect());
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }
  write(): Promise<void> {
    return unused('write');
  }
  query(): Promise<never> {
    return unused('query');
  }
  latest(): Promise<never> {
    return unused('latest');
  }
  close(): Promise<void> {
    this.c.closeSync();
    this.instance.closeSync();
    return Promise.resolve();
  }

  async aggregate(q: SeriesQuery, everyMs: number): Promise<AggregateSeries[]> {
    return [...((await this.aggregateMany({ ...q, ids: [q.id] }, everyMs)).get(q.id) ?? [])];
  }

  async aggregateMany(q: ManyQuery, everyMs: number): Promise<ReadonlyMap<string, readonly AggregateSeries[]>> {
    this.reads += 1;
    if (q.ids.length === 0 || q.fields.length === 0) return new Map();
    if (!Number.isSafeInteger(everyMs) || everyMs <= 0) throw new HeatError('BAD_REQUEST', `bucket width must be a positive integer of ms, got ${everyMs}`);
    const fields = q.fields.map((_, i) => `$${i + 5}`).join(', ');
    // Buckets as in store/duckdb-sql.ts selectAggregate, `id` joins the grouping. The width is a
    // literal (checked integer): as a $n parameter the bucket expression cost ~4× the whole query.
    // One row per series with lists: converting rows to JS costs more than the query otherwise.
    const e = String(everyMs);
    const sql = `SELECT id, field, sensor, list(bucket ORDER BY bucket), list(mean ORDER BY bucket), list(mn ORDER BY bucket),
        list(mx ORDER BY bucket), list(n ORDER BY bucket)
      FROM (SELECT id, field, sensor, (time - ((time % ${e}) + ${e}) % ${e})::DOUBLE AS bucket,
          avg(num) AS mean, min(num) AS mn, max(num) AS mx, count(num)::DOUBLE AS n
        FROM readings WHERE measurement = $1 AND time >= $2 AND time < $3 AND id IN (SELECT unnest($4::VARCHAR[]))
          AND field IN (${fields}) AND num IS NOT NULL
        GROUP BY id, field, sensor, bucket)
      GROUP BY id, field, sensor ORDER BY id, field, sensor`;
    const params: DuckDBValue[] = [q.measurement, BigInt(q.from), BigInt(q.to), listValue([...q.ids]), ...q.fields];
    const rows = (await this.c.runAndReadAll(sql, params)).getRowsJS();
    const byId = new Map<string, SeriesCollector<AggregatePoint>>();
    for (const r of rows) {
      const id = String(r[0]);
      const col = byId.get(id) ?? new SeriesCollector<AggregatePoint>();
      byId.set(id, col);
      const [time, mean, min, max, count] = [nums(r[3]), nums(r[4]), nums(r[5]), nums(r[6]), nums(r[7])];
      for (let i = 0; i < time.length; i++) col.add(String(r[1]), String(r[2]), { time: time[i] ?? 0, mean: mean[i] ?? 0, min: min[i] ?? 0, max: max[i] ?? 0, count: count[i] ?? 0 });
    }
    return new Map([...byId].map(([id, col]) => [id, col.result(q.fields)]));
  }

  /** A baseline query, its rows dropped. */
  async sql(text: string, params: DuckDBValue[]): Promise<void> {
    await this.c.runAndReadAll(text, params);
  }
}

function nums(v: JS | undefined): number[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : Number(x))) : [];
}
