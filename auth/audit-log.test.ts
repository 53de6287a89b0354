import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import { AuditLog, type AuditRecord } from './audit-log';

const rec = (action: string, actor = 'admin'): AuditRecord => ({ actor, role: 'admin', ip: '127.0.0.1', action, outcome: 'ok', status: 200 });

describe('AuditLog', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'heat-audit-'));
    path = join(dir, 'audit', 'audit.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends entries with sequence, time and a hash chain that survives a reopen; reads newest first with filters', async () => {
    const clock = new ManualClock(Date.parse('2025-01-15T04:00:00Z'));
    const a = new AuditLog(path, clock);
    await a.open();
    await a.record(rec('POST /api/tickets'));
    clock.advance(1000);
    await a.record(rec('login', 'op1'));
    await a.close();
    const b = new AuditLog(path, clock);
    await b.open();
    clock.advance(1000);
    await b.record(rec('PATCH /api/auth/users/op1'));
    const page = await b.read({ limit: 10 });
    expect(page.total).toBe(3);
    expect(page.chain).toEqual({ ok: true });
    expect(page.entries.map((e) => [e.seq, e.action])).toEqual([
      [3, 'PATCH /api/auth/users/op1'],
      [2, 'login'],
      [1, 'POST /api/tickets'],
    ]);
    expect(page.entries[2]?.at).toBe('2025-01-15T04:00:00.000Z');
    expect((await b.read({ limit: 10, actor: 'op1' })).entries.map((e) => e.seq)).toEqual([2]);
    expect((await b.read({ limit: 10, since: Date.parse('2025-01-15T04:00:01Z') })).entries.map((e) => e.seq)).toEqual([3, 2]);
    expect((await b.read({ limit: 1 })).entries.map((e) => e.seq)).toEqual([3]);
    await b.close();
  });

  it('detects an edited or removed line', async () => {
    const a = new AuditLog(path, new ManualClock(0));
    await a.open();
    for (const x of ['one', 'two', 'three']) await a.record(rec(x));
    await a.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, lines.map((l) => l.replace('"two"', '"TWO"')).join('\n'));
    const b = new AuditLog(path, new ManualClock(0));
    expect((await b.read({ limit: 10 })).chain).toEqual({ ok: false, brokenAt: 2 });
    writeFileSync(path, [lines[0], lines[2], ''].join('\n'));
    expect((await b.read({ limit: 10 })).chain).toEqual({ ok: false, brokenAt: 2 });
  });

  it('a line torn by a crash is closed off; the next entry starts on its own line', async () => {
    const a = new AuditLog(path, new ManualClock(0));
    await a.open();
    await a.record(rec('one'));
    await a.close();
    appendFileSync(path, '{"seq":2,"at":"19');
    const b = new AuditLog(path, new ManualClock(0));
    await b.open();
    await b.record(rec('two'));
    const page = await b.read({ limit: 10 });
    expect(page.entries.map((e) => e.action)).toEqual(['two', 'one']);
    expect(page.chain.ok).toBe(false); // the torn line is reported
    await b.close();
  });

  it('a write failure reaches onError and never rejects', async () => {
    const errors: string[] = [];
    const a = new AuditLog(path, new ManualClock(0), (_e, r) => errors.push(r.action));
    await a.record(rec('not opened'));
    expect(errors).toEqual(['not opened']);
  });
});
