// Delivers robot messages to webhook URLs: one lane per URL (order kept, one request in flight,
// which also paces a robot's rate limit), a bounded queue per lane (over it the oldest waiting
// message is dropped), and bounded retries with exponential backoff that honour 429/503 and
// Retry-After. Both robots answer HTTP 200 with {"errcode": 0}; a non-zero errcode is a failure,
// retried when it means "too fast" (WeCom 45009, DingTalk 130101), final otherwise.
// Every message lost (retries exhausted, refused, dropped, or pending at close) is counted in
// /metrics and logged.
//
// Lifecycle: new WebhookSender(opts); send() from the notifier (never throws, never blocks);
// close() at shutdown drops what is still waiting (counted). Timers are injected (tests).

import { createHmac } from 'node:crypto';
import { HeatError } from '../../domain/errors';
import { exponentialRetry, type RetryStrategy } from '../../ingest/retry-strategy';
import { systemTimers, type Timers } from '../../ingest/timers';
import type { RulesLogger } from '../engine';
import type { NotifyMetrics } from './notify-metrics';
import type { RobotPayload } from './robot-message';
import type { WebhookTarget } from './webhook-targets';

export interface WebhookSenderOptions {
  readonly metrics: NotifyMetrics;
  readonly logger?: RulesLogger;
  readonly timers?: Timers;
  readonly fetch?: typeof fetch;
  /** Tries per message, the first included (default 5). */
  readonly maxAttempts?: number;
  /** Delay before each retry (default exponential from 1 s, ×2, cap 60 s, Retry-After honoured). */
  readonly retry?: RetryStrategy;
  /** Messages waiting per URL (default 100). */
  readonly maxQueue?: number;
  /** Per request, ms (default 10 s). */
  readonly timeoutMs?: number;
}

interface Job {
  readonly target: WebhookTarget;
  readonly payload: RobotPayload;
  readonly kind: string;
  attempts: number;
}

interface Lane {
  readonly queue: Job[];
  busy: boolean;
  retryTimer: unknown;
}

/** Robot error codes that mean "slow down": retry later. */
const RATE_LIMITED_ERRCODES = new Set([45009, 130101]);
/** A Retry-After longer than this is not waited for (the message would be stale). */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

type Outcome = { readonly ok: true } | { readonly ok: false; readonly retry: boolean; readonly why: string; readonly retryAfterMs?: number };

export class WebhookSender {
  private readonly lanes = new Map<string, Lane>();
  private readonly timers: Timers;
  private readonly fetch: typeof fetch;
  private readonly maxAttempts: number;
  private readonly retry: RetryStrategy;
  private readonly maxQueue: number;
  private readonly timeoutMs: number;
  private closed = false;
  private queued = 0;

  constructor(private readonly o: WebhookSenderOptions) {
    this.timers = o.timers ?? systemTimers;
    this.fetch = o.fetch ?? globalThis.fetch;
    this.maxAttempts = o.maxAttempts ?? 5;
    this.retry = o.retry ?? exponentialRetry({ minMs: 1_000, maxMs: 60_000, factor: 2, jitterMs: 500 });
    this.maxQueue = o.maxQueue ?? 100;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  /** Messages waiting or in flight. */
  get pending(): number {
    return this.queued;
  }

  send(target: WebhookTarget, payload: RobotPayload, kind: string): void {
    if (this.closed) {
      this.lose({ target, payload, kind, attempts: 0 }, 'closed', 'sender closed');
      return;
    }
    let lane = this.lanes.get(target.url);
    if (lane === undefined) this.lanes.set(target.url, (lane = { queue: [], busy: false, retryTimer: undefined }));
    // The head may be in flight; drop the oldest message still waiting behind it.
    if (lane.queue.length >= this.maxQueue) {
      const dropped = lane.queue.splice(lane.busy ? 1 : 0, 1)[0];
      if (dropped !== undefined) {
        this.queued--;
        this.lose(dropped, 'queue-full', `more than ${this.maxQueue} messages waiting`);
      }
    }
    lane.queue.push({ target, payload, kind, attempts: 0 });
    this.queued++;
    this.o.metrics.setQueued('webhook', this.queued);
    this.pump(lane);
  }

  close(): number {
    this.closed = true;
    let lost = 0;
    for (const lane of this.lanes.values()) {
      if (lane.retryTimer !== undefined) this.timers.clear(lane.retryTimer);
      lane.retryTimer = undefined;
      // The head may be mid-request: it settles on its own; the rest are lost.
      for (const job of lane.queue.splice(lane.busy ? 1 : 0)) {
        this.lose(job, 'closed', 'pending at shutdown');
        lost++;
      }
    }
    this.queued -= lost;
    this.o.metrics.setQueued('webhook', this.queued);
    return lost;
  }

  private pump(lane: Lane): void {
    if (lane.busy || lane.retryTimer !== undefined || this.closed) return;
    const job = lane.queue[0];
    if (job === undefined) return;
    lane.busy = true;
    job.attempts++;
    void this.post(job).then((out) => {
      lane.busy = false;
      if (out.ok) {
        this.done(lane);
        this.o.metrics.sent('webhook', job.kind);
      } else if (out.retry && job.attempts < this.maxAttempts && !this.closed) {
        this.o.metrics.retried('webhook');
        const delay = this.retry.delayMs(job.attempts, new HeatError('TOO_MANY_REQUESTS', out.why, out.retryAfterMs === undefined ? {} : { retryAfterMs: out.retryAfterMs }));
        lane.retryTimer = this.timers.set(() => {
          lane.retryTimer = undefined;
          this.pump(lane);
        }, delay);
        return;
      } else {
        this.done(lane);
        this.lose(job, out.retry ? 'retries-exhausted' : 'rejected', out.why);
      }
      this.pump(lane);
    });
  }

  private done(lane: Lane): void {
    lane.queue.shift();
    this.queued--;
    this.o.metrics.setQueued('webhook', this.queued);
  }

  private lose(job: Job, reason: 'retries-exhausted' | 'rejected' | 'queue-full' | 'closed', why: string): void {
    this.o.metrics.lost('webhook', reason);
    this.o.logger?.warn({ url: job.target.shown, robot: job.target.kind, kind: job.kind, attempts: job.attempts, reason, why }, 'webhook notification lost');
  }

  private async post(job: Job): Promise<Outcome> {
    let res: Response;
    try {
      res = await this.fetch(job.target.secret === undefined ? job.target.url : signedUrl(job.target.url, job.target.secret, Date.now()), {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(job.payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      return { ok: false, retry: true, why: `request failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    const text = await res.text().catch(() => '');
    if (res.status === 429 || res.status === 503 || res.status === 408 || res.status >= 500) {
      const after = retryAfterMs(res.headers.get('retry-after'));
      return { ok: false, retry: true, why: `HTTP ${res.status}`, ...(after === undefined ? {} : { retryAfterMs: after }) };
    }
    if (res.status < 200 || res.status >= 300) return { ok: false, retry: false, why: `HTTP ${res.status}` };
    const errcode = errcodeOf(text);
    if (errcode === undefined || errcode === 0) return { ok: true };
    return { ok: false, retry: RATE_LIMITED_ERRCODES.has(errcode), why: `robot errcode ${errcode}` };
  }
}

/**
 * DingTalk 加签: timestamp (ms) and sign = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)),
 * URL-encoded; the robot refuses a timestamp more than an hour off, so each try signs anew.
 */
export function signedUrl(url: string, secret: string, timestamp: number): string {
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', sign);
  return u.toString();
}

/** Retry-After: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const s = header.trim();
  const ms = /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

function errcodeOf(text: string): number | undefined {
  if (text === '') return undefined;
  try {
    const body: unknown = JSON.parse(text);
    const code = typeof body === 'object' && body !== null ? (body as { errcode?: unknown }).errcode : undefined;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}
