// The one schema of GET /api/series's query: entity, fields, sensor, from, to, every.
// Compiled once per API with the network (entity must exist) and the clock (default range).

import { z } from 'zod';
import type { Clock } from '../../domain/clock';
import { FIELDS, fieldSpec } from '../../domain/fields';
import type { NetworkModel } from '../../domain/network';
import { entityRefSchema } from '../entity-ref';
import { parseDuration } from './bucket';

export const DEFAULT_RANGE_MS = 24 * 3_600_000;
/** Longest range one request may ask for: three heating seasons. */
export const MAX_RANGE_MS = 3 * 366 * 86_400_000;
const MAX_FIELDS = 32;

/** ISO-8601 or epoch ms. */
const instant = z.string().transform((text, ctx) => {
  const t = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 40)}" is neither ISO-8601 nor epoch milliseconds`, params: { heat: 'TIMESTAMP_INVALID' } });
    return z.NEVER;
  }
  return t;
});

/** `raw`, a duration (`5m`) or milliseconds; at least one second. */
const every = z.string().transform((text, ctx): number | 'raw' => {
  if (text === 'raw') return 'raw';
  const ms = /^\d{1,12}$/.test(text) ? Number(text) : parseDuration(text);
  if (ms === undefined || ms < 1000) {
    ctx.addIssue({ code: 'custom', message: `"${text.slice(0, 40)}" is not raw, a duration of at least 1s (e.g. 30s, 5m, 1h, 1d) or milliseconds ≥ 1000` });
    return z.NEVER;
  }
  return ms;
});

/** `a,b` or repeated `fields=a&fields=b`. */
const list = z.union([z.string(), z.array(z.string())]).transform((v) =>
  [...new Set((Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== ''))],
);

export function seriesQuerySchema(network: NetworkModel, clock: Clock) {
  return z
    .object({
      entity: entityRefSchema(network),
      fields: list.optional(),
      sensor: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a sensor id is 1–64 characters of A–Z, a–z, 0–9, _ and -').optional(),
      from: instant.optional(),
      to: instant.optional(),
      every: every.optional(),
    })
    .transform((q, ctx) => {
      const kind = q.entity.kind;
      const known = Object.keys(FIELDS[kind]);
      // Without `fields`, every numeric field of the kind: a useful default for curl users.
      const fields = q.fields ?? known.filter((f) => fieldSpec(kind, f)?.type === 'number');
      const unknown = fields.filter((f) => fieldSpec(kind, f) === undefined);
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields'],
          message: `${unknown.map((f) => JSON.stringify(f.slice(0, 40))).join(', ')} not a ${kind} field of telemetry contract v1 (known: ${known.join(', ')})`,
          params: { heat: 'UNKNOWN_FIELD' },
        });
        return z.NEVER;
      }
      if (fields.length === 0 || fields.length > MAX_FIELDS) {
        ctx.addIssue({ code: 'custom', path: ['fields'], message: `between 1 and ${MAX_FIELDS} fields` });
        return z.NEVER;
      }
      const to = q.to ?? clock.now();
      const from = q.from ?? to - DEFAULT_RANGE_MS;
      if (from >= to) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: `must be before to (from=${new Date(from).toISOString()}, to=${new Date(to).toISOString()})` });
        return z.NEVER;
      }
      if (to - from > MAX_RANGE_MS) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: `range is longer than ${MAX_RANGE_MS / 86_400_000} days` });
        return z.NEVER;
      }
      return { entity: q.entity, fields, sensor: q.sensor, from, to, every: q.every };
    });
}

export type SeriesQueryInput = z.output<ReturnType<typeof seriesQuerySchema>>;
