// The embedded TicketStore: its own DuckDB file `<dataDir>/tickets.duckdb`, apart from the
// telemetry store's `heat.duckdb`. Why its own file: the telemetry store may be InfluxDB, and even
// with DuckDB its instance is private to DuckDBStore (a file is opened by one instance per process);
// tickets are few (tens of thousands a season), written by people and imports, and must survive
// a change of telemetry backend. Two tables: `tickets` (one row per ticket; the fields queries
// filter on are columns, the rest of the resolution, evidence and loop times JSON) and
// `ticket_aliases` (learned spellings). Columns added after the first release (loop actors,
// correlation, visit link) are added to an older file on connect (ALTER TABLE … IF NOT EXISTS).
// Every statement runs on one connection, in order (a small queue): ticket traffic is light, and
// one connection makes each `add` one transaction without any locking of our own.

import { listValue, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import { HeatError } from '../domain/errors';
import { asText as text, asNumber as num, duckError, DuckDBRecordFile, readRows, runStatement } from '../store/duckdb-record-file';
import type { Classification, Correlation, LearnedAlias, LoopActor, LoopStage, LoopState, Resolution, TicketCategory, TicketChannel, TicketRecord, TicketSource } from './ticket-model';
import type { AddResult, TicketPage, TicketQuery, TicketStore } from './ticket-store';
import { advanceLoop, checkQuery } from './ticket-store-rules';

export const TICKETS_FILE = 'tickets.duckdb';

const CREATE_TICKETS = `CREATE TABLE IF NOT EXISTS tickets (
  id VARCHAR PRIMARY KEY, external_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL,
  received_at BIGINT NOT NULL, ingested_at BIGINT NOT NULL, source VARCHAR NOT NULL, channel VARCHAR NOT NULL,
  text VARCHAR NOT NULL, address VARCHAR NOT NULL, phone VARCHAR,
  category VARCHAR NOT NULL, classification VARCHAR NOT NULL,
  review VARCHAR NOT NULL, compound_id VARCHAR, station_id VARCHAR, spelling VARCHAR, resolution VARCHAR NOT NULL,
  stage VARCHAR NOT NULL, loop_at VARCHAR NOT NULL)`;
/** Added after the first release; an older file gets them on connect. */
const ADDED_COLUMNS = ['loop_meta VARCHAR', 'verdict VARCHAR', 'correlation VARCHAR', 'visit_id VARCHAR'];
const CREATE_ALIASES = `CREATE TABLE IF NOT EXISTS ticket_aliases (
  spelling VARCHAR PRIMARY KEY, compound_id VARCHAR NOT NULL, learned_at BIGINT NOT NULL, ticket_id VARCHAR)`;
const COLUMNS = 'id, external_id, content_hash, received_at, ingested_at, source, channel, text, address, phone, category, classification, review, compound_id, station_id, spelling, resolution, stage, loop_at, loop_meta, correlation, visit_id, verdict';
const PER_ROW = 23;
/** Rows per INSERT statement (23 parameters each). */
const CHUNK = 200;

export interface DuckDBTicketStoreOptions {
  /** Folder of tickets.duckdb; created when missing. `:memory:` keeps everything in memory. */
  readonly dataDir: string;
}

export class DuckDBTicketStore implements TicketStore {
  readonly name = 'duckdb';
  private readonly file: DuckDBRecordFile;

  constructor(opts: DuckDBTicketStoreOptions) {
    this.file = new DuckDBRecordFile(opts.dataDir, TICKETS_FILE);
  }

  /** Where the file is (`:memory:` in tests). */
  get path(): string {
    return this.file.path;
  }

  connect(): Promise<void> {
    return this.file.open([CREATE_TICKETS, ...ADDED_COLUMNS.map((col) => `ALTER TABLE tickets ADD COLUMN IF NOT EXISTS ${col}`), CREATE_ALIASES]);
  }

  add(tickets: readonly TicketRecord[]): Promise<AddResult[]> {
    return this.serial(async (c) => {
      if (tickets.length === 0) return [];
      const ids = [...new Set(tickets.map((t) => t.id))];
      const stored = new Map<string, string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await read(c, 'SELECT id, content_hash FROM tickets WHERE list_contains($1::VARCHAR[], id)', [listValue(ids.slice(i, i + 1000))]);
        for (const r of rows) stored.set(text(r[0]), text(r[1]));
      }
      const results: AddResult[] = [];
      const fresh: TicketRecord[] = [];
      for (const t of tickets) {
        const hash = stored.get(t.id);
        if (hash === undefined) {
          stored.set(t.id, t.contentHash);
          fresh.push(t);
          results.push({ id: t.id, externalId: t.externalId, outcome: 'created' });
        } else results.push({ id: t.id, externalId: t.externalId, outcome: hash === t.contentHash ? 'duplicate' : 'conflict' });
      }
      if (fresh.length === 0) return results;
      await c.run('BEGIN TRANSACTION');
      try {
        for (let i = 0; i < fresh.length; i += CHUNK) {
          const chunk = fresh.slice(i, i + CHUNK);
          const values = chunk.map((_, r) => `(${Array.from({ length: PER_ROW }, (_, k) => `$${r * PER_ROW + k + 1}`).join(', ')})`).join(', ');
          await c.run(`INSERT INTO tickets (${COLUMNS}) VALUES ${values}`, chunk.flatMap(rowOf));
        }
        await c.run('COMMIT');
      } catch (e) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw duckError(e, 'STORE_REJECTED', `${fresh.length} tickets not stored`);
      }
      return results;
    });
  }

  get(id: string): Promise<TicketRecord | undefined> {
    return this.serial(async (c) => {
      const rows = await read(c, `SELECT ${COLUMNS} FROM tickets WHERE id = $1`, [id]);
      return rows[0] === undefined ? undefined : recordOf(rows[0]);
    });
  }

  list(q: TicketQuery): Promise<TicketPage> {
    return this.serial(async (c) => {
      checkQuery(q);
      const where: string[] = [];
      const params: DuckDBValue[] = [];
      const add = (sql: string, ...vs: DuckDBValue[]): void => {
        where.push(sql.replace(/\$(\d+)/g, (_, k: string) => `$${params.length + Number(k)}`));
        params.push(...vs);
      };
      if (q.from !== undefined) add('received_at >= $1', BigInt(Math.ceil(q.from)));
      if (q.to !== undefined) add('received_at < $1', BigInt(Math.ceil(q.to)));
      if (q.compoundId !== undefined) add('compound_id = $1', q.compoundId);
      if (q.stationId !== undefined) add('station_id = $1', q.stationId);
      // One bound parameter per station: ids never reach the SQL text.
      if (q.stationIds !== undefined) {
        if (q.stationIds.length === 0) add('false');
        else add(`station_id IN (${q.stationIds.map((_, i) => `$${i + 1}`).join(', ')})`, ...q.stationIds);
      }
      if (q.category !== undefined) add('category = $1', q.category);
      if (q.stage !== undefined) add('stage = $1', q.stage);
      if (q.review !== undefined) add('review = $1', q.review);
      if (q.spelling !== undefined) add('spelling = $1', q.spelling);
      if (q.verdict !== undefined) add('verdict = $1', q.verdict);
      if (q.visitId !== undefined) add('visit_id = $1', q.visitId);
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const totalRows = await read(c, `SELECT count(*) FROM tickets ${filter}`, params);
      const total = Number(totalRows[0]?.[0] ?? 0);
      const oldest = q.order === 'oldest';
      const pageParams = [...params];
      let keyset = '';
      if (q.after !== undefined) {
        const op = oldest ? '>' : '<';
        const a = pageParams.length + 1;
        keyset = `${filter ? ' AND' : 'WHERE'} (received_at ${op} $${a} OR (received_at = $${a} AND id ${op} $${a + 1}))`;
        pageParams.push(BigInt(q.after.receivedAt), q.after.id);
      }
      const dir = oldest ? 'ASC' : 'DESC';
      pageParams.push(BigInt(q.limit + 1));
      const rows = await read(c, `SELECT ${COLUMNS} FROM tickets ${filter}${keyset} ORDER BY received_at ${dir}, id ${dir} LIMIT $${pageParams.length}`, pageParams);
      const items = rows.slice(0, q.limit).map(recordOf);
      const last = items[items.length - 1];
      return { items, total, ...(rows.length > q.limit && last ? { next: { receivedAt: last.receivedAt, id: last.id } } : {}) };
    });
  }

  setResolution(id: string, resolution: Resolution, category?: TicketCategory): Promise<TicketRecord> {
    return this.serial(async (c) => {
      const t = await this.must(c, id);
      const next: TicketRecord = { ...t, resolution, ...(category === undefined ? {} : { category, classification: { ...t.classification, category } }) };
      await run(c, 'UPDATE tickets SET review = $1, compound_id = $2, station_id = $3, spelling = $4, resolution = $5, category = $6, classification = $7 WHERE id = $8', [
        resolution.review,
        resolution.compoundId ?? null,
        resolution.stationId ?? null,
        resolution.spelling ?? null,
        JSON.stringify(resolution),
        next.category,
        JSON.stringify(next.classification),
        id,
      ]);
      return next;
    });
  }

  advance(id: string, stage: LoopStage, at: number, actor?: LoopActor): Promise<TicketRecord> {
    return this.serial(async (c) => {
      const t = await this.must(c, id);
      const loop = advanceLoop(t, stage, at, actor);
      await run(c, 'UPDATE tickets SET stage = $1, loop_at = $2, loop_meta = $3 WHERE id = $4', [loop.stage, JSON.stringify(loop.at), loopMeta(loop), id]);
      return { ...t, loop };
    });
  }

  setCorrelation(id: string, correlation: Correlation): Promise<void> {
    return this.serial(async (c) => {
      await this.mustExist(c, id);
      await run(c, 'UPDATE tickets SET verdict = $1, correlation = $2 WHERE id = $3', [correlation.verdict, JSON.stringify(correlation), id]);
    });
  }

  linkVisit(id: string, visitId: string): Promise<void> {
    return this.serial(async (c) => {
      await this.mustExist(c, id);
      await run(c, 'UPDATE tickets SET visit_id = $1 WHERE id = $2', [visitId, id]);
    });
  }

  learnAlias(a: LearnedAlias): Promise<void> {
    return this.serial(async (c) => {
      await run(
        c,
        `INSERT INTO ticket_aliases (spelling, compound_id, learned_at, ticket_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (spelling) DO UPDATE SET compound_id = excluded.compound_id, learned_at = excluded.learned_at, ticket_id = excluded.ticket_id`,
        [a.spelling, a.compoundId, BigInt(a.learnedAt), a.ticketId ?? null],
      );
    });
  }

  aliases(): Promise<LearnedAlias[]> {
    return this.serial(async (c) => {
      const rows = await read(c, 'SELECT spelling, compound_id, learned_at, ticket_id FROM ticket_aliases ORDER BY learned_at, spelling', []);
      return rows.map((r) => ({ spelling: text(r[0]), compoundId: text(r[1]), learnedAt: num(r[2]), ...(typeof r[3] === 'string' ? { ticketId: r[3] } : {}) }));
    });
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private async mustExist(c: DuckDBConnection, id: string): Promise<void> {
    const rows = await read(c, 'SELECT 1 FROM tickets WHERE id = $1', [id]);
    if (rows[0] === undefined) throw new HeatError('NOT_FOUND', `no ticket ${id}`);
  }

  private async must(c: DuckDBConnection, id: string): Promise<TicketRecord> {
    const rows = await read(c, `SELECT ${COLUMNS} FROM tickets WHERE id = $1`, [id]);
    if (rows[0] === undefined) throw new HeatError('NOT_FOUND', `no ticket ${id}`);
    return recordOf(rows[0]);
  }

  private serial<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.file.serial(fn);
  }
}

function rowOf(t: TicketRecord): DuckDBValue[] {
  const r = t.resolution;
  return [
    t.id,
    t.externalId,
    t.contentHash,
    BigInt(t.receivedAt),
    BigInt(t.ingestedAt),
    t.source,
    t.channel,
    t.text,
    t.address,
    t.callerPhone ?? null,
    t.category,
    JSON.stringify(t.classification),
    r.review,
    r.compoundId ?? null,
    r.stationId ?? null,
    r.spelling ?? null,
    JSON.stringify(r),
    t.loop.stage,
    JSON.stringify(t.loop.at),
    loopMeta(t.loop),
    t.correlation === undefined ? null : JSON.stringify(t.correlation),
    t.visitId ?? null,
    t.correlation?.verdict ?? null,
  ];
}

/** Who moved the ticket and their comments, as JSON; null when the loop has neither. */
function loopMeta(loop: LoopState): string | null {
  if (loop.by === undefined && loop.notes === undefined) return null;
  return JSON.stringify({ ...(loop.by ? { by: loop.by } : {}), ...(loop.notes ? { notes: loop.notes } : {}) });
}

function recordOf(r: JS[]): TicketRecord {
  const phone = r[9];
  const meta = typeof r[19] === 'string' ? (JSON.parse(r[19]) as Pick<LoopState, 'by' | 'notes'>) : {};
  const loop: LoopState = { stage: text(r[17]) as LoopStage, at: JSON.parse(text(r[18])) as LoopState['at'], ...meta };
  const correlation = typeof r[20] === 'string' ? (JSON.parse(r[20]) as Correlation) : undefined;
  const visitId = r[21];
  return {
    id: text(r[0]),
    externalId: text(r[1]),
    contentHash: text(r[2]),
    receivedAt: num(r[3]),
    ingestedAt: num(r[4]),
    source: text(r[5]) as TicketSource,
    channel: text(r[6]) as TicketChannel,
    text: text(r[7]),
    address: text(r[8]),
    ...(typeof phone === 'string' ? { callerPhone: phone } : {}),
    category: text(r[10]) as TicketCategory,
    classification: JSON.parse(text(r[11])) as Classification,
    resolution: JSON.parse(text(r[16])) as Resolution,
    loop,
    ...(correlation === undefined ? {} : { correlation }),
    ...(typeof visitId === 'string' ? { visitId } : {}),
  };
}

const read = (c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<JS[][]> => readRows(c, sql, params, 'ticket query failed');
const run = (c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<void> => runStatement(c, sql, params, 'ticket update failed');
