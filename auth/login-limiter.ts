// Brute-force protection for logins. Failed attempts are counted per (username, client address)
// and per client address over a sliding window; past the limit every attempt (right password or
// not) is refused with 429 and Retry-After until the oldest counted failure leaves the window.
// The per-address limit stops one address from trying many usernames. A success clears that
// user's failures from that address. Bounded memory: the oldest keys are forgotten beyond
// `maxKeys` (an attacker who floods keys only forgets his own old failures, and the per-address
// limit still holds).
//
// Lifecycle: one per process, owned by the auth service; injected clock.

import type { Clock } from '../domain/clock';

export interface LoginLimiterOptions {
  readonly clock: Clock;
  /** Failures per username and address within the window (default 5). */
  readonly maxPerUser?: number;
  /** Failures per address within the window, over all usernames (default 30). */
  readonly maxPerAddress?: number;
  /** Default 15 minutes. */
  readonly windowMs?: number;
  readonly maxKeys?: number;
}

export type LimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxPerUser: number;
  private readonly maxPerAddress: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(private readonly o: LoginLimiterOptions) {
    this.maxPerUser = o.maxPerUser ?? 5;
    this.maxPerAddress = o.maxPerAddress ?? 30;
    this.windowMs = o.windowMs ?? 15 * 60_000;
    this.maxKeys = o.maxKeys ?? 50_000;
  }

  /** Asked before the password is checked. */
  check(username: string, address: string): LimitVerdict {
    const now = this.o.clock.now();
    const a = this.verdict(`u|${username.toLowerCase()}|${address}`, this.maxPerUser, now);
    const b = this.verdict(`a|${address}`, this.maxPerAddress, now);
    if (a.allowed && b.allowed) return a;
    return { allowed: false, retryAfterMs: Math.max(a.allowed ? 0 : a.retryAfterMs, b.allowed ? 0 : b.retryAfterMs) };
  }

  fail(username: string, address: string): void {
    const now = this.o.clock.now();
    this.push(`u|${username.toLowerCase()}|${address}`, now);
    this.push(`a|${address}`, now);
  }

  succeed(username: string, address: string): void {
    this.failures.delete(`u|${username.toLowerCase()}|${address}`);
  }

  private verdict(key: string, max: number, now: number): LimitVerdict {
    const list = this.recent(key, now);
    if (list.length < max) return { allowed: true };
    // The window reopens when the failure that made the count reach the limit ages out.
    const oldest = list[list.length - max] as number;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
  }

  private recent(key: string, now: number): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const from = now - this.windowMs;
    while (list.length > 0 && (list[0] as number) <= from) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private push(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    if (list.length > 1000) list.splice(0, list.length - 1000);
    this.failures.delete(key); // re-insert: Map order = least recently failed first
    this.failures.set(key, list);
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value as string);
  }
}
