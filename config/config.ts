// Configuration is read from the environment once at start-up and validated; an error names the
// key and the value. No silent fallback: an unknown HEAT_STORE is an error, not the default.

import { z } from 'zod';
import { HeatError } from '../domain/errors';
import { BYTE_SIZE, byteSizeOf } from './byte-size';
import { DEFAULTS } from './defaults';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const byteSize = z.string().regex(BYTE_SIZE, 'must be a size such as 128MB or 1GiB');
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const ConfigSchema = z.object({
  HEAT_NETWORK: z.string().min(1),
  HEAT_DATA_DIR: z.string().min(1),
  HEAT_STORE: z.enum(['duckdb', 'influx']),
  HEAT_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400),
  HEAT_HEAP_GROWING_PERCENT_CALM: z.coerce.number().int().min(0).max(400),
  HEAT_DUCKDB_MEMORY_LIMIT: byteSize,
  HEAT_DUCKDB_CACHE_LIMIT: byteSize,
  HEAT_MQTT_URL: z.union([z.literal(''), z.string().regex(/^(mqtts?|wss?|tcp):\/\/.+/, 'must be an mqtt://, mqtts://, tcp:// or ws:// URL')]),
  HEAT_MQTT_PORT: port,
  HEAT_MQTT_USERNAME: z.string(),
  HEAT_MQTT_PASSWORD: z.string(),
  HEAT_MQTT_CLIENT_ID: z.string().min(1).max(64),
  HEAT_MAX_INFLIGHT: positiveInt,
  HEAT_MAX_PAYLOAD_BYTES: positiveInt,
  HEAT_TS_MAX_FUTURE_MS: positiveInt,
  HEAT_TS_MAX_PAST_MS: positiveInt,
  HEAT_BUFFER_MAX: positiveInt,
  HEAT_BATCH_SIZE: positiveInt,
  HEAT_FLUSH_MS: positiveInt,
  HEAT_HTTP_PORT: port,
  HEAT_HTTP_HOST: z.string().min(1),
  HEAT_SIM: bool,
  HEAT_SIM_SPEED: z.coerce.number().positive().max(100_000),
  HEAT_SIM_SEED: z.coerce.number().int(),
  HEAT_SIM_START: z.union([z.literal(''), z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 time')]),
  HEAT_SIM_SCENARIO: z.string(),
  HEAT_DISK_BUFFER_MAX_BYTES: z.coerce.number().int().min(0),
  HEAT_DISK_BUFFER_SEGMENT_BYTES: positiveInt,
  HEAT_DISK_BUFFER_FULL: z.enum(['block', 'drop-oldest']),
  HEAT_ADMIN_PASSWORD: z.union([z.literal(''), z.string().min(12, 'must be at least 12 characters').max(256)]),
  HEAT_SESSION_TTL_MS: positiveInt,
  HEAT_COOKIE_SECURE: bool,
  HEAT_METRICS_TOKEN: z.union([z.literal(''), z.string().min(16, 'must be at least 16 characters')]),
  HEAT_MQTT_GATEWAY_SECRET: z.union([z.literal(''), z.string().min(16, 'must be at least 16 characters')]),
  HEAT_CORRELATION_BEFORE_MS: positiveInt,
  HEAT_CORRELATION_AFTER_MS: z.coerce.number().int().min(0),
  HEAT_TICKET_CLUSTER_WINDOW_MS: positiveInt,
  HEAT_TICKET_CLUSTER_MIN: z.coerce.number().int().min(2),
  HEAT_TICKET_SURGE_WINDOW_MS: positiveInt,
  HEAT_TICKET_SURGE_MIN: z.coerce.number().int().min(1),
  HEAT_TICKET_SURGE_P: z.coerce.number().gt(0).lt(1),
  HEAT_LOOP_DISPATCH_MS: positiveInt,
  HEAT_LOOP_RESOLVE_MS: positiveInt,
  HEAT_LOOP_SUPERVISE_MS: positiveInt,
  HEAT_LOOP_FOLLOWUP_MS: positiveInt,
  HEAT_VISIT_DUE_CRITICAL_MS: positiveInt,
  HEAT_VISIT_DUE_HIGH_MS: positiveInt,
  HEAT_VISIT_DUE_LOW_MS: positiveInt,
  HEAT_VISIT_DUE_ADVISORY_MS: positiveInt,
  HEAT_VISIT_EPISODE_GAP_MS: positiveInt,
  HEAT_VISIT_RECOVERED_MS: positiveInt,
  HEAT_VISIT_OPEN_TICKET_MS: positiveInt,
  HEAT_VISIT_LINK_MS: positiveInt,
  HEAT_RULES_DIR: z.string(),
  HEAT_WEBHOOK_URLS: z.union([z.literal(''), z.string().refine((s) => s.trim().startsWith('{'), 'must be a JSON object {"<crew id>": ["wecom:https://…"], "supervisor": […], "*": […]}')]),
  HEAT_NOTIFY_ESCALATE_MIN: positiveInt,
  HEAT_NOTIFY_REMIND_MIN: z.coerce.number().int().min(0),
  HEAT_NOTIFY_MIN_SEVERITY: z.enum(['advisory', 'low', 'high', 'critical']),
  HEAT_ALERT_MQTT: bool,
  INFLUX_API: z.enum(['v1', 'v2']),
  INFLUX_URL: z.string().url(),
  INFLUX_TOKEN: z.string(),
  INFLUX_ORG: z.string(),
  INFLUX_BUCKET: z.string().min(1),
  INFLUX_DB: z.string().min(1),
  INFLUX_USER: z.string(),
  INFLUX_PASSWORD: z.string(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Defaults spread under the environment's values (influxdb-client's option style). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(DEFAULTS)) merged[k] = env[k] !== undefined && env[k] !== '' ? env[k] : String(v);
  // HEAT_MQTT_URL may be deliberately empty; every other empty variable falls back to its default.
  const r = ConfigSchema.safeParse(merged);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => {
      const key = String(i.path[0]);
      // Secrets are named, never echoed.
      const shown = /PASSWORD|SECRET|TOKEN|WEBHOOK/.test(key) ? '(hidden)' : JSON.stringify(merged[key]);
      return `${key}=${shown}: ${i.message}`;
    });
    throw new HeatError('CONFIG_INVALID', msgs.join('; '));
  }
  const c = r.data;
  if (c.HEAT_STORE === 'influx' && c.INFLUX_API === 'v2' && (!c.INFLUX_TOKEN || !c.INFLUX_ORG)) {
    throw new HeatError('CONFIG_INVALID', `INFLUX_API=v2 needs INFLUX_TOKEN and INFLUX_ORG (INFLUX_ORG=${JSON.stringify(c.INFLUX_ORG)})`);
  }
  if (byteSizeOf('HEAT_DUCKDB_CACHE_LIMIT', c.HEAT_DUCKDB_CACHE_LIMIT) > byteSizeOf('HEAT_DUCKDB_MEMORY_LIMIT', c.HEAT_DUCKDB_MEMORY_LIMIT)) {
    throw new HeatError('CONFIG_INVALID', `HEAT_DUCKDB_CACHE_LIMIT=${JSON.stringify(c.HEAT_DUCKDB_CACHE_LIMIT)}: must not exceed HEAT_DUCKDB_MEMORY_LIMIT=${JSON.stringify(c.HEAT_DUCKDB_MEMORY_LIMIT)}`);
  }
  // Calm must be the tighter figure (0 is V8's own, the loosest): the other way round inverts the scheme.
  const busy = c.HEAT_HEAP_GROWING_PERCENT;
  const calm = c.HEAT_HEAP_GROWING_PERCENT_CALM;
  if (busy > 0 && (calm === 0 || calm > busy)) {
    throw new HeatError(
      'CONFIG_INVALID',
      `HEAT_HEAP_GROWING_PERCENT_CALM="${calm}": must be 1…${busy}, no looser than HEAT_HEAP_GROWING_PERCENT="${busy}" (set both to 0 for V8's own heuristics throughout)`,
    );
  }
  return c;
}
