// Login sessions: an opaque random token (256 bits, base64url) handed to the browser in an
// HttpOnly SameSite=Strict cookie, or to a script as a bearer token. Only the token's SHA-256 is
// kept, in memory: a restart logs everybody out (documented), and nothing on disk can be replayed.
// Bounded: at most `maxPerUser` sessions per user (the oldest is ended) and `maxTotal` overall.
//
// Lifecycle: one store per process, created by the auth service; the clock is injected.

import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock';
import type { Role } from './roles';

export interface Session {
  readonly username: string;
  readonly role: Role;
  readonly crewId?: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly kind: 'cookie' | 'bearer';
}

export interface SessionStoreOptions {
  readonly clock: Clock;
  /** HEAT_SESSION_TTL_MS. */
  readonly ttlMs: number;
  readonly maxPerUser?: number;
  readonly maxTotal?: number;
}

const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  /** Insertion order = creation order: the first entries are the oldest. */
  private readonly sessions = new Map<string, Session>();
  private readonly maxPerUser: number;
  private readonly maxTotal: number;

  constructor(private readonly o: SessionStoreOptions) {
    this.maxPerUser = o.maxPerUser ?? 20;
    this.maxTotal = o.maxTotal ?? 10_000;
  }

  /** Starts a session; returns the token (shown to the client once, never stored). */
  create(s: Omit<Session, 'createdAt' | 'expiresAt'>): { token: string; session: Session } {
    const now = this.o.clock.now();
    this.sweep(now);
    const mine = [...this.sessions].filter(([, v]) => v.username === s.username);
    for (let i = 0; i <= mine.length - this.maxPerUser; i++) this.sessions.delete((mine[i] as [string, Session])[0]);
    while (this.sessions.size >= this.maxTotal) this.sessions.delete(this.sessions.keys().next().value as string);
    const token = randomBytes(32).toString('base64url');
    const session: Session = { ...s, createdAt: now, expiresAt: now + this.o.ttlMs };
    this.sessions.set(digest(token), session);
    return { token, session };
  }

  /** The live session of a token, or undefined (unknown, expired or ended). */
  get(token: string): Session | undefined {
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return undefined;
    const key = digest(token);
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= this.o.clock.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  end(token: string): void {
    this.sessions.delete(digest(token));
  }

  /** Ends every session of a user (password, role or crew changed; user disabled). */
  endAllOf(username: string): number {
    let n = 0;
    for (const [k, v] of this.sessions) {
      if (v.username === username) {
        this.sessions.delete(k);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(now: number): void {
    for (const [k, v] of this.sessions) if (v.expiresAt <= now) this.sessions.delete(k);
  }
}
