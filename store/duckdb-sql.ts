// SQL of the DuckDB store, in one place. Every value is a $n parameter; only fixed SQL is text.
//
// `readings` is long and narrow: one row per (measurement, id, sensor, field, time), sensor ''
// when none, and the value in num, str or bool. The key is kept unique by the single writer
// (delete the batch's keys — only when the batch may rewrite one —, insert the batch, in one
// transaction) rather than by a PRIMARY KEY:
// measured, the ART index made the file ~6x larger and writes ~2x slower.
// `latest_values` is a snapshot of the newest value per series field: the writer holds the live
// values in memory (duckdb-latest.ts) and replaces the snapshot whole now and then, keyed by the
// writer's dictionary ids, with the dictionary beside it (`latest_series`, `latest_fields`);
// `latest_dirty` holds the oldest time written since that snapshot, so that a crash is repaired on
// open from `readings`. Older data dirs have one `latest` table keyed by strings (with a PRIMARY
// KEY before that): it is read once on open and dropped by the snapshot written then.
// Do not keep these as prepared statements across batches: DuckDB 1.5 plans with the staging
// tables' statistics at prepare time (empty), and the upsert then wrote garbled strings.
// The ids of `latest_*` hold only within one snapshot: each run makes its own dictionary (temp
// tables) and maps the snapshot's ids onto it when it opens.

export const CREATE_READINGS = `CREATE TABLE IF NOT EXISTS readings (
  measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL, field VARCHAR NOT NULL,
  time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN)`;

export const CREATE_LATEST = [
  'CREATE TABLE IF NOT EXISTS latest_series (s INTEGER NOT NULL, measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL)',
  'CREATE TABLE IF NOT EXISTS latest_fields (f INTEGER NOT NULL, field VARCHAR NOT NULL)',
  'CREATE TABLE IF NOT EXISTS latest_values (s INTEGER NOT NULL, f INTEGER NOT NULL, time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN)',
];

export const CREATE_LATEST_DIRTY = 'CREATE TABLE IF NOT EXISTS latest_dirty (since BIGINT NOT NULL)';

/** Connection-local tables the writer fills (duckdb-batch.ts has made keys unique): the series and
 * field dictionaries (duckdb-dictionary.ts), numeric values as ids + numbers (DataChunk appends),
 * string and boolean values (row Appender), and `staged`, the batch (or a snapshot of the newest
 * values) in the readings layout. */
export const SERIES_DICT = 'series_dict';
export const FIELD_DICT = 'field_dict';
export const STAGING_NUM = 'staging_num';
export const STAGING_OTHER = 'staging_other';
const STAGING_NUM_COLUMNS = `${STAGING_NUM} (s INTEGER NOT NULL, f INTEGER NOT NULL, time DOUBLE NOT NULL, num DOUBLE NOT NULL)`;
const STAGING_OTHER_COLUMNS = `${STAGING_OTHER} (s INTEGER NOT NULL, f INTEGER NOT NULL, time DOUBLE NOT NULL, str VARCHAR, bool BOOLEAN)`;
export const CREATE_WRITER_TABLES = [
  `CREATE TEMP TABLE IF NOT EXISTS ${SERIES_DICT} (s INTEGER NOT NULL, measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL)`,
  `CREATE TEMP TABLE IF NOT EXISTS ${FIELD_DICT} (f INTEGER NOT NULL, field VARCHAR NOT NULL)`,
  // Time as DOUBLE: exact for the integer epoch ms the store accepts, and no BigInt per row in JS.
  `CREATE TEMP TABLE IF NOT EXISTS ${STAGING_NUM_COLUMNS}`,
  `CREATE TEMP TABLE IF NOT EXISTS ${STAGING_OTHER_COLUMNS}`,
  `CREATE OR REPLACE TEMP VIEW staged AS
    SELECT d.measurement, d.id, d.sensor, k.field, v.time::BIGINT AS time, v.num, NULL::VARCHAR AS str, NULL::BOOLEAN AS bool
      FROM ${STAGING_NUM} v JOIN ${SERIES_DICT} d ON d.s = v.s JOIN ${FIELD_DICT} k ON k.f = v.f
    UNION ALL
    SELECT d.measurement, d.id, d.sensor, k.field, o.time::BIGINT AS time, NULL::DOUBLE AS num, o.str, o.bool
      FROM ${STAGING_OTHER} o JOIN ${SERIES_DICT} d ON d.s = o.s JOIN ${FIELD_DICT} k ON k.f = o.f`,
];
/**
 * Staging is emptied by making its tables anew, not by DELETE: a temp table is never checkpointed,
 * so the row groups of deleted rows stay in memory (measured: 84 MB held after 4 M rows staged and
 * deleted, then spilled to duckdb.tmp, growing with every batch); replacing is also faster.
 */
export const CLEAR_STAGING = [`CREATE OR REPLACE TEMP TABLE ${STAGING_NUM_COLUMNS}`, `CREATE OR REPLACE TEMP TABLE ${STAGING_OTHER_COLUMNS}`];
export const CLEAR_DICTIONARY = [`DELETE FROM ${SERIES_DICT}`, `DELETE FROM ${FIELD_DICT}`];

/** The snapshot, loaded on connect: its dictionary, then the values by its ids. */
export const SELECT_LATEST_SERIES = 'SELECT s, measurement, id, sensor FROM latest_series';
export const SELECT_LATEST_FIELDS = 'SELECT f, field FROM latest_fields';
export const SELECT_LATEST_VALUES = 'SELECT s, f, time::DOUBLE, num, str, bool FROM latest_values';

/** A data dir of the older layout: one `latest` table keyed by strings. */
export const HAS_LEGACY_LATEST = "SELECT count(*)::DOUBLE FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'latest'";
export const SELECT_LEGACY_LATEST = 'SELECT measurement, id, sensor, field, time::DOUBLE, num, str, bool FROM latest';

/** The oldest time written since the snapshot; NULL when the snapshot is current. */
export const SELECT_DIRTY_SINCE = 'SELECT min(since)::DOUBLE FROM latest_dirty';
export function markDirty(since: number): string {
  return `INSERT INTO latest_dirty VALUES (${literalTime(since)})`;
}

/** After a crash: the newest row per series field among those written since the snapshot ($1). */
export const SELECT_NEWEST_SINCE = `SELECT measurement, id, sensor, field, time::DOUBLE, num, str, bool FROM readings
  WHERE time >= $1 QUALIFY row_number() OVER (PARTITION BY measurement, id, sensor, field ORDER BY time DESC) = 1`;

/**
 * With the newest values staged and the dictionary synced: replace the snapshot and forget the
 * dirty mark, in one transaction. By ids, not joined to their strings: at city scale (185 k values)
 * the joined snapshot took 270–420 ms and 16–37 MB more RSS each time, this one 110–160 ms and 2–12 MB.
 */
export const REPLACE_LATEST = [
  `CREATE OR REPLACE TABLE latest_series AS SELECT s, measurement, id, sensor FROM ${SERIES_DICT}`,
  `CREATE OR REPLACE TABLE latest_fields AS SELECT f, field FROM ${FIELD_DICT}`,
  `CREATE OR REPLACE TABLE latest_values AS
    SELECT s, f, time::BIGINT AS time, num, NULL::VARCHAR AS str, NULL::BOOLEAN AS bool FROM ${STAGING_NUM}
    UNION ALL SELECT s, f, time::BIGINT, NULL::DOUBLE, str, bool FROM ${STAGING_OTHER}`,
  'DROP TABLE IF EXISTS latest',
  'DELETE FROM latest_dirty',
];

/** The batch's min and max time bound the delete, so DuckDB's zone maps skip older row groups. */
export function deleteRewritten(minTime: number, maxTime: number): string {
  return `DELETE FROM readings r USING staged s
  WHERE r.time BETWEEN ${literalTime(minTime)} AND ${literalTime(maxTime)} AND r.time = s.time AND r.field = s.field
    AND r.id = s.id AND r.sensor = s.sensor AND r.measurement = s.measurement`;
}

/**
 * A time as SQL text: the write path sends a few statements as one string (each round trip to
 * DuckDB's threads waits its turn on a busy event loop: 10–260 ms measured per trivial statement
 * under full ingest), and statements joined by `;` take no parameters. Only checked integers.
 */
function literalTime(t: number): string {
  if (!Number.isSafeInteger(t)) throw new RangeError(`time ${t} is not a safe integer`);
  return String(t);
}

export const INSERT_READINGS = 'INSERT INTO readings SELECT measurement, id, sensor, field, time, num, str, bool FROM staged';

/** `$1..$4` measurement, id, from, to; then one placeholder per field from `$5`; optional sensor last. */
function seriesWhere(fieldCount: number, withSensor: boolean): string {
  const fields = Array.from({ length: fieldCount }, (_, i) => `$${i + 5}`).join(', ');
  const sensor = withSensor ? ` AND sensor = $${fieldCount + 5}` : '';
  return `measurement = $1 AND id = $2 AND time >= $3 AND time < $4 AND field IN (${fields})${sensor}`;
}

/** Parameter after the series filter's last one. */
export function nextParam(fieldCount: number, withSensor: boolean): number {
  return fieldCount + 5 + (withSensor ? 1 : 0);
}

export function selectSeries(fieldCount: number, withSensor: boolean): string {
  return `SELECT field, sensor, time::DOUBLE AS time, num, str, bool FROM readings
    WHERE ${seriesWhere(fieldCount, withSensor)}
    ORDER BY field, sensor, time LIMIT $${nextParam(fieldCount, withSensor)}`;
}

/** Buckets start at epoch multiples of everyMs (floor, also before 1970). */
export function selectAggregate(fieldCount: number, withSensor: boolean): string {
  const e = `$${nextParam(fieldCount, withSensor)}`;
  return `SELECT field, sensor, (time - ((time % ${e}) + ${e}) % ${e})::DOUBLE AS bucket,
      avg(num) AS mean, min(num) AS min, max(num) AS max, count(num)::DOUBLE AS n
    FROM readings WHERE ${seriesWhere(fieldCount, withSensor)} AND num IS NOT NULL
    GROUP BY field, sensor, bucket ORDER BY field, sensor, bucket`;
}

/**
 * selectAggregate for many ids ($4, a VARCHAR list) at once; fields from $5. The bucket width is a
 * literal — the caller passes a checked safe integer — because as a parameter the bucket
 * expression cost about 4× the whole grouped query. One row per series, its buckets as lists:
 * turning millions of rows into JS costs more than the query. The lists are not ordered in SQL
 * (the caller sorts): `list(… ORDER BY …)` buffers every group's input for a sort and ran out of
 * a 256MB memory_limit on 14 days of 279 compounds; the lists of one group are aligned (one
 * aggregate operator feeds them the same rows in the same order).
 */
export function selectAggregateMany(fieldCount: number, everyMs: number): string {
  if (!Number.isSafeInteger(everyMs) || everyMs <= 0) throw new RangeError(`bucket width ${everyMs} is not a positive integer`);
  const e = String(everyMs);
  const fields = Array.from({ length: fieldCount }, (_, i) => `$${i + 5}`).join(', ');
  return `SELECT id, field, sensor, list(bucket), list(mean), list(mn), list(mx), list(n)
    FROM (SELECT id, field, sensor, (time - ((time % ${e}) + ${e}) % ${e})::DOUBLE AS bucket,
        avg(num) AS mean, min(num) AS mn, max(num) AS mx, count(num)::DOUBLE AS n
      FROM readings WHERE measurement = $1 AND time >= $2 AND time < $3 AND id IN (SELECT unnest($4::VARCHAR[]))
        AND field IN (${fields}) AND num IS NOT NULL
      GROUP BY id, field, sensor, bucket)
    GROUP BY id, field, sensor ORDER BY id, field, sensor`;
}

/** DuckDB's memory in use and its limit (a string such as "122.0 MiB"). */
export const MEMORY_USAGE = "SELECT COALESCE(sum(memory_usage_bytes), 0)::DOUBLE, current_setting('memory_limit') FROM duckdb_memory()";
