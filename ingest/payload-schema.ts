/**
 * Telemetry contract v1: what publishers send over MQTT.
 *
 * Topics (one entity per topic; ids are the network model's ids):
 *   heat/v1/station/{stationId}     heat-exchange station (换热站)
 *   heat/v1/compound/{compoundId}   compound (小区), including its indoor temperature sensors
 *   heat/v1/weather/{siteId}        weather site (outdoor temperature)
 *
 * Payload: UTF-8 JSON, at most HEAT_MAX_PAYLOAD_BYTES, either one reading
 *   {"ts": "2025-01-15T08:00:00+08:00", "values": {"t2_supply": 48.5, "pump_state": "run"}}
 * or a batch of readings
 *   {"readings": [{"ts": 1736899200000, "values": {...}}, ...]}        (1 … MAX_READINGS readings)
 *
 * - `ts`: event time, an ISO-8601 date-time WITH a UTC offset (`Z` or `+08:00`) or epoch
 *   milliseconds (a number). Readings further than HEAT_TS_MAX_FUTURE_MS ahead of now or
 *   HEAT_TS_MAX_PAST_MS behind now are rejected (TIMESTAMP_RANGE).
 * - `values`: canonical fields of the entity kind (domain/fields.ts, FIELDS) → number, string
 *   or boolean, at most MAX_FIELDS_PER_READING of them. Numbers must be finite; `pump_state`
 *   is one of run | stop | fault.
 * - Compound indoor temperatures name their sensor (the compound's `indoorSensors`), either
 *   `"values": {"t_indoor.<sensorId>": 19.2}` (several sensors per reading), or
 *   `"sensor": "<sensorId>", "values": {"t_indoor": 19.2}`.
 *   Both are stored as field `t_indoor` with tag `sensor`.
 * - Unknown keys are errors, not ignored: a typo must not look like a missing sensor.
 *
 * Bad parts are rejected at the smallest unit (message, reading, field); the good parts of a
 * message are kept. Every rejection is published to `heat/v1/_rejected` as
 *   {"topic", "code", "reason", "field"?, "receivedAt", "payloadPreview"}.
 * QoS 1 messages are acknowledged only once their readings are stored (or rejected).
 */

import { z } from 'zod';
import type { Config } from '../config/config';
import type { FieldValue } from '../domain/telemetry';

export const TOPIC_PREFIX = 'heat/v1/';
/** Rejections are published here, one JSON message per rejection. */
export const REJECTED_TOPIC = 'heat/v1/_rejected';
/** Subscription patterns of the ingester, one per entity kind. */
export const TOPIC_PATTERNS = ['heat/v1/station/+', 'heat/v1/compound/+', 'heat/v1/weather/+'] as const;

/** Most readings in one batch message. */
export const MAX_READINGS = 1000;
/** Most fields in one reading (16 station fields, plus indoor sensors of a big compound). */
export const MAX_FIELDS_PER_READING = 64;
/** Longest accepted strings: `ts` text, field names, string values, sensor ids. */
export const MAX_TS_CHARS = 40;
export const MAX_FIELD_NAME_CHARS = 128;
export const MAX_STRING_VALUE_CHARS = 64;

export interface PayloadLimits {
  readonly maxPayloadBytes: number;
  readonly maxReadings: number;
  readonly maxFieldsPerReading: number;
  readonly tsMaxFutureMs: number;
  readonly tsMaxPastMs: number;
}

/** The limits of a running ingester, from the validated configuration. */
export function payloadLimits(
  c: Pick<Config, 'HEAT_MAX_PAYLOAD_BYTES' | 'HEAT_TS_MAX_FUTURE_MS' | 'HEAT_TS_MAX_PAST_MS'>,
  extra: Partial<Pick<PayloadLimits, 'maxReadings' | 'maxFieldsPerReading'>> = {},
): PayloadLimits {
  return {
    maxPayloadBytes: c.HEAT_MAX_PAYLOAD_BYTES,
    tsMaxFutureMs: c.HEAT_TS_MAX_FUTURE_MS,
    tsMaxPastMs: c.HEAT_TS_MAX_PAST_MS,
    maxReadings: extra.maxReadings ?? MAX_READINGS,
    maxFieldsPerReading: extra.maxFieldsPerReading ?? MAX_FIELDS_PER_READING,
  };
}

/** Ids: the network file's rule (domain/network-schema.ts). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const FieldValueSchema = z.union([z.number(), z.string().max(MAX_STRING_VALUE_CHARS), z.boolean()]);

/**
 * A reading whose `values` names and entries are checked by `key` and `value`: the contract uses
 * bounded names and FieldValueSchema; the ingester passes `z.string()` / `z.unknown()` and checks
 * each field itself, so that one bad field does not sink the reading (rejection at the smallest unit).
 */
export function readingSchema<K extends z.ZodString, V extends z.ZodType>(key: K, value: V, maxFields = MAX_FIELDS_PER_READING) {
  return z.strictObject({
    ts: z.union([z.string().max(MAX_TS_CHARS), z.number()]),
    values: z
      .record(key, value)
      .refine((v) => Object.keys(v).length >= 1, { message: 'values must hold at least one field' })
      .refine((v) => Object.keys(v).length <= maxFields, { message: `values may hold at most ${maxFields} fields` }),
    sensor: z.string().regex(ID_PATTERN, 'sensor must be 1–64 characters of A–Z, a–z, 0–9, _ and -').optional(),
  });
}

/** A batch envelope whose readings are checked by `reading` (again lenient in the ingester). */
export function batchSchema<R extends z.ZodType>(reading: R, maxReadings = MAX_READINGS) {
  return z.strictObject({ readings: z.array(reading).min(1).max(maxReadings) });
}

/** The contract as one schema: runtime validation for publishers (the simulator) and the static type. */
export const TelemetryReadingSchema = readingSchema(z.string().max(MAX_FIELD_NAME_CHARS), FieldValueSchema);
export const TelemetryMessageSchema = z.union([TelemetryReadingSchema, batchSchema(TelemetryReadingSchema)]);

export type TelemetryReading = z.infer<typeof TelemetryReadingSchema>;
export type TelemetryMessage = z.infer<typeof TelemetryMessageSchema>;

// Compile-time check that the contract's value type is the telemetry model's FieldValue.
const _sameValue: FieldValue extends z.infer<typeof FieldValueSchema> ? true : false = true;
void _sameValue;

/** Schemas of the ingester's hot path, built once per set of limits (never per message). */
export interface IngestSchemas {
  readonly reading: ReturnType<typeof readingSchema<z.ZodString, z.ZodUnknown>>;
  readonly batch: ReturnType<typeof batchSchema<z.ZodUnknown>>;
}

const cache = new Map<string, IngestSchemas>();

export function ingestSchemas(limits: Pick<PayloadLimits, 'maxReadings' | 'maxFieldsPerReading'>): IngestSchemas {
  const key = `${limits.maxReadings}/${limits.maxFieldsPerReading}`;
  let s = cache.get(key);
  if (!s) {
    s = { reading: readingSchema(z.string(), z.unknown(), limits.maxFieldsPerReading), batch: batchSchema(z.unknown(), limits.maxReadings) };
    cache.set(key, s);
  }
  return s;
}
