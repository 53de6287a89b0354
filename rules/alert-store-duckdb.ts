// The app's AlertStore: its own DuckDB file `<dataDir>/alerts.duckdb`.
// Why its own file and not a table in heat.duckdb: the telemetry store may be InfluxDB, and even
// with DuckDB its instance is private to DuckDBStore (a file is opened by one instance per
// process); alerts are few, written by the engine and operators, and must survive a change of
// telemetry backend (tickets.duckdb follows the same reasoning).
//
// Two tables, one row per record: the columns AlertQuery filters on, plus the whole record as
// JSON. Upserts keep the higher version (the `WHERE` of ON CONFLICT), so a late retry never rolls
// an alert back. Every statement runs on one connection, in order (a small queue): the engine
// already serialises its puts, and reads are few (API pages).

import { listValue, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import { HeatError } from '../domain/errors';
import { DuckDBRecordFile, readRows, runStatement } from '../store/duckdb-record-file';
import type { Alert } from './alert';
import { clampLimit, type AlertQuery, type AlertStore, type IncidentQuery } from './alert-store';
import type { Incident } from './incident';

export const ALERTS_FILE = 'alerts.duckdb';

const CREATE_ALERTS = `CREATE TABLE IF NOT EXISTS alerts (
  id VARCHAR PRIMARY KEY, version BIGINT NOT NULL, state VARCHAR NOT NULL, severity VARCHAR NOT NULL,
  category VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, station_id VARCHAR,
  primary_network_id VARCHAR, crew VARCHAR, incident_id VARCHAR, opened_at BIGINT NOT NULL, cleared_at BIGINT,
  record VARCHAR NOT NULL)`;
const CREATE_INCIDENTS = `CREATE TABLE IF NOT EXISTS incidents (
  id VARCHAR PRIMARY KEY, version BIGINT NOT NULL, state VARCHAR NOT NULL, opened_at BIGINT NOT NULL,
  resolved_at BIGINT, record VARCHAR NOT NULL)`;

const ALERT_COLUMNS = ['id', 'version', 'state', 'severity', 'category', 'rule_id', 'entity_id', 'station_id', 'primary_network_id', 'crew', 'incident_id', 'opened_at', 'cleared_at', 'record'];
const INCIDENT_COLUMNS = ['id', 'version', 'state', 'opened_at', 'resolved_at', 'record'];

function upsert(table: string, columns: readonly string[]): string {
  const values = columns.map((_, i) => `$${i + 1}`).join(', ');
  const set = columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values}) ON CONFLICT (id) DO UPDATE SET ${set} WHERE excluded.version >= ${table}.version`;
}

const UPSERT_ALERT = upsert('alerts', ALERT_COLUMNS);
const UPSERT_INCIDENT = upsert('incidents', INCIDENT_COLUMNS);

export interface DuckDBAlertStoreOptions {
  /** Folder of alerts.duckdb; created when missing. `:memory:` keeps everything in memory (tests). */
  readonly dataDir: string;
}

export class DuckDBAlertStore implements AlertStore {
  readonly name = 'duckdb';
  private readonly file: DuckDBRecordFile;

  constructor(opts: DuckDBAlertStoreOptions) {
    this.file = new DuckDBRecordFile(opts.dataDir, ALERTS_FILE);
  }

  /** Where the file is (`:memory:` in tests). */
  get path(): string {
    return this.file.path;
  }

  /** DuckDB's memory in use by the alerts file, bytes (diagnostics: the bench's progress lines). */
  memoryUsage(): Promise<number> {
    return this.file.memoryUsage();
  }

  open(): Promise<void> {
    return this.file.open([CREATE_ALERTS, CREATE_INCIDENTS]);
  }

  putAlert(a: Alert): Promise<void> {
    const row: DuckDBValue[] = [
      a.id,
      BigInt(a.version),
      a.state,
      a.severity,
      a.category,
      a.ruleId,
      a.entity.id,
      a.route.stationId ?? null,
      a.route.primaryNetworkId ?? null,
      a.route.crew ?? null,
      a.incidentId ?? null,
      BigInt(Math.round(a.openedAt)),
      a.clearedAt === undefined ? null : BigInt(Math.round(a.clearedAt)),
      JSON.stringify(a),
    ];
    return this.serial((c) => run(c, UPSERT_ALERT, row, `alert ${a.id}`));
  }

  getAlert(id: string): Promise<Alert | undefined> {
    return this.serial(async (c) => {
      const rows = await read(c, 'SELECT record FROM alerts WHERE id = $1', [id]);
      return rows[0] === undefined ? undefined : parseRecord<Alert>(rows[0][0]);
    });
  }

  listAlerts(q: AlertQuery = {}): Promise<Alert[]> {
    return this.serial(async (c) => {
      const { where, params } = alertFilter(q);
      params.push(BigInt(clampLimit(q.limit)));
      const rows = await read(c, `SELECT record FROM alerts ${where} ORDER BY opened_at DESC, id ASC LIMIT $${params.length}`, params);
      return rows.map((r) => parseRecord<Alert>(r[0]));
    });
  }

  countAlerts(q: AlertQuery = {}): Promise<number> {
    return this.serial(async (c) => {
      const { where, params } = alertFilter(q);
      const rows = await read(c, `SELECT count(*) FROM alerts ${where}`, params);
      return Number(rows[0]?.[0] ?? 0);
    });
  }

  putIncident(i: Incident): Promise<void> {
    const row: DuckDBValue[] = [i.id, BigInt(i.version), i.state, BigInt(Math.round(i.openedAt)), i.resolvedAt === undefined ? null : BigInt(Math.round(i.resolvedAt)), JSON.stringify(i)];
    return this.serial((c) => run(c, UPSERT_INCIDENT, row, `incident ${i.id}`));
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return this.serial(async (c) => {
      const rows = await read(c, 'SELECT record FROM incidents WHERE id = $1', [id]);
      return rows[0] === undefined ? undefined : parseRecord<Incident>(rows[0][0]);
    });
  }

  listIncidents(q: IncidentQuery = {}): Promise<Incident[]> {
    return this.serial(async (c) => {
      const where: string[] = [];
      const params: DuckDBValue[] = [];
      if (q.states !== undefined) {
        params.push(listValue([...q.states]));
        where.push(`list_contains($${params.length}::VARCHAR[], state)`);
      }
      if (q.to !== undefined) {
        params.push(BigInt(Math.ceil(q.to)));
        where.push(`opened_at < $${params.length}`);
      }
      if (q.from !== undefined) {
        params.push(BigInt(Math.ceil(q.from)));
        where.push(`(resolved_at IS NULL OR resolved_at >= $${params.length})`);
      }
      params.push(BigInt(clampLimit(q.limit)));
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const rows = await read(c, `SELECT record FROM incidents ${filter} ORDER BY opened_at DESC, id ASC LIMIT $${params.length}`, params);
      return rows.map((r) => parseRecord<Incident>(r[0]));
    });
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private serial<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.file.serial(fn);
  }
}

function alertFilter(q: AlertQuery): { where: string; params: DuckDBValue[] } {
  const where: string[] = [];
  const params: DuckDBValue[] = [];
  const eq = (column: string, v: string | undefined): void => {
    if (v === undefined) return;
    params.push(v);
    where.push(`${column} = $${params.length}`);
  };
  const anyOf = (column: string, vs: readonly string[] | undefined): void => {
    if (vs === undefined) return;
    params.push(listValue([...vs]));
    where.push(`list_contains($${params.length}::VARCHAR[], ${column})`);
  };
  anyOf('state', q.states);
  anyOf('severity', q.severities);
  eq('rule_id', q.ruleId);
  eq('entity_id', q.entityId);
  eq('station_id', q.stationId);
  eq('crew', q.crew);
  eq('incident_id', q.incidentId);
  eq('category', q.category);
  eq('primary_network_id', q.primaryNetworkId);
  if (q.to !== undefined) {
    params.push(BigInt(Math.ceil(q.to)));
    where.push(`opened_at < $${params.length}`);
  }
  if (q.from !== undefined) {
    params.push(BigInt(Math.ceil(q.from)));
    where.push(`(cleared_at IS NULL OR cleared_at >= $${params.length})`);
  }
  return { where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Records are our own JSON; a row that does not parse to an object with an id is reported, not guessed at. */
function parseRecord<T extends { id: string }>(v: JS | undefined): T {
  if (typeof v !== 'string') throw new HeatError('STORE_QUERY', `alerts.duckdb returned ${typeof v} where a JSON record was expected`);
  const parsed: unknown = JSON.parse(v);
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { id?: unknown }).id !== 'string') {
    throw new HeatError('STORE_QUERY', 'alerts.duckdb holds a record without an id');
  }
  return parsed as T;
}

const read = (c: DuckDBConnection, sql: string, params: DuckDBValue[]): Promise<JS[][]> => readRows(c, sql, params, 'alert query failed');
const run = (c: DuckDBConnection, sql: string, params: DuckDBValue[], what: string): Promise<void> => runStatement(c, sql, params, `${what} not stored`);
