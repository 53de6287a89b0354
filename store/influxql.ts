// InfluxQL text for the InfluxDB store. Every identifier is double-quoted and every string
// literal single-quoted with escapes; ids and field keys are storage-encoded first (influx-names.ts),
// so they reach InfluxQL without backslashes or newlines. Times are integer epoch ms.

import { HeatError } from '../domain/errors';
import type { EntityKind } from '../domain/telemetry';
import { encodeName } from './influx-names';

/** A double-quoted identifier. Only `"` needs escaping once names are encoded. */
export function ident(name: string): string {
  if (/[\\\n]/.test(name)) throw new HeatError('INTERNAL', `InfluxQL identifier ${JSON.stringify(name)} must be storage-encoded first`);
  return `"${name.replace(/"/g, '\\"')}"`;
}

/** A single-quoted string literal: `\` `'` and newline escaped as InfluxQL's scanner expects. */
export function literal(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Field key as stored, quoted. */
export function fieldIdent(field: string): string {
  return ident(encodeName(field));
}

/** `"tag" = 'value'` for a stored (encoded) tag. */
export function tagEquals(tag: 'id' | 'sensor', value: string): string {
  return `${ident(tag)} = ${literal(encodeName(value))}`;
}

export interface SeriesFilter {
  readonly measurement: EntityKind;
  readonly id: string;
  readonly sensor?: string;
  /** Integer epoch ms, inclusive. */
  readonly from: number;
  /** Integer epoch ms, exclusive. */
  readonly to: number;
}

function where(f: SeriesFilter): string {
  const sensor = f.sensor === undefined ? '' : ` AND ${tagEquals('sensor', f.sensor)}`;
  return `WHERE ${tagEquals('id', f.id)}${sensor} AND time >= ${f.from}ms AND time < ${f.to}ms`;
}

/** Raw points of several fields, one result series per sensor; `limit` caps each series. */
export function selectRaw(f: SeriesFilter, fields: readonly string[], limit: number): string {
  return `SELECT ${fields.map(fieldIdent).join(', ')} FROM ${ident(f.measurement)} ${where(f)} GROUP BY ${ident('sensor')} LIMIT ${limit}`;
}

/** One field downsampled; InfluxDB aligns GROUP BY time buckets to epoch multiples. */
export function selectAggregate(f: SeriesFilter, field: string, everyMs: number): string {
  const x = fieldIdent(field);
  return `SELECT mean(${x}) AS "mean", min(${x}) AS "min", max(${x}) AS "max", count(${x}) AS "count" FROM ${ident(f.measurement)} ${where(f)} GROUP BY time(${everyMs}ms), ${ident('sensor')} fill(none)`;
}

/**
 * The newest value of one field per id and sensor. One statement per field: with several
 * selectors in one statement InfluxDB reports time 0 instead of each value's time.
 */
export function selectLast(measurement: EntityKind, field: string, ids?: readonly string[]): string {
  const filter = ids === undefined ? '' : ` WHERE (${ids.map((id) => tagEquals('id', id)).join(' OR ')})`;
  return `SELECT last(${fieldIdent(field)}) AS "value" FROM ${ident(measurement)}${filter} GROUP BY ${ident('id')}, ${ident('sensor')}`;
}

export function showFieldKeys(measurement: EntityKind): string {
  return `SHOW FIELD KEYS FROM ${ident(measurement)}`;
}
