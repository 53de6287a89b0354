import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import { LoginLimiter } from './login-limiter';

const MIN = 60_000;

describe('LoginLimiter', () => {
  it('refuses after 5 failures of one user from one address until the window has passed', () => {
    const clock = new ManualClock(0);
    const l = new LoginLimiter({ clock, windowMs: 15 * MIN });
    for (let i = 0; i < 5; i++) {
      expect(l.check('admin', '10.0.0.1')).toEqual({ allowed: true });
      l.fail('admin', '10.0.0.1');
      clock.advance(MIN);
    }
    const v = l.check('ADMIN', '10.0.0.1');
    expect(v).toEqual({ allowed: false, retryAfterMs: 10 * MIN });
    // another address for the same user is not affected; the same address for another user neither
    expect(l.check('admin', '10.0.0.2').allowed).toBe(true);
    expect(l.check('operator', '10.0.0.1').allowed).toBe(true);
    clock.advance(10 * MIN);
    expect(l.check('admin', '10.0.0.1').allowed).toBe(true);
  });

  it('a success clears the user’s failures from that address', () => {
    const clock = new ManualClock(0);
    const l = new LoginLimiter({ clock });
    for (let i = 0; i < 4; i++) l.fail('op', 'a');
    l.succeed('op', 'a');
    for (let i = 0; i < 4; i++) l.fail('op', 'a');
    expect(l.check('op', 'a').allowed).toBe(true);
  });

  it('limits one address trying many usernames', () => {
    const clock = new ManualClock(0);
    const l = new LoginLimiter({ clock, maxPerAddress: 30 });
    for (let i = 0; i < 30; i++) l.fail(`user${i}`, '10.9.9.9');
    expect(l.check('someone-new', '10.9.9.9').allowed).toBe(false);
    expect(l.check('someone-new', '10.9.9.8').allowed).toBe(true);
  });

  it('keeps its memory bounded', () => {
    const clock = new ManualClock(0);
    const l = new LoginLimiter({ clock, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) l.fail(`u${i}`, `addr${i}`);
    expect((l as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(100);
  });
});
