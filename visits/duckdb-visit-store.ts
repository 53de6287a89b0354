// The embedded VisitStore: its own DuckDB file `<dataDir>/visits.duckdb` (for the same reasons
// the tickets have theirs: the telemetry store may be InfluxDB, and a DuckDB file is opened by
// one instance per process). Two tables: `visits` and `visit_episodes`, each the record as JSON
// plus the columns queries filter on. Every statement runs on one connection, in order (a small
// queue), so each read-modify-write is atomic without locking of our own.

import { listValue, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import { HeatError } from '../domain/errors';
import { asText as text, DuckDBRecordFile, readRows, runStatement } from '../store/duckdb-record-file';
import type { Severity } from '../rules/severity';
import type { LoopActor, LoopStage } from '../tickets/ticket-model';
import { advanceLoop } from '../tickets/ticket-store-rules';
import type { Episode, Visit, VisitOutcome, VisitReason } from './visit-model';
import type { EpisodeQuery, VisitPage, VisitQuery, VisitStore } from './visit-store';
import { checkEpisodeQuery, checkVisitQuery, withEvidence, withOutcome, withTicket } from './visit-store-rules';

export const VISITS_FILE = 'visits.duckdb';

const CREATE_VISITS = `CREATE TABLE IF NOT EXISTS visits (
  id VARCHAR PRIMARY KEY, compound_id VARCHAR NOT NULL, station_id VARCHAR NOT NULL, crew VARCHAR NOT NULL,
  received_at BIGINT NOT NULL, stage VARCHAR NOT NULL, record VARCHAR NOT NULL)`;
const CREATE_EPISODES = `CREATE TABLE IF NOT EXISTS visit_episodes (
  id VARCHAR PRIMARY KEY, compound_id VARCHAR NOT NULL, station_id VARCHAR NOT NULL,
  start_at BIGINT NOT NULL, end_at BIGINT, record VARCHAR NOT NULL)`;

export interface DuckDBVisitStoreOptions {
  /** Folder of visits.duckdb; created when missing. `:memory:` keeps everything in memory. */
  readonly dataDir: string;
}

export class DuckDBVisitStore implements VisitStore {
  readonly name = 'duckdb';
  private readonly file: DuckDBRecordFile;

  constructor(opts: DuckDBVisitStoreOptions) {
    this.file = new DuckDBRecordFile(opts.dataDir, VISITS_FILE);
  }

  /** Where the file is (`:memory:` in tests). */
  get path(): string {
    return this.file.path;
  }

  connect(): Promise<void> {
    return this.file.open([CREATE_VISITS, CREATE_EPISODES]);
  }

  create(v: Visit): Promise<{ outcome: 'created' | 'duplicate'; visit: Visit }> {
    return this.serial(async (c) => {
      const old = await this.find(c, v.id);
      if (old !== undefined) return { outcome: 'duplicate' as const, visit: old };
      await run(c, 'INSERT INTO visits (id, compound_id, station_id, crew, received_at, stage, record) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        v.id,
        v.compoundId,
        v.stationId,
        v.crew,
        BigInt(v.receivedAt),
        v.loop.stage,
        JSON.stringify(v),
      ]);
      return { outcome: 'created' as const, visit: v };
    });
  }

  get(id: string): Promise<Visit | undefined> {
    return this.serial((c) => this.find(c, id));
  }

  list(q: VisitQuery): Promise<VisitPage> {
    return this.serial(async (c) => {
      checkVisitQuery(q);
      const where: string[] = [];
      const params: DuckDBValue[] = [];
      const add = (sql: string, v: DuckDBValue): void => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (q.crew !== undefined) add('crew = ?', q.crew);
      if (q.stationId !== undefined) add('station_id = ?', q.stationId);
      if (q.compoundId !== undefined) add('compound_id = ?', q.compoundId);
      if (q.stages !== undefined) add('list_contains(?::VARCHAR[], stage)', listValue([...q.stages]));
      if (q.stationIds !== undefined) add('list_contains(?::VARCHAR[], station_id)', listValue([...q.stationIds]));
      if (q.from !== undefined) add('received_at >= ?', BigInt(Math.ceil(q.from)));
      if (q.to !== undefined) add('received_at < ?', BigInt(Math.ceil(q.to)));
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = Number((await read(c, `SELECT count(*) FROM visits ${filter}`, params))[0]?.[0] ?? 0);
      const pageParams = [...params];
      let keyset = '';
      if (q.after !== undefined) {
        const a = pageParams.length + 1;
        keyset = `${filter ? ' AND' : 'WHERE'} (received_at < $${a} OR (received_at = $${a} AND id < $${a + 1}))`;
        pageParams.push(BigInt(q.after.receivedAt), q.after.id);
      }
      pageParams.push(BigInt(q.limit + 1));
      const rows = await read(c, `SELECT record FROM visits ${filter}${keyset} ORDER BY received_at DESC, id DESC LIMIT $${pageParams.length}`, pageParams);
      const items = rows.slice(0, q.limit).map((r) => JSON.parse(text(r[0])) as Visit);
      const last = items[items.length - 1];
      return { items, total, ...(rows.length > q.limit && last ? { next: { receivedAt: last.receivedAt, id: last.id } } : {}) };
    });
  }

  addEvidence(id: string, reasons: readonly VisitReason[], severity: Severity, dueAt: number): Promise<Visit> {
    return this.change(id, (v) => withEvidence(v, reasons, severity, dueAt));
  }

  recordOutcome(id: string, outcome: VisitOutcome): Promise<Visit> {
    return this.change(id, (v) => withOutcome(v, outcome));
  }

  advance(id: string, stage: LoopStage, at: number, actor?: LoopActor): Promise<Visit> {
    return this.change(id, (v) => ({ ...v, loop: advanceLoop(v, stage, at, actor, 'visit') }));
  }

  linkTicket(id: string, ticketId: string): Promise<Visit> {
    return this.change(id, (v) => withTicket(v, ticketId));
  }

  putEpisode(e: Episode): Promise<void> {
    return this.serial(async (c) => {
      await run(
        c,
        `INSERT INTO visit_episodes (id, compound_id, station_id, start_at, end_at, record) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET end_at = excluded.end_at, record = excluded.record`,
        [e.id, e.compoundId, e.stationId, BigInt(e.start), e.end === undefined ? null : BigInt(e.end), JSON.stringify(e)],
      );
    });
  }

  getEpisode(id: string): Promise<Episode | undefined> {
    return this.serial(async (c) => {
      const rows = await read(c, 'SELECT record FROM visit_episodes WHERE id = $1', [id]);
      return rows[0] === undefined ? undefined : (JSON.parse(text(rows[0][0])) as Episode);
    });
  }

  listEpisodes(q: EpisodeQuery): Promise<Episode[]> {
    return this.serial(async (c) => {
      checkEpisodeQuery(q);
      const where: string[] = [];
      const params: DuckDBValue[] = [];
      const add = (sql: string, v: DuckDBValue): void => {
        params.push(v);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (q.from !== undefined) add('start_at >= ?', BigInt(Math.ceil(q.from)));
      if (q.to !== undefined) add('start_at < ?', BigInt(Math.ceil(q.to)));
      if (q.compoundId !== undefined) add('compound_id = ?', q.compoundId);
      if (q.stationId !== undefined) add('station_id = ?', q.stationId);
      if (q.open !== undefined) where.push(q.open ? 'end_at IS NULL' : 'end_at IS NOT NULL');
      params.push(BigInt(q.limit));
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const rows = await read(c, `SELECT record FROM visit_episodes ${filter} ORDER BY start_at ASC, id ASC LIMIT $${params.length}`, params);
      return rows.map((r) => JSON.parse(text(r[0])) as Episode);
    });
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private change(id: string, fn: (v: Visit) => Visit): Promise<Visit> {
    return this.serial(async (c) => {
      const v = await this.find(c, id);
      if (v === undefined) throw new HeatError('NOT_FOUND', `no visit ${id}`);
      const next = fn(v);
      await run(c, 'UPDATE visits SET stage = $1, record = $2 WHERE id = $3', [next.loop.stage, JSON.stringify(next), id]);
      return next;
    });
  }

  private async find(c: DuckDBConnection, id: string): Promise<Visit | undefined> {
    const rows = await read(c, 'SELECT record FROM visits WHERE id = $1', [id]);
    return rows[0] === undefined ? undefined : (JSON.parse(text(rows[0][0])) as Visit);
  }

  private serial<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.file.serial(fn);
  }
}

const read = (c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<JS[][]> => readRows(c, sql, params, 'visit query failed');
const run = (c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<void> => runStatement(c, sql, params, 'visit update failed');
