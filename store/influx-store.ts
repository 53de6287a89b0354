// TelemetryStore on InfluxDB over HTTP (v1 API, or v2 with the v1-compatible /query).
// Measurement = entity kind; tags `id` and `sensor`; typed fields. Names are storage-encoded
// (influx-names.ts) so that every id round-trips. Queries per call: query 1, aggregate 2
// (field types, then one statement per field in one request), latest 2 (field keys, then one
// `last()` statement per field in one request).

import { HeatError } from '../domain/errors';
import type { EntityKind, FieldValue, Metric } from '../domain/telemetry';
import { InfluxHttp, type InfluxHttpOptions, type InfluxSeries, type StatementResult } from './influx-http';
import { decodeName } from './influx-names';
import * as iql from './influxql';
import { toBodies } from './line-protocol';
import { SeriesCollector } from './series-collector';
import { checkAggregate, checkBatch, checkSeriesQuery, DEFAULT_MAX_POINTS, integerRange, tooManyPoints } from './store-input-check';
import { silentLogger, type StoreLogger } from './store-logger';
import type { AggregatePoint, AggregateSeries, LatestValue, Series, SeriesPoint, SeriesQuery, TelemetryStore } from './telemetry-store';

export interface InfluxStoreOptions extends InfluxHttpOptions {
  readonly logger?: StoreLogger;
  /** Raw points one query may return (default DEFAULT_MAX_POINTS). */
  readonly maxPoints?: number;
  /** A batch is sent in bodies of about this size (default 4 MB; influxd refuses > 25 MB). */
  readonly maxBodyBytes?: number;
}

/** Above this many ids, latest() asks for all ids and filters here instead of a long OR. */
const MAX_IDS_IN_QUERY = 100;

export class InfluxStore implements TelemetryStore {
  readonly name: string;
  private readonly http: InfluxHttp;
  private readonly log: StoreLogger;
  private readonly maxPoints: number;
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(private readonly opts: InfluxStoreOptions) {
    this.name = `influx-${opts.api}`;
    this.http = new InfluxHttp(opts);
    this.log = opts.logger ?? silentLogger;
    this.maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  }

  async connect(): Promise<void> {
    const db = this.opts.database;
    if (this.opts.api === 'v1') {
      const [shown] = await this.http.query('SHOW DATABASES', 'STORE_REJECTED', false);
      const names = (shown?.series ?? []).flatMap((s) => (s.values ?? []).map((v) => v[0]));
      if (!names.includes(db)) {
        await this.http.query(`CREATE DATABASE ${iql.ident(db)}`, 'STORE_REJECTED', false);
        this.log.info({ store: this.name, database: db }, 'created InfluxDB database');
      }
    } else {
      // Checks the token and that the bucket answers on /query (its DBRP mapping exists).
      await this.http.query('SHOW MEASUREMENTS LIMIT 1', 'STORE_REJECTED');
    }
    this.state = 'open';
    this.log.info({ store: this.name, url: this.opts.url, database: db }, 'telemetry store open');
  }

  async write(batch: readonly Metric[]): Promise<void> {
    this.assertOpen();
    checkBatch(batch);
    // Bodies are sent one after another; after a failure a retry rewrites all of them harmlessly.
    for (const body of toBodies(batch, this.opts.maxBodyBytes ?? 4_000_000)) await this.http.write(body);
  }

  async query(q: SeriesQuery): Promise<Series[]> {
    this.assertOpen();
    checkSeriesQuery(q);
    const fields = [...new Set(q.fields)];
    if (fields.length === 0) return [];
    const [result] = await this.http.query(iql.selectRaw(filter(q), fields, this.maxPoints + 1));
    const out = new SeriesCollector<SeriesPoint>();
    let n = 0;
    for (const s of result?.series ?? []) {
      const sensor = decodeName(s.tags?.sensor ?? '');
      for (const row of s.values ?? []) {
        const time = row[0];
        if (typeof time !== 'number') continue;
        fields.forEach((field, i) => {
          const v = row[i + 1];
          if (v === null || v === undefined) return; // this row holds other fields only
          if (++n > this.maxPoints) throw tooManyPoints(this.maxPoints);
          out.add(field, sensor, { time, value: fieldValue(v) });
        });
      }
    }
    return out.result(q.fields);
  }

  async aggregate(q: SeriesQuery, everyMs: number): Promise<AggregateSeries[]> {
    this.assertOpen();
    checkAggregate(q, everyMs);
    const types = await this.fieldTypes(q.measurement);
    const fields = [...new Set(q.fields)].filter((f) => [...(types.get(f) ?? [])].some((t) => t === 'float' || t === 'integer'));
    if (fields.length === 0) return [];
    const f = filter(q);
    const results = await this.http.query(fields.map((field) => iql.selectAggregate(f, field, everyMs)).join('; '));
    const out = new SeriesCollector<AggregatePoint>();
    fields.forEach((field, i) => {
      for (const s of statement(results, i)) {
        const col = columns(s, ['time', 'mean', 'min', 'max', 'count']);
        for (const row of s.values ?? []) {
          out.add(field, decodeName(s.tags?.sensor ?? ''), {
            time: num(row[col.time]),
            mean: num(row[col.mean]),
            min: num(row[col.min]),
            max: num(row[col.max]),
            count: num(row[col.count]),
          });
        }
      }
    });
    return out.result(q.fields);
  }

  async latest(measurement: EntityKind, ids?: readonly string[]): Promise<LatestValue[]> {
    this.assertOpen();
    if (ids !== undefined && ids.length === 0) return [];
    const fields = [...(await this.fieldTypes(measurement)).keys()];
    if (fields.length === 0) return [];
    const inQuery = ids !== undefined && ids.length <= MAX_IDS_IN_QUERY ? ids : undefined;
    const results = await this.http.query(fields.map((f) => iql.selectLast(measurement, f, inQuery)).join('; '));
    const wanted = ids === undefined ? undefined : new Set(ids);
    const out: LatestValue[] = [];
    fields.forEach((field, i) => {
      for (const s of statement(results, i)) {
        const id = decodeName(s.tags?.id ?? '');
        if (wanted !== undefined && !wanted.has(id)) continue;
        const sensor = decodeName(s.tags?.sensor ?? '');
        const col = columns(s, ['time', 'value']);
        for (const row of s.values ?? []) {
          const v = row[col.value];
          if (v === null || v === undefined) continue;
          const base = { measurement, id, field, time: num(row[col.time]), value: fieldValue(v) };
          out.push(sensor === '' ? base : { ...base, sensor });
        }
      }
    });
    return out;
  }

  async close(): Promise<void> {
    this.state = 'closed'; // nothing is held open: every call is one HTTP request
  }

  /** Decoded field key → the types InfluxDB holds for it (more than one after a type conflict). */
  private async fieldTypes(measurement: EntityKind): Promise<Map<string, Set<string>>> {
    const [result] = await this.http.query(iql.showFieldKeys(measurement));
    const types = new Map<string, Set<string>>();
    for (const s of result?.series ?? []) {
      for (const [key, type] of s.values ?? []) {
        if (typeof key !== 'string' || typeof type !== 'string') continue;
        const name = decodeName(key);
        types.set(name, (types.get(name) ?? new Set<string>()).add(type));
      }
    }
    return types;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new HeatError('INTERNAL', `influx store used while ${this.state === 'new' ? 'not connected' : 'closed'}`);
  }
}

/** InfluxDB's timestamps are int64 ns: 1677-09-21 .. 2262-04-11. Wider asks are clamped. */
const INFLUX_MIN_MS = -9_223_372_036_854;
const INFLUX_MAX_MS = 9_223_372_036_854;

function filter(q: SeriesQuery): iql.SeriesFilter {
  const r = integerRange(q);
  const from = Math.max(r.from, INFLUX_MIN_MS);
  const to = Math.min(r.to, INFLUX_MAX_MS);
  return q.sensor === undefined ? { measurement: q.measurement, id: q.id, from, to } : { measurement: q.measurement, id: q.id, sensor: q.sensor, from, to };
}

function statement(results: StatementResult[], i: number): InfluxSeries[] {
  return (results.find((r) => r.statement_id === i) ?? results[i])?.series ?? [];
}

function columns<K extends string>(s: InfluxSeries, names: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const n of names) {
    const i = s.columns.indexOf(n);
    if (i < 0) throw new HeatError('STORE_QUERY', `InfluxDB result lacks column ${n} (has ${s.columns.join(', ')})`);
    out[n] = i;
  }
  return out;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  throw new HeatError('STORE_QUERY', `InfluxDB returned ${JSON.stringify(v)} where a number was expected`);
}

function fieldValue(v: unknown): FieldValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  throw new HeatError('STORE_QUERY', `InfluxDB returned an unexpected value ${JSON.stringify(v)}`);
}
