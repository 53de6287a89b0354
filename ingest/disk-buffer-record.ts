// One record of the on-disk buffer: one spilled batch of metrics on one line,
//   <crc32 of the rest, 8 hex> <metric count> <JSON array of metrics>\n
// Text, so that an operator can look into a segment with `head`; the CRC and the trailing newline
// tell a complete record from a torn one (the process died in the middle of an append).
// Metrics are written as compact tuples [measurement, id, sensor | null, time, fields].

import { crc32 } from 'node:zlib';
import { ENTITY_KINDS, type EntityKind, type FieldValue, type Metric } from '../domain/telemetry';

type Tuple = [EntityKind, string, string | null, number, Record<string, FieldValue>];

export function encodeRecord(metrics: readonly Metric[]): Buffer {
  const tuples: Tuple[] = metrics.map((m) => [m.measurement, m.tags.id, m.tags.sensor ?? null, m.time, { ...m.fields }]);
  const body = `${metrics.length} ${JSON.stringify(tuples)}`;
  return Buffer.from(`${crc32(body).toString(16).padStart(8, '0')} ${body}\n`, 'utf8');
}

export type DecodedRecord = { readonly ok: true; readonly metrics: Metric[] } | { readonly ok: false; readonly why: string };

/** Decodes one line (without its newline). Never throws. */
export function decodeRecord(line: string): DecodedRecord {
  const sp = line.indexOf(' ');
  if (sp !== 8) return { ok: false, why: 'no CRC field' };
  const body = line.slice(9);
  if (crc32(body).toString(16).padStart(8, '0') !== line.slice(0, 8)) return { ok: false, why: 'CRC mismatch' };
  const sp2 = body.indexOf(' ');
  const count = Number(body.slice(0, sp2));
  let raw: unknown;
  try {
    raw = JSON.parse(body.slice(sp2 + 1));
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (!Array.isArray(raw) || raw.length !== count) return { ok: false, why: 'metric count does not match' };
  const metrics: Metric[] = [];
  for (const t of raw) {
    const m = toMetric(t);
    if (!m) return { ok: false, why: 'malformed metric tuple' };
    metrics.push(m);
  }
  return { ok: true, metrics };
}

function toMetric(t: unknown): Metric | undefined {
  if (!Array.isArray(t) || t.length !== 5) return undefined;
  const [measurement, id, sensor, time, fields] = t as unknown[];
  if (!ENTITY_KINDS.includes(measurement as EntityKind) || typeof id !== 'string' || typeof time !== 'number') return undefined;
  if (sensor !== null && typeof sensor !== 'string') return undefined;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  const tags = sensor === null ? { id } : { id, sensor };
  return { measurement: measurement as EntityKind, tags, fields: fields as Record<string, FieldValue>, time };
}
