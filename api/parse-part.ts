// Each request part (params, query, body) is parsed by one zod schema, compiled once when the
// route is registered (Fastify's model). A failure becomes a HeatError whose detail names the
// part and the field: "query.fields: …". A schema may pick a more precise catalogue code for an
// issue with `params: { heat: '<ErrorCode>' }` (e.g. UNKNOWN_FIELD, UNKNOWN_ENTITY).

import type { z } from 'zod';
import { ERRORS, HeatError, type ErrorCode } from '../domain/errors';

/** `message` is a socket.io event's payload. */
export type RequestPart = 'params' | 'query' | 'body' | 'message';

export function parsePart<S extends z.ZodType>(part: RequestPart, schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const first = issues[0];
  const code = first === undefined ? 'BAD_REQUEST' : issueCode(first);
  // Report the issues that share the first one's code: several bad fields are named at once.
  const detail = issues
    .filter((i) => issueCode(i) === code)
    .slice(0, 5)
    .map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
  throw new HeatError(code, detail || `${part}: invalid`);
}

function issueCode(issue: z.core.$ZodIssue): ErrorCode {
  const wanted = issue.code === 'custom' ? (issue.params as { heat?: unknown } | undefined)?.heat : undefined;
  return typeof wanted === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, wanted) ? (wanted as ErrorCode) : 'BAD_REQUEST';
}
