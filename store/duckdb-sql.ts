// SQL of the DuckDB store, in one place. Every value is a $n parameter; only fixed SQL is text.
//
// `readings` is long and narrow: one row per (measurement, id, sensor, field, time), sensor ''
// when none, and the value in num, str or bool. The key is kept unique by the single writer
// (delete the batch's keys, insert the batch, in one transaction) rather than by a PRIMARY KEY:
// measured, the ART index made the file ~6x larger and writes ~2x slower.
// `latest` holds the newest value per (measurement, id, sensor, field), updated by each batch,
// so the dashboard's frequent latest() reads a few thousand rows, not the history.
// Do not keep these as prepared statements across batches: DuckDB 1.5 plans with the staging
// tables' statistics at prepare time (empty), and the upsert then wrote garbled strings.

export const CREATE_READINGS = `CREATE TABLE IF NOT EXISTS readings (
  measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL, field VARCHAR NOT NULL,
  time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN)`;
// Column order matters: the staging tables below share it, so inserts can SELECT *.

export const CREATE_LATEST = `CREATE TABLE IF NOT EXISTS latest (
  measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL, field VARCHAR NOT NULL,
  time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN,
  PRIMARY KEY (measurement, id, sensor, field))`;

/** Connection-local staging tables the Appender fills; duckdb-batch.ts has made keys unique. */
export const STAGING = 'staging';
export const STAGING_LATEST = 'staging_latest';
const VALUE_COLUMNS = `measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL,
  field VARCHAR NOT NULL, time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN`;
export const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (${VALUE_COLUMNS})`;
export const CREATE_STAGING_LATEST = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING_LATEST} (${VALUE_COLUMNS})`;
export const CLEAR_STAGING = `DELETE FROM ${STAGING}`;
export const CLEAR_STAGING_LATEST = `DELETE FROM ${STAGING_LATEST}`;

/** $1, $2: the batch's min and max time, so DuckDB's zone maps skip older row groups. */
export const DELETE_REWRITTEN = `DELETE FROM readings r USING ${STAGING} s
  WHERE r.time BETWEEN $1 AND $2 AND r.time = s.time AND r.field = s.field
    AND r.id = s.id AND r.sensor = s.sensor AND r.measurement = s.measurement`;

export const INSERT_READINGS = `INSERT INTO readings SELECT * FROM ${STAGING}`;

/** Newer-or-equal time replaces (an equal time is a rewrite of the same point). */
export const UPSERT_LATEST = `INSERT INTO latest SELECT * FROM ${STAGING_LATEST}
  ON CONFLICT (measurement, id, sensor, field) DO UPDATE
    SET time = excluded.time, num = excluded.num, str = excluded.str, bool = excluded.bool
    WHERE excluded.time >= latest.time`;

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

export function selectLatest(withIds: boolean): string {
  return `SELECT id, sensor, field, time::DOUBLE AS time, num, str, bool FROM latest
    WHERE measurement = $1${withIds ? ' AND list_contains($2::VARCHAR[], id)' : ''}`;
}
