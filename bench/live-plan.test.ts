import { describe, expect, it } from 'vitest';
import { entityOf, hash, planLive, restamp, tsOf } from './live-plan';

const msg = (topic: string, ts: number) => ({ topic, payload: Buffer.from(`{"ts":${ts},"values":{"flow":1}}`) });

describe('live plan', () => {
  it('reads and replaces the leading ts of a simulator payload, leaving the rest', () => {
    const p = Buffer.from('{"ts":1700000000000,"sensor":"s1","values":{"t_indoor":19.5}}');
    expect(tsOf(p)).toBe(1_700_000_000_000);
    expect(restamp(p, 1_800_000_000_123.4).toString()).toBe('{"ts":1800000000123,"sensor":"s1","values":{"t_indoor":19.5}}');
    expect(() => tsOf(Buffer.from('{"values":{},"ts":1}'))).toThrow(/numeric ts/);
  });

  it('starts every kind at once, each entity at its own phase within its scan, and skips excluded entities', () => {
    const t = 1_700_000_000_000;
    // The simulator reports stations every 10 s and compounds only at the end of their first minute.
    const messages = [msg('heat/v1/station/a', t + 10_000), msg('heat/v1/station/b', t + 10_000), msg('heat/v1/station/a', t + 20_000), msg('heat/v1/compound/c', t + 60_000)];
    const plan = planLive(messages, { lanes: 4, durationMs: 60_000, scanMs: { station: 10_000, compound: 60_000 }, exclude: new Set(['b']) });
    expect(plan.map((p) => entityOf(p.m.topic))).not.toContain('b');
    const a = plan.filter((p) => entityOf(p.m.topic) === 'a').map((p) => p.at);
    expect(a).toEqual([hash('a') % 10_000, 10_000 + (hash('a') % 10_000)]);
    const c = plan.find((p) => entityOf(p.m.topic) === 'c');
    expect(c?.at).toBe(hash('c') % 60_000);
    expect(plan.map((p) => p.at)).toEqual([...plan.map((p) => p.at)].sort((x, y) => x - y));
    // One lane per entity keeps its readings in order.
    expect(new Set(plan.filter((p) => entityOf(p.m.topic) === 'a').map((p) => p.lane)).size).toBe(1);
  });

  it('leaves out what falls after the run', () => {
    const t = 1_700_000_000_000;
    const plan = planLive([msg('heat/v1/station/a', t), msg('heat/v1/station/a', t + 50_000)], { lanes: 1, durationMs: 20_000, scanMs: { station: 10_000 } });
    expect(plan).toHaveLength(1);
  });
});
