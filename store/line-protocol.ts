// Metric → InfluxDB line protocol (1.x and 2.x). Names go through encodeName first, so after it
// only `,` `=` and space need escaping in tags and keys (the spec's escaping rules), and string
// fields escape `"` and `\`. Numbers are written as floats, booleans as true/false.

import type { FieldValue, Metric } from '../domain/telemetry';
import { encodeName } from './influx-names';

const MEASUREMENT_SPECIALS = /[, ]/g;
const KEY_SPECIALS = /[,= ]/g;
const STRING_SPECIALS = /["\\]/g;

export function escapeMeasurement(s: string): string {
  return s.replace(MEASUREMENT_SPECIALS, (c) => `\\${c}`);
}

/** Tag keys, tag values and field keys: encoded, then `,` `=` and space escaped. */
export function escapeKey(s: string): string {
  return encodeName(s).replace(KEY_SPECIALS, (c) => `\\${c}`);
}

export function fieldValue(v: FieldValue): string {
  switch (typeof v) {
    case 'number':
      return String(v); // float: no `i` suffix; exponent form (1e+21) is accepted
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return `"${v.replace(STRING_SPECIALS, (c) => `\\${c}`)}"`;
    default: {
      const never: never = v;
      throw new Error(`unexpected field value ${String(never)}`);
    }
  }
}

/** One line, without the trailing newline; undefined for a metric without fields (nothing to store). */
export function toLine(m: Metric): string | undefined {
  const fields: string[] = [];
  for (const k in m.fields) fields.push(`${escapeKey(k)}=${fieldValue(m.fields[k] as FieldValue)}`);
  if (fields.length === 0) return undefined;
  const sensor = m.tags.sensor ? `,sensor=${escapeKey(m.tags.sensor)}` : '';
  return `${escapeMeasurement(m.measurement)},id=${escapeKey(m.tags.id)}${sensor} ${fields.join(',')} ${m.time}`;
}

/** Line-protocol bodies of at most ~maxBytes each (a single line may exceed it). */
export function toBodies(batch: readonly Metric[], maxBytes: number): string[] {
  const bodies: string[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const m of batch) {
    const line = toLine(m);
    if (line === undefined) continue;
    if (size + line.length > maxBytes && lines.length > 0) {
      bodies.push(lines.join('\n') + '\n');
      lines = [];
      size = 0;
    }
    lines.push(line);
    size += line.length + 1;
  }
  if (lines.length > 0) bodies.push(lines.join('\n') + '\n');
  return bodies;
}
