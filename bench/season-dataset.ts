// A season of stored telemetry for the query-latency runs, generated inside DuckDB straight into
// the store's own file and schema (store/duckdb-sql.ts) — not via MQTT: the ingest path is measured
// elsewhere, and this way a whole season takes minutes, not hours.
//
// Every station (16 fields) at the station scan, every compound (4 fields), indoor sensor and
// weather site at the compound scan (the simulator's defaults are 60 s and 5 min; the query
// runs use one 5-min scan for all), one chunk of days per INSERT in time order (as live ingest appends them,
// so DuckDB's zone maps on `time` work as they would in production). Values follow a daily cycle
// with per-series noise; they are plausible, not physical: queries do not care. The file is cached
// under its parameters and reused.

import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FIELDS } from '../domain/fields';
import type { NetworkModel } from '../domain/network';
import { DUCKDB_FILE, DuckDBStore } from '../store/duckdb-store';
import { countDuckDBRows } from './duckdb-count';

export interface SeasonOptions {
  readonly network: NetworkModel;
  /** Cache key part naming the network. */
  readonly networkName: string;
  readonly from: number;
  readonly days: number;
  /** Compound, indoor and weather scan; also the station scan unless `stationScanMs` is given. */
  readonly scanMs: number;
  readonly stationScanMs?: number;
  readonly cacheDir: string;
  readonly log: (line: string) => void;
}

export interface SeasonDataset {
  /** Folder holding heat.duckdb (a DuckDBStore dataDir). */
  readonly dir: string;
  readonly rows: number;
  readonly from: number;
  readonly to: number;
  readonly scanMs: number;
  readonly stationScanMs: number;
  readonly generatedInMs: number | undefined;
  readonly fileBytes: number;
}

const DAY = 86_400_000;
const DAYS_PER_INSERT = 7;

export async function seasonDataset(o: SeasonOptions): Promise<SeasonDataset> {
  const stationScanMs = o.stationScanMs ?? o.scanMs;
  if (o.scanMs % stationScanMs !== 0 || DAY % o.scanMs !== 0) throw new RangeError(`scanMs ${o.scanMs} must divide a day and be a multiple of stationScanMs ${stationScanMs}`);
  const scans = stationScanMs === o.scanMs ? `${o.scanMs / 1000}s` : `${stationScanMs / 1000}s-${o.scanMs / 1000}s`;
  const key = `season-v1-${o.networkName}-${new Date(o.from + 8 * 3_600_000).toISOString().slice(0, 10)}-${o.days}d-${scans}`;
  const dir = join(o.cacheDir, key);
  const path = join(dir, DUCKDB_FILE);
  const to = o.from + o.days * DAY;
  if (existsSync(path)) {
    const rows = await countDuckDBRows(path);
    o.log(`season dataset: reusing ${path} (${rows.toLocaleString('en')} rows)`);
    return { dir, rows, from: o.from, to, scanMs: o.scanMs, stationScanMs, generatedInMs: undefined, fileBytes: fileSize(path) };
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const t0 = performance.now();
  // The store creates its own schema; then we fill it.
  const store = new DuckDBStore({ dataDir: tmp });
  await store.connect();
  await store.close();
  const instance = await DuckDBInstance.create(join(tmp, DUCKDB_FILE));
  const c = await instance.connect();
  try {
    const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    const values = (rows: string[][]): string => rows.map((r) => `(${r.join(', ')})`).join(', ');
    const stations = o.network.stations.map((s, i) => [q(s.id), String(i)]);
    const compounds = o.network.compounds.map((s, i) => [q(s.id), String(i)]);
    const sensors = o.network.compounds.flatMap((cp, i) => cp.indoorSensors.map((s, j) => [q(cp.id), q(s), String(i * 16 + j)]));
    const weather = o.network.weatherSites.map((w, i) => [q(w.id), String(i)]);
    const sFields = Object.keys(FIELDS.station).map((f, j) => [q(f), String(j), FIELDS.station[f as keyof typeof FIELDS.station].type === 'number' ? 'true' : 'false']);
    const cFields = Object.keys(FIELDS.compound).filter((f) => f !== 't_indoor').map((f, j) => [q(f), String(j)]);
    await c.run(`CREATE TEMP TABLE st AS SELECT * FROM (VALUES ${values(stations)}) v(id, i)`);
    await c.run(`CREATE TEMP TABLE cp AS SELECT * FROM (VALUES ${values(compounds)}) v(id, i)`);
    await c.run(`CREATE TEMP TABLE se AS SELECT * FROM (VALUES ${values(sensors)}) v(id, sensor, i)`);
    await c.run(`CREATE TEMP TABLE ws AS SELECT * FROM (VALUES ${values(weather)}) v(id, i)`);
    await c.run(`CREATE TEMP TABLE sf AS SELECT * FROM (VALUES ${values(sFields)}) v(field, j, numeric)`);
    await c.run(`CREATE TEMP TABLE cf AS SELECT * FROM (VALUES ${values(cFields)}) v(field, j)`);
    const perDay = DAY / o.scanMs;
    const stPerDay = DAY / stationScanMs;
    // Daily cycle (coldest at 08:00 Shanghai) plus deterministic per-series noise.
    const cycle = (k: string, phase: string, n = perDay): string => `sin(((${k}) % ${n}) / ${n}.0 * 6.2832 + ${phase})`;
    const noise = (k: string, a: string, b: string): string => `((hash(${k}, ${a}, ${b}) % 1000) / 1000.0)`;
    for (let d = 0; d < o.days; d += DAYS_PER_INSERT) {
      const dEnd = Math.min(o.days, d + DAYS_PER_INSERT);
      const t = (k: string, scan = o.scanMs): string => `(${o.from} + (${k}) * ${scan})::BIGINT`;
      const range = `range(${d * perDay}, ${dEnd * perDay}) r(k)`;
      await c.run(`INSERT INTO readings SELECT 'station', st.id, '', sf.field, ${t('k', stationScanMs)},
          CASE WHEN sf.numeric THEN round(20 + sf.j * 4 + 6 * ${cycle('k', 'st.i', stPerDay)} + 2 * ${noise('k', 'st.i', 'sf.j')}, 3) END,
          CASE WHEN sf.numeric THEN NULL ELSE 'run' END, NULL
        FROM range(${d * stPerDay}, ${dEnd * stPerDay}) r(k), st, sf`);
      await c.run(`INSERT INTO readings SELECT 'compound', cp.id, '', cf.field, ${t('k')},
          round(30 + cf.j * 8 + 4 * ${cycle('k', 'cp.i')} + 2 * ${noise('k', 'cp.i', 'cf.j')}, 3), NULL, NULL
        FROM ${range}, cp, cf`);
      await c.run(`INSERT INTO readings SELECT 'compound', se.id, se.sensor, 't_indoor', ${t('k')},
          round(19.5 + 1.5 * ${cycle('k', 'se.i')} + ${noise('k', 'se.i', '0')}, 2), NULL, NULL
        FROM ${range}, se`);
      await c.run(`INSERT INTO readings SELECT 'weather', ws.id, '', 't_outdoor', ${t('k')},
          round(-8 + 6 * ${cycle('k', '3.14')} + ${noise('k', 'ws.i', '0')}, 2), NULL, NULL
        FROM ${range}, ws`);
      if (d % 28 === 0) o.log(`season dataset: day ${d} of ${o.days} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    // `latest` as the store keeps it: the newest value per series field.
    await c.run(`INSERT INTO latest SELECT measurement, id, sensor, field, max(time), arg_max(num, time), arg_max(str, time), arg_max(bool, time)
      FROM readings WHERE time >= ${to - 2 * o.scanMs} GROUP BY ALL`);
    await c.run('CHECKPOINT');
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const rows = await countDuckDBRows(path);
  const ms = Math.round(performance.now() - t0);
  o.log(`season dataset: ${rows.toLocaleString('en')} rows in ${(ms / 1000).toFixed(0)} s → ${path}`);
  return { dir, rows, from: o.from, to, scanMs: o.scanMs, stationScanMs, generatedInMs: ms, fileBytes: fileSize(path) };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
