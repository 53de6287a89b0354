import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import { SessionStore } from './session-store';

describe('SessionStore', () => {
  it('hands out unguessable tokens that expire, end, and end together per user', () => {
    const clock = new ManualClock(1000);
    const s = new SessionStore({ clock, ttlMs: 60_000 });
    const a = s.create({ username: 'op', role: 'operator', kind: 'cookie' });
    const b = s.create({ username: 'op', role: 'operator', kind: 'bearer' });
    const c = s.create({ username: 'crew1', role: 'crew', crewId: 'crew-gangcheng', kind: 'cookie' });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(s.get(a.token)?.username).toBe('op');
    expect(s.get(a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(s.get('')).toBeUndefined();
    s.end(a.token);
    expect(s.get(a.token)).toBeUndefined();
    expect(s.endAllOf('op')).toBe(1);
    expect(s.get(b.token)).toBeUndefined();
    expect(s.get(c.token)?.crewId).toBe('crew-gangcheng');
    clock.advance(60_000);
    expect(s.get(c.token)).toBeUndefined();
  });

  it('keeps at most maxPerUser sessions per user, ending the oldest', () => {
    const s = new SessionStore({ clock: new ManualClock(0), ttlMs: 60_000, maxPerUser: 3 });
    const tokens = Array.from({ length: 5 }, () => s.create({ username: 'op', role: 'operator', kind: 'bearer' }).token);
    expect(tokens.map((t) => s.get(t) !== undefined)).toEqual([false, false, true, true, true]);
    expect(s.size).toBe(3);
  });
});
