// The embedded default TelemetryStore: one DuckDB file `<dataDir>/heat.duckdb`.
// Writes are serialised on one connection: the batch is staged in temp tables as dictionary ids and
// numbers (DataChunk appends, duckdb-stage.ts), then one transaction deletes the batch's keys (only
// when it may rewrite a stored point) and inserts the batch (see duckdb-sql.ts). The newest value
// per series field is kept in memory once the batch has committed, and written to the `latest`
// table as a snapshot every `latestSnapshotMs` and on close (duckdb-latest.ts, duckdb-snapshot.ts).
// Reads use a small pool of other connections and see only committed batches. Every 20 s the
// store drops DuckDB's cache of written blocks beyond a cache limit (`trim`).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import { byteSizeOf, parseByteSize } from '../config/byte-size';
import { DEFAULTS } from '../config/defaults';
import { HeatError, isHeatError, type ErrorCode } from '../domain/errors';
import type { EntityKind, Metric } from '../domain/telemetry';
import * as sql from './duckdb-sql';
import { planBatch } from './duckdb-batch';
import { SeriesDictionary } from './duckdb-dictionary';
import { discardStaged, stageBatch, syncDictionary } from './duckdb-stage';
import { loadLatest, writeSnapshot } from './duckdb-snapshot';
import type { LatestCache } from './duckdb-latest';
import { DuckDBReadPool } from './duckdb-pool';
import { asFieldValue, asNumber as number, asText as text } from './duckdb-record-file';
import { SeriesCollector } from './series-collector';
import { checkAggregate, checkAggregateMany, checkBatch, checkSeriesQuery, DEFAULT_MAX_POINTS, integerRange, tooManyPoints } from './store-input-check';
import { silentLogger, type StoreLogger } from './store-logger';
import type { AggregatePoint, AggregateSeries, GroupedAggregate, LatestValue, ManyQuery, Series, SeriesPoint, SeriesQuery, TelemetryStore } from './telemetry-store';

export interface DuckDBStoreOptions {
  /** Folder of heat.duckdb; created when missing. */
  readonly dataDir: string;
  readonly logger?: StoreLogger;
  /** Raw points one query may return (default DEFAULT_MAX_POINTS). */
  readonly maxPoints?: number;
  /** Read connections (default 2, the machine's cores). */
  readonly readConnections?: number;
  /**
   * WAL size that triggers a checkpoint (DuckDB's checkpoint_threshold; default 16MB, DuckDB's own).
   * Rows written since the last checkpoint are held in memory (then spilled to duckdb.tmp): at
   * 64MB that was up to ≈ 90 MB of the process at city load, for ≈ 13 % less store CPU in
   * bench/duckdb-write.ts (checkpoints no longer rewrite `latest`, which is a snapshot now).
   */
  readonly checkpointThreshold?: string;
  /**
   * DuckDB's memory_limit for its buffer pool (DuckDB's own default is 80 % of RAM, which a
   * long-running ingest process keeps growing into). Queries that need more spill to
   * `<dataDir>/duckdb.tmp`. Default here DEFAULT_DUCKDB_MEMORY_LIMIT.
   */
  readonly memoryLimit?: string;
  /**
   * What DuckDB may keep cached between reads (default DEFAULT_DUCKDB_CACHE_LIMIT): every
   * `cacheTrimMs` the store drops cached blocks beyond it (see `trim`). At or above `memoryLimit`: never.
   */
  readonly cacheLimit?: string;
  /** How often the cache is trimmed (default DEFAULT_CACHE_TRIM_MS). */
  readonly cacheTrimMs?: number;
  /** DuckDB worker threads (DuckDB's default: one per core). */
  readonly threads?: number;
  /** How often the newest values are written as a snapshot when they changed (default 60 s). */
  readonly latestSnapshotMs?: number;
}

export const DEFAULT_CHECKPOINT_THRESHOLD = '16MB';
export const DEFAULT_LATEST_SNAPSHOT_MS = 60_000;
export const DEFAULT_DUCKDB_MEMORY_LIMIT = DEFAULTS.HEAT_DUCKDB_MEMORY_LIMIT;
export const DEFAULT_DUCKDB_CACHE_LIMIT = DEFAULTS.HEAT_DUCKDB_CACHE_LIMIT;
/**
 * 20 s: the cache refills between trims, and a minute let a 5,000-station process peak 18–22 MB higher
 * over 10 minutes (529 vs 509 MB, same alert and reading p99; bench/README.md, 7 Dec 11:13).
 */
export const DEFAULT_CACHE_TRIM_MS = 20_000;

export const DUCKDB_FILE = 'heat.duckdb';

interface Open {
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  readonly readers: DuckDBReadPool;
  readonly dict: SeriesDictionary;
  readonly latest: LatestCache;
  readonly snapshotTimer: NodeJS.Timeout;
  readonly trimTimer: NodeJS.Timeout | undefined;
}

export class DuckDBStore implements TelemetryStore, GroupedAggregate {
  readonly name = 'duckdb';
  readonly path: string;
  private readonly log: StoreLogger;
  private readonly maxPoints: number;
  private readonly memoryLimit: string;
  private readonly cacheLimit: string;
  /** The cache limit is below the memory limit: there is something to trim. */
  private readonly trims: boolean;
  /** A trim lowered the memory limit and did not raise it back (its SET failed). */
  private limitLowered = false;
  private db: Open | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Tail of the write queue: each write starts when the previous one has settled. */
  private tail: Promise<void> = Promise.resolve();
  /** Oldest time recorded in `latest_dirty` since the last snapshot; undefined when none. */
  private dirtySince: number | undefined;

  constructor(private readonly opts: DuckDBStoreOptions) {
    this.path = join(opts.dataDir, DUCKDB_FILE);
    this.log = opts.logger ?? silentLogger;
    this.maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
    // Both go into SET statements: sizes only (byteSizeOf refuses anything else).
    this.memoryLimit = (opts.memoryLimit ?? DEFAULT_DUCKDB_MEMORY_LIMIT).trim();
    this.cacheLimit = (opts.cacheLimit ?? DEFAULT_DUCKDB_CACHE_LIMIT).trim();
    this.trims = byteSizeOf('memoryLimit', this.memoryLimit) > byteSizeOf('cacheLimit', this.cacheLimit);
  }

  async connect(): Promise<void> {
    try {
      mkdirSync(this.opts.dataDir, { recursive: true });
      const instance = await DuckDBInstance.create(this.path, {
        checkpoint_threshold: this.opts.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD,
        memory_limit: this.memoryLimit,
        temp_directory: join(this.opts.dataDir, 'duckdb.tmp'),
        ...(this.opts.threads === undefined ? {} : { threads: String(this.opts.threads) }),
      });
      const writer = await instance.connect();
      for (const ddl of [sql.CREATE_READINGS, ...sql.CREATE_LATEST, sql.CREATE_LATEST_DIRTY, ...sql.CREATE_WRITER_TABLES]) await writer.run(ddl);
      const { dict, latest, repaired } = await loadLatest(writer);
      const readers = await DuckDBReadPool.open(instance, this.opts.readConnections ?? 2);
      const snapshotTimer = setInterval(() => void this.snapshot(), this.opts.latestSnapshotMs ?? DEFAULT_LATEST_SNAPSHOT_MS).unref();
      const trimTimer = this.trims ? setInterval(() => void this.trim(), this.opts.cacheTrimMs ?? DEFAULT_CACHE_TRIM_MS).unref() : undefined;
      this.db = { instance, writer, readers, dict, latest, snapshotTimer, trimTimer };
      if (repaired > 0) this.log.warn({ store: this.name, repaired }, 'newest values repaired from readings: the last run ended without its snapshot');
      this.log.info({ store: this.name, path: this.path }, 'telemetry store open');
    } catch (e) {
      throw wrap(e, 'STORE_UNAVAILABLE', `cannot open ${this.path}`);
    }
  }

  write(batch: readonly Metric[]): Promise<void> {
    if (this.closed) return Promise.reject(new HeatError('INTERNAL', 'duckdb store written after close'));
    return this.serial(() => this.writeNow(batch));
  }

  /** Writes the newest values as a snapshot if they changed, or if a write marked them dirty (late points only); runs between batches. */
  snapshot(): Promise<void> {
    return this.serial(async () => {
      const db = this.db;
      // A mark with no newest value changed (a batch of late points) still needs clearing, or every
      // open repairs from it and warns of a run that "ended without its snapshot".
      if (db === undefined || (!db.latest.dirty && this.dirtySince === undefined)) return;
      try {
        await writeSnapshot(db.writer, db.dict, db.latest);
        this.dirtySince = undefined;
      } catch (e) {
        this.log.warn({ err: String(e) }, 'duckdb latest snapshot failed; it is kept dirty and repaired on open if need be');
      }
    });
  }

  /** DuckDB's memory in use (its own accounting, cache included) and its memory limit now (as DuckDB shows it, rounded: "122.0 MiB"), bytes. */
  async memoryUsage(): Promise<{ readonly bytes: number; readonly limitBytes: number }> {
    const [row] = await this.read(this.open(), sql.MEMORY_USAGE, []);
    return { bytes: number(row?.[0]), limitBytes: parseByteSize(text(row?.[1])) ?? Number.NaN };
  }

  /**
   * Drops cached blocks beyond the cache limit. DuckDB keeps the blocks it wrote cached until its
   * memory limit is reached (≈ 45 MB in 10 minutes at 5,000 stations, freed only under pressure);
   * lowering the limit evicts them, and it is raised back at once. Takes its turn in the write queue
   * (no write runs beside it), then runs only if no read runs, holding the readers for the two SET
   * statements alone (a query beside the lowered limit could fail for want of memory). Resolves
   * false when skipped or refused; never rejects (a failure is logged, a limit left lowered is
   * raised first thing next time).
   */
  trim(): Promise<boolean> {
    const db = this.db;
    if (db === undefined || this.closed || !this.trims) return Promise.resolve(false);
    let trimmed = false;
    const setLimit = (size: string): Promise<unknown> => db.writer.run(`SET memory_limit = '${size}'`);
    const run = this.serial(async () => {
      if (this.limitLowered) {
        await setLimit(this.memoryLimit);
        this.limitLowered = false;
      }
      await db.readers.tryExclusive(async () => {
        this.limitLowered = true;
        try {
          await setLimit(this.cacheLimit);
          trimmed = true;
        } catch (e) {
          // DuckDB could not evict down to the cache limit: nothing lost, tried again next time.
          this.log.info({ err: String(e) }, 'duckdb cache not trimmed');
        }
        await setLimit(this.memoryLimit);
        this.limitLowered = false;
      });
    });
    return run.then(
      () => trimmed,
      (e: unknown) => {
        this.log.warn({ err: String(e), memoryLimit: this.memoryLimit }, 'duckdb memory limit not restored after a cache trim; retried at the next');
        return false;
      },
    );
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => {}); // a failed batch must not block the next one
    return run;
  }

  async query(q: SeriesQuery): Promise<Series[]> {
    const db = this.open();
    checkSeriesQuery(q);
    if (q.fields.length === 0) return [];
    const withSensor = q.sensor !== undefined;
    const rows = await this.read(db, sql.selectSeries(q.fields.length, withSensor), [...seriesParams(q), BigInt(this.maxPoints + 1)]);
    if (rows.length > this.maxPoints) throw tooManyPoints(this.maxPoints);
    const out = new SeriesCollector<SeriesPoint>();
    for (const r of rows) out.add(text(r[0]), text(r[1]), { time: number(r[2]), value: asFieldValue(r[3], r[4], r[5]) });
    return out.result(q.fields);
  }

  async aggregate(q: SeriesQuery, everyMs: number): Promise<AggregateSeries[]> {
    const db = this.open();
    checkAggregate(q, everyMs);
    if (q.fields.length === 0) return [];
    const rows = await this.read(db, sql.selectAggregate(q.fields.length, q.sensor !== undefined), [...seriesParams(q), BigInt(everyMs)]);
    const out = new SeriesCollector<AggregatePoint>();
    for (const r of rows) out.add(text(r[0]), text(r[1]), { time: number(r[2]), mean: number(r[3]), min: number(r[4]), max: number(r[5]), count: number(r[6]) });
    return out.result(q.fields);
  }

  async aggregateMany(q: ManyQuery, everyMs: number): Promise<ReadonlyMap<string, readonly AggregateSeries[]>> {
    const db = this.open();
    checkAggregateMany(q, everyMs);
    if (q.ids.length === 0 || q.fields.length === 0) return new Map();
    const { from, to } = integerRange(q);
    const params: DuckDBValue[] = [q.measurement, BigInt(from), BigInt(to), listValue([...q.ids]), ...q.fields];
    const rows = await this.read(db, sql.selectAggregateMany(q.fields.length, everyMs), params);
    const byId = new Map<string, SeriesCollector<AggregatePoint>>();
    for (const r of rows) {
      const id = text(r[0]);
      let col = byId.get(id);
      if (col === undefined) byId.set(id, (col = new SeriesCollector<AggregatePoint>()));
      const [time, mean, min, max, count] = [numbers(r[3]), numbers(r[4]), numbers(r[5]), numbers(r[6]), numbers(r[7])];
      for (const i of ascending(time)) col.add(text(r[1]), text(r[2]), { time: time[i] ?? 0, mean: mean[i] ?? 0, min: min[i] ?? 0, max: max[i] ?? 0, count: count[i] ?? 0 });
    }
    return new Map([...byId].map(([id, col]) => [id, col.result(q.fields)]));
  }

  latest(measurement: EntityKind, ids?: readonly string[]): Promise<LatestValue[]> {
    // From memory: what committed batches wrote (duckdb-latest.ts).
    return Promise.resolve(this.open().latest.read(measurement, ids));
  }

  close(): Promise<void> {
    return (this.closing ??= this.closeNow());
  }

  private async closeNow(): Promise<void> {
    const db = this.db;
    if (db !== undefined) {
      clearInterval(db.snapshotTimer);
      clearInterval(db.trimTimer);
    }
    // Queued behind every write accepted so far, which still run; nothing new is accepted.
    const last = this.snapshot();
    this.closed = true;
    await last;
    await this.tail;
    this.db = undefined;
    if (db === undefined) return;
    await db.readers.close();
    db.writer.closeSync();
    db.instance.closeSync(); // checkpoints the WAL into the file
  }

  private async writeNow(batch: readonly Metric[]): Promise<void> {
    const db = this.db; // a write accepted before close() still runs
    if (db === undefined) throw new HeatError('INTERNAL', 'duckdb store written while not connected');
    checkBatch(batch);
    if (batch.length === 0) return;
    // Not prepared statements: a plan made while the staging tables were empty used their stale
    // statistics and garbled strings in DuckDB 1.5 (see the note in duckdb-sql.ts).
    const w = db.writer;
    let begun = false;
    try {
      const plan = planBatch(batch, db.dict);
      await syncDictionary(w, db.dict);
      await stageBatch(w, plan);
      // Two round trips: begin + (delete) + insert, then (mark) + clear staging + commit.
      // The delete is skipped when every point is newer than its series' stored newest.
      begun = true;
      const open = ['BEGIN TRANSACTION', ...(plan.mayRewrite ? [sql.deleteRewritten(plan.minTime, plan.maxTime)] : []), sql.INSERT_READINGS];
      const inserted = (await w.run(open.join(';\n'))).rowsChanged;
      const staged = plan.numeric.length + plan.other.length;
      // A row whose ids miss the dictionary tables would vanish in the join: refuse, never lose.
      if (inserted !== staged) {
        db.dict.unsync();
        throw new HeatError('STORE_UNAVAILABLE', `duckdb staged ${staged} values but inserted ${inserted}`);
      }
      // Once per snapshot (or when older data comes): where a crash's repair must start reading.
      const markFrom = this.dirtySince === undefined || plan.minTime < this.dirtySince ? plan.minTime : undefined;
      await w.run([...(markFrom === undefined ? [] : [sql.markDirty(markFrom)]), ...sql.CLEAR_STAGING, 'COMMIT'].join(';\n'));
      begun = false;
      if (markFrom !== undefined) this.dirtySince = markFrom;
      db.latest.apply(plan);
    } catch (e) {
      // Staged before the transaction: cleared here, or by the commit above on success.
      await discardStaged(w, begun, (what, r) => this.log.warn({ err: String(r) }, what));
      throw wrap(e, writeErrorCode(e), `batch of ${batch.length} metrics not written`);
    }
  }

  private async read(db: Open, text: string, params: DuckDBValue[]): Promise<JS[][]> {
    try {
      return await db.readers.use(async (c) => (await c.runAndReadAll(text, params)).getRowsJS());
    } catch (e) {
      throw wrap(e, 'STORE_QUERY', 'duckdb query failed');
    }
  }

  private open(): Open {
    if (this.db === undefined || this.closed) throw new HeatError('INTERNAL', `duckdb store used while ${this.closed ? 'closed' : 'not connected'}`);
    return this.db;
  }
}

function seriesParams(q: SeriesQuery): DuckDBValue[] {
  const { from, to } = integerRange(q);
  const p: DuckDBValue[] = [q.measurement, q.id, BigInt(from), BigInt(to), ...q.fields];
  if (q.sensor !== undefined) p.push(q.sensor);
  return p;
}

/** Disk and memory trouble may pass; anything else would fail again the same way. */
function writeErrorCode(e: unknown): ErrorCode {
  const msg = e instanceof Error ? e.message : String(e);
  return /^(IO|Out of Memory|Interrupt|TransactionContext) Error/i.test(msg) ? 'STORE_UNAVAILABLE' : 'STORE_REJECTED';
}

function wrap(e: unknown, code: ErrorCode, detail: string): HeatError {
  if (isHeatError(e)) return e;
  return new HeatError(code, `${detail}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** Indexes of `time` in ascending order of time (the grouped read's lists come unordered). */
function ascending(time: readonly number[]): number[] {
  const idx = time.map((_, i) => i);
  for (let i = 1; i < time.length; i++) if ((time[i] as number) < (time[i - 1] as number)) return idx.sort((a, b) => (time[a] as number) - (time[b] as number));
  return idx;
}

/** A DuckDB LIST of numbers as JS numbers. */
function numbers(v: JS | undefined): number[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : Number(x))) : [];
}
