// The audit log: who did what, when, from where, and how it ended, for every API write and every
// login. Append-only JSON lines under HEAT_DATA_DIR (audit/audit.jsonl), each entry fsynced before
// record() resolves, and hash-chained (each entry carries the SHA-256 of the previous one), so
// that an edited or deleted line is detected when the log is read (`chain.ok` = false).
// Entries never hold request bodies: no passwords, no callers' personal data.
//
// Lifecycle: open() once at start (finds the last sequence number and hash), record() from the
// audit middleware and the auth routes (serialised), read() for GET /api/audit.

import { createHash } from 'node:crypto';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../domain/clock';
import type { Role } from './roles';

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditRecord {
  /** The user, or for a failed login the name that was tried; null when unknown. */
  readonly actor: string | null;
  readonly role: Role | null;
  readonly ip: string;
  /** "POST /api/tickets/42", "login", "logout", … (no query string). */
  readonly action: string;
  readonly outcome: AuditOutcome;
  readonly status?: number;
  /** Short reason (error code, changed fields); never a body. */
  readonly detail?: string;
}

export interface AuditEntry extends AuditRecord {
  readonly seq: number;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly prev: string;
  readonly hash: string;
}

export interface AuditQuery {
  /** Newest entries first, at most this many (1…1000). */
  readonly limit: number;
  readonly actor?: string;
  /** Only entries at or after this time (epoch ms). */
  readonly since?: number;
}

export interface AuditPage {
  readonly entries: AuditEntry[];
  /** Entries in the log. */
  readonly total: number;
  /** Whether every entry's hash and link check out; `brokenAt` is the first line that does not. */
  readonly chain: { readonly ok: boolean; readonly brokenAt?: number };
}

const hashOf = (prev: string, body: string): string => createHash('sha256').update(prev).update('\n').update(body).digest('hex');

export class AuditLog {
  private handle: FileHandle | undefined;
  private seq = 0;
  private last = '';
  private chainTail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly clock: Clock,
    /** Called when an entry could not be written (the request already happened): count and log it. */
    private readonly onError: (e: unknown, r: AuditRecord) => void = () => {},
  ) {}

  async open(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    this.handle = await open(this.path, 'a', 0o600);
    // A line torn by a crash is closed off, so that the next entry starts on its own line.
    if (text.length > 0 && !text.endsWith('\n')) await this.handle.write('\n');
    const lines = text.split('\n').filter((l) => l.length > 0);
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const e = JSON.parse(lines[i] as string) as AuditEntry;
        if (typeof e.hash === 'string' && typeof e.seq === 'number') {
          this.seq = e.seq;
          this.last = e.hash;
          break;
        }
      } catch {
        // torn or damaged: look further back
      }
    }
  }

  /** Appends and fsyncs one entry; never rejects (a failure goes to onError). */
  record(r: AuditRecord): Promise<void> {
    const run = this.chainTail.then(async () => {
      const h = this.handle;
      if (!h) throw new Error('audit log is not open');
      const seq = this.seq + 1;
      const base = { seq, at: new Date(this.clock.now()).toISOString(), ...r, prev: this.last };
      const hash = hashOf(this.last, JSON.stringify(base));
      await h.write(`${JSON.stringify({ ...base, hash })}\n`);
      await h.datasync();
      this.seq = seq;
      this.last = hash;
    });
    this.chainTail = run.catch(() => {});
    return run.catch((e: unknown) => this.onError(e, r));
  }

  async read(q: AuditQuery): Promise<AuditPage> {
    await this.chainTail;
    let text = '';
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const lines = text.split('\n').filter((l) => l.length > 0);
    const all: AuditEntry[] = [];
    let prev = '';
    let brokenAt: number | undefined;
    for (let i = 0; i < lines.length; i++) {
      let e: AuditEntry | undefined;
      try {
        e = JSON.parse(lines[i] as string) as AuditEntry;
      } catch {
        e = undefined;
      }
      if (!e || typeof e.hash !== 'string') {
        brokenAt ??= i + 1;
        continue;
      }
      const { hash, ...body } = e;
      if (e.prev !== prev || hashOf(prev, JSON.stringify(body)) !== hash) brokenAt ??= i + 1;
      prev = hash;
      all.push(e);
    }
    const limit = Math.max(1, Math.min(1000, Math.floor(q.limit)));
    const picked: AuditEntry[] = [];
    for (let i = all.length - 1; i >= 0 && picked.length < limit; i--) {
      const e = all[i] as AuditEntry;
      if (q.actor !== undefined && e.actor !== q.actor) continue;
      if (q.since !== undefined && Date.parse(e.at) < q.since) continue;
      picked.push(e);
    }
    return { entries: picked, total: all.length, chain: brokenAt === undefined ? { ok: true } : { ok: false, brokenAt } };
  }

  async close(): Promise<void> {
    await this.chainTail;
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }
}
