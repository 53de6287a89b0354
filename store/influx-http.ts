// HTTP to InfluxDB, v1 or v2 API, and the mapping of every failure to a HeatError:
// network error, timeout, 5xx and 429 → STORE_UNAVAILABLE (retry, honouring Retry-After);
// other 4xx → the caller's non-retryable code with the server's own message.
// Queries go to the v1 /query endpoint in both modes (v2 serves it for a bucket's DBRP mapping).

import { z } from 'zod';
import { HeatError, type ErrorCode } from '../domain/errors';

export type InfluxApi = 'v1' | 'v2';

export interface InfluxHttpOptions {
  readonly api: InfluxApi;
  /** Base URL, e.g. http://127.0.0.1:8086 (a path prefix is kept). */
  readonly url: string;
  /** v1: the database; v2: the bucket (also the database name of its /query mapping). */
  readonly database: string;
  /** v2 only. */
  readonly org?: string;
  /** v2 only: sent as `Authorization: Token …`. */
  readonly token?: string;
  /** v1 only, optional: sent as HTTP Basic auth. */
  readonly user?: string;
  readonly password?: string;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
}

const SeriesSchema = z.object({
  name: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  columns: z.array(z.string()),
  values: z.array(z.array(z.unknown())).optional(),
});
const StatementSchema = z.object({
  statement_id: z.number().optional(),
  series: z.array(SeriesSchema).optional(),
  error: z.string().optional(),
});
const QueryResponseSchema = z.object({ results: z.array(StatementSchema).optional(), error: z.string().optional() });

export type InfluxSeries = z.infer<typeof SeriesSchema>;
export type StatementResult = z.infer<typeof StatementSchema>;

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/** The server's own words: `{"error": …}` (1.x), `{"message": …}` (2.x), or the text itself. */
function serverMessage(text: string): string {
  try {
    const j: unknown = JSON.parse(text);
    if (typeof j === 'object' && j !== null) {
      const o = j as Record<string, unknown>;
      if (typeof o.error === 'string') return o.error;
      if (typeof o.message === 'string') return o.message;
    }
  } catch {
    // not JSON: use the text
  }
  return text.trim().slice(0, 500);
}

export class InfluxHttp {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: InfluxHttpOptions) {
    this.base = opts.url.endsWith('/') ? opts.url : `${opts.url}/`;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** POSTs line protocol; resolves when the server answered 204 (the points are in its WAL). */
  async write(body: string): Promise<void> {
    const o = this.opts;
    const params: Record<string, string> =
      o.api === 'v2' ? { org: o.org ?? '', bucket: o.database, precision: 'ms' } : { db: o.database, precision: 'ms' };
    const path = o.api === 'v2' ? 'api/v2/write' : 'write';
    await this.request(path, params, body, 'text/plain; charset=utf-8', 'STORE_REJECTED');
  }

  /** Runs `;`-separated InfluxQL statements; throws when any statement failed. */
  async query(statements: string, rejectCode: ErrorCode = 'STORE_QUERY', withDb = true): Promise<StatementResult[]> {
    const params: Record<string, string> = withDb ? { db: this.opts.database, epoch: 'ms' } : { epoch: 'ms' };
    const text = await this.request('query', params, new URLSearchParams({ q: statements }).toString(), 'application/x-www-form-urlencoded', rejectCode);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HeatError('STORE_QUERY', `InfluxDB answered with non-JSON: ${text.trim().slice(0, 300)}`);
    }
    const parsed = QueryResponseSchema.safeParse(json);
    if (!parsed.success) throw new HeatError('STORE_QUERY', `unexpected InfluxDB response: ${parsed.error.issues[0]?.message ?? ''}`);
    if (parsed.data.error !== undefined) throw new HeatError(rejectCode, parsed.data.error);
    const results = parsed.data.results ?? [];
    const failed = results.find((r) => r.error !== undefined);
    if (failed) throw new HeatError(rejectCode, `statement ${failed.statement_id ?? '?'}: ${failed.error}`);
    return results;
  }

  private headers(contentType: string): Record<string, string> {
    const o = this.opts;
    const h: Record<string, string> = { 'content-type': contentType, accept: 'application/json' };
    if (o.api === 'v2') h.authorization = `Token ${o.token ?? ''}`;
    else if (o.user) h.authorization = `Basic ${Buffer.from(`${o.user}:${o.password ?? ''}`).toString('base64')}`;
    return h;
  }

  private async request(path: string, params: Record<string, string>, body: string, contentType: string, rejectCode: ErrorCode): Promise<string> {
    const url = `${this.base}${path}?${new URLSearchParams(params).toString()}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { method: 'POST', headers: this.headers(contentType), body, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await res.text();
    } catch (e) {
      const why = e instanceof Error ? `${e.name}: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e);
      throw new HeatError('STORE_UNAVAILABLE', `InfluxDB ${this.opts.url} unreachable: ${why}`, { cause: e });
    }
    if (res.ok) return text;
    const msg = `InfluxDB ${path} HTTP ${res.status}: ${serverMessage(text)}`;
    if (res.status >= 500 || res.status === 429) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      throw new HeatError('STORE_UNAVAILABLE', msg, retryAfterMs === undefined ? {} : { retryAfterMs });
    }
    throw new HeatError(rejectCode, msg);
  }
}
