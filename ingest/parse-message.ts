// MQTT message → Metrics, the ingest hot path. Pure: no I/O, no clock (now is a parameter).
// Rejects at the smallest unit — message, reading, field — and keeps the good parts.
// Never throws: any input, however broken, yields a result.

import type { ErrorCode } from '../domain/errors';
import { fieldSpec, type FieldSpec } from '../domain/fields';
import type { Entity, NetworkModel } from '../domain/network';
import type { EntityKind, FieldValue, Metric } from '../domain/telemetry';
import { ID_PATTERN, ingestSchemas, MAX_TS_CHARS, TOPIC_PREFIX, type IngestSchemas, type PayloadLimits } from './payload-schema';
import { parseTimestamp } from './timestamp';
import type { z } from 'zod';

export interface Rejection {
  readonly code: ErrorCode;
  /** An English sentence naming the field or value at fault. */
  readonly reason: string;
  readonly topic: string;
  /** The entity id from the topic, once the topic was understood. */
  readonly entity?: string;
  /** The field key as sent (e.g. `t_indoor.s9`), for field-level rejections. */
  readonly field?: string;
  /** Index in `readings` of a batch, for reading- and field-level rejections. */
  readonly reading?: number;
}

export interface ParseResult {
  readonly metrics: Metric[];
  readonly rejections: Rejection[];
  /** Readings that yielded at least one metric. */
  readonly readingsAccepted: number;
}

export type ParsedTopic = { readonly kind: EntityKind; readonly id: string };

const INDOOR_FIELD = 't_indoor';
const INDOOR_PREFIX = 't_indoor.';
const READING_KEYS = new Set(['ts', 'values', 'sensor']);

/** `heat/v1/{kind}/{id}` → kind and id, or undefined. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const slash = topic.indexOf('/', TOPIC_PREFIX.length);
  if (slash < 0) return undefined;
  const kind = topic.slice(TOPIC_PREFIX.length, slash);
  const id = topic.slice(slash + 1);
  if (kind !== 'station' && kind !== 'compound' && kind !== 'weather') return undefined;
  if (!ID_PATTERN.test(id)) return undefined;
  return { kind, id };
}

export function parseMessage(
  topic: string,
  payload: Uint8Array,
  network: NetworkModel,
  now: number,
  limits: PayloadLimits,
): ParseResult {
  const metrics: Metric[] = [];
  const rejections: Rejection[] = [];
  try {
    const accepted = parseInto(topic, payload, network, now, limits, metrics, rejections);
    return { metrics, rejections, readingsAccepted: accepted };
  } catch (e) {
    // A bug, not bad input: reject the whole message rather than keep a half-parsed one.
    return {
      metrics: [],
      rejections: [{ code: 'INTERNAL', reason: `the parser failed on this message: ${e instanceof Error ? e.message : String(e)}`, topic: safeString(topic) }],
      readingsAccepted: 0,
    };
  }
}

function parseInto(
  topic: string,
  payload: Uint8Array,
  network: NetworkModel,
  now: number,
  limits: PayloadLimits,
  metrics: Metric[],
  rejections: Rejection[],
): number {
  if (typeof topic !== 'string') {
    rejections.push({ code: 'TOPIC_INVALID', reason: 'the topic is not a string', topic: safeString(topic) });
    return 0;
  }
  const t = parseTopic(topic);
  if (!t) {
    rejections.push({
      code: 'TOPIC_INVALID',
      reason: `topic ${JSON.stringify(topic.slice(0, 200))} is not heat/v1/station/{id}, heat/v1/compound/{id} or heat/v1/weather/{id}`,
      topic,
    });
    return 0;
  }
  if (!(payload instanceof Uint8Array)) return rejectMessage(rejections, topic, t.id, 'PAYLOAD_NOT_JSON', 'the payload is not bytes');
  if (payload.byteLength > limits.maxPayloadBytes) {
    return rejectMessage(rejections, topic, t.id, 'PAYLOAD_TOO_LARGE', `the payload has ${payload.byteLength} bytes, more than the limit of ${limits.maxPayloadBytes}`);
  }
  const entity = network.entity(t.kind, t.id);
  if (!entity) return rejectMessage(rejections, topic, t.id, 'UNKNOWN_ENTITY', `${t.kind} ${JSON.stringify(t.id)} is not in the network model`);

  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (e) {
    return rejectMessage(rejections, topic, t.id, 'PAYLOAD_NOT_JSON', `the payload is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`);
  }
  if (!isPlainObject(body)) return rejectMessage(rejections, topic, t.id, 'PAYLOAD_SCHEMA', `the payload must be a JSON object with "ts" and "values" or "readings", got ${describe(body)}`);

  const schemas = ingestSchemas(limits);
  const ctx: ReadingContext = { topic, kind: t.kind, id: t.id, entity, now, limits, schemas, metrics, rejections };
  if (Object.prototype.hasOwnProperty.call(body, 'readings')) {
    const readings = body.readings;
    if (!isWellFormedBatch(body, limits.maxReadings)) {
      return rejectMessage(rejections, topic, t.id, 'PAYLOAD_SCHEMA', zodReason('', schemas.batch.safeParse(body).error) ?? 'the batch is malformed');
    }
    let accepted = 0;
    const list = readings as unknown[];
    for (let i = 0; i < list.length; i++) accepted += parseReading(ctx, list[i], i);
    return accepted;
  }
  return parseReading(ctx, body, undefined);
}

interface ReadingContext {
  readonly topic: string;
  readonly kind: EntityKind;
  readonly id: string;
  readonly entity: Entity;
  readonly now: number;
  readonly limits: PayloadLimits;
  readonly schemas: IngestSchemas;
  readonly metrics: Metric[];
  readonly rejections: Rejection[];
}

/** A message-level rejection; returns 0 readings accepted. Module functions, not closures made per
 * message or reading: less garbage, and under tsx (esbuild keepNames, the tests and tools) no naming
 * call per closure (bench profile). */
function rejectMessage(rejections: Rejection[], topic: string, entity: string, code: ErrorCode, reason: string): number {
  rejections.push({ code, reason, topic, entity });
  return 0;
}

function rejectReading(ctx: ReadingContext, index: number | undefined, code: ErrorCode, reason: string, field?: string): void {
  const r: { -readonly [K in keyof Rejection]: Rejection[K] } = { code, reason: (index === undefined ? '' : `readings[${index}]: `) + reason, topic: ctx.topic, entity: ctx.id };
  if (field !== undefined) r.field = field;
  if (index !== undefined) r.reading = index;
  ctx.rejections.push(r);
}

/** Returns 1 when the reading yielded at least one metric. */
function parseReading(ctx: ReadingContext, raw: unknown, index: number | undefined): number {
  const { kind, id, limits } = ctx;

  // The hand check accepts exactly what the schema accepts; zod runs only to explain a failure.
  if (!isWellFormedReading(raw, limits.maxFieldsPerReading)) {
    rejectReading(ctx, index, 'PAYLOAD_SCHEMA', zodReason('', ctx.schemas.reading.safeParse(raw).error) ?? 'the reading is malformed');
    return 0;
  }
  const reading = raw as { ts: string | number; values: Record<string, unknown>; sensor?: string };

  const ts = parseTimestamp(reading.ts);
  if (!ts.ok) {
    rejectReading(ctx, index, ts.code, ts.reason);
    return 0;
  }
  if (ts.ms > ctx.now + limits.tsMaxFutureMs || ts.ms < ctx.now - limits.tsMaxPastMs) {
    const ahead = ts.ms > ctx.now;
    const hint = typeof reading.ts === 'number' && Math.abs(reading.ts) < 1e11 ? ' (epoch seconds? ts must be epoch milliseconds)' : '';
    rejectReading(
      ctx,
      index,
      'TIMESTAMP_RANGE',
      `ts ${JSON.stringify(reading.ts)} is ${formatSpan(Math.abs(ts.ms - ctx.now))} ${ahead ? 'ahead of' : 'behind'} now, ` +
        `outside the accepted ${formatSpan(limits.tsMaxPastMs)} behind to ${formatSpan(limits.tsMaxFutureMs)} ahead${hint}`,
    );
    return 0;
  }
  if (reading.sensor !== undefined && kind !== 'compound') {
    rejectReading(ctx, index, 'PAYLOAD_SCHEMA', `"sensor" is allowed only on compound topics, not on a ${kind} topic`);
    return 0;
  }

  const sensors = ctx.entity.kind === 'compound' ? ctx.entity.entity.indoorSensors : undefined;
  let fields: Record<string, FieldValue> | undefined;
  let perSensor: Map<string, FieldValue> | undefined;

  for (const key of Object.keys(reading.values)) {
    const value = reading.values[key];
    let name = key;
    let sensor: string | undefined;
    if (key.startsWith(INDOOR_PREFIX)) {
      if (kind !== 'compound') {
        rejectReading(ctx, index, 'UNKNOWN_FIELD', `field ${quote(key)} is not a ${kind} field; indoor temperatures belong on compound topics`, key);
        continue;
      }
      name = INDOOR_FIELD;
      sensor = key.slice(INDOOR_PREFIX.length);
    } else if (key === INDOOR_FIELD && kind === 'compound') {
      sensor = reading.sensor;
      if (sensor === undefined) {
        rejectReading(ctx, index, 'PAYLOAD_SCHEMA', `field "t_indoor" needs its sensor: send "t_indoor.<sensorId>" or "sensor": "<sensorId>"`, key);
        continue;
      }
    }
    const spec = fieldSpec(kind, name);
    if (!spec) {
      rejectReading(ctx, index, 'UNKNOWN_FIELD', `field ${quote(key)} is not a canonical ${kind} field of contract v1`, key);
      continue;
    }
    if (sensor !== undefined && !(sensors ?? []).includes(sensor)) {
      rejectReading(ctx, index, 'UNKNOWN_ENTITY', `sensor ${quote(sensor)} is not an indoor sensor of compound ${id}`, key);
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem) {
      rejectReading(ctx, index, problem.code, `field ${quote(key)} ${problem.reason}`, key);
      continue;
    }
    const v = value as FieldValue;
    if (sensor === undefined) (fields ??= {})[name] = v;
    else (perSensor ??= new Map()).set(sensor, v);
  }

  let produced = 0;
  if (fields) {
    ctx.metrics.push({ measurement: kind, tags: { id }, fields, time: ts.ms });
    produced++;
  }
  if (perSensor) {
    for (const [sensor, v] of perSensor) {
      ctx.metrics.push({ measurement: kind, tags: { id, sensor }, fields: { [INDOOR_FIELD]: v }, time: ts.ms });
      produced++;
    }
  }
  return produced > 0 ? 1 : 0;
}

function checkValue(spec: FieldSpec, value: unknown): { code: ErrorCode; reason: string } | undefined {
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number') return { code: 'FIELD_TYPE', reason: `must be a number, got ${describe(value)}` };
      if (!Number.isFinite(value)) return { code: 'NON_FINITE', reason: `must be a finite number, got ${String(value)}` };
      return undefined;
    case 'string':
      if (typeof value !== 'string') return { code: 'FIELD_TYPE', reason: `must be a string, got ${describe(value)}` };
      if (spec.values && !spec.values.includes(value)) {
        return { code: 'FIELD_TYPE', reason: `must be one of ${spec.values.join(' | ')}, got ${describe(value)}` };
      }
      return undefined;
    case 'boolean':
      if (typeof value !== 'boolean') return { code: 'FIELD_TYPE', reason: `must be true or false, got ${describe(value)}` };
      return undefined;
    default: {
      const never: never = spec.type;
      return { code: 'INTERNAL', reason: `has an unsupported field type ${String(never)}` };
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Same acceptance as IngestSchemas.batch: exactly one key `readings`, an array of 1…max. */
function isWellFormedBatch(body: Record<string, unknown>, maxReadings: number): boolean {
  const r = body.readings;
  if (!Array.isArray(r) || r.length < 1 || r.length > maxReadings) return false;
  for (const k in body) if (k !== 'readings') return false;
  return true;
}

/** Same acceptance as IngestSchemas.reading (checked by a test on a corpus of good and bad readings). */
function isWellFormedReading(raw: unknown, maxFields: number): boolean {
  if (!isPlainObject(raw)) return false;
  let keys = 0;
  for (const k in raw) {
    if (!READING_KEYS.has(k)) return false;
    keys++;
  }
  if (keys === 0) return false;
  const ts = raw.ts;
  if (typeof ts === 'string') {
    if (ts.length > MAX_TS_CHARS) return false;
  } else if (typeof ts !== 'number') return false;
  const values = raw.values;
  if (!isPlainObject(values)) return false;
  let n = 0;
  for (const _k in values) n++;
  if (n < 1 || n > maxFields) return false;
  const sensor = raw.sensor;
  if ('sensor' in raw && (typeof sensor !== 'string' || !ID_PATTERN.test(sensor))) return false;
  return true;
}

function zodReason(prefix: string, err: z.ZodError | undefined): string | undefined {
  const issue = err?.issues[0];
  if (!issue) return undefined;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${prefix}${path ? `${path}: ` : ''}${issue.message}`;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `string ${quote(v)}`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

function formatSpan(ms: number): string {
  if (ms >= 2 * 86_400_000) return `${Math.round(ms / 86_400_000)} days`;
  if (ms >= 2 * 3_600_000) return `${Math.round(ms / 3_600_000)} hours`;
  if (ms >= 2 * 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.round(ms / 1000)} s`;
}

function safeString(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}
