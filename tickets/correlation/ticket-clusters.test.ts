import { describe, expect, it } from 'vitest';
import { TicketClusterer } from './ticket-clusters';

const H = 3_600_000;
const T = Date.parse('2025-01-10T00:00:00Z');

describe('TicketClusterer', () => {
  it('makes an incident of three tickets from one compound within the window, the first two included', () => {
    const c = new TicketClusterer({ windowMs: 6 * H, minTickets: 3 });
    expect(c.add('a', 'dexuan', 'longhu-huating', T).cluster).toBeUndefined();
    expect(c.add('b', 'dexuan', 'longhu-huating', T + 2 * H).cluster).toBeUndefined();
    const r = c.add('c', 'dexuan', 'longhu-huating', T + 4 * H);
    expect(r.cluster).toMatchObject({ id: `tc@dexuan@${T}`, level: 'compound', compoundIds: ['longhu-huating'], count: 3, formedAt: T + 4 * H });
    expect(r.joined).toEqual(['a', 'b']);
    // a fourth from a sibling compound joins and makes it a station incident
    const d = c.add('d', 'dexuan', 'donghu-yiyuan', T + 5 * H);
    expect(d).toMatchObject({ cluster: { level: 'station', count: 4, compoundIds: ['donghu-yiyuan', 'longhu-huating'] }, joined: [] });
    expect(c.list()).toHaveLength(1);
  });

  it('needs one ticket more when they come from several compounds', () => {
    const c = new TicketClusterer({ windowMs: 6 * H, minTickets: 3 });
    c.add('a', 'dexuan', 'longhu-huating', T);
    c.add('b', 'dexuan', 'donghu-yiyuan', T + H);
    expect(c.add('c', 'dexuan', 'jianshe', T + 2 * H).cluster).toBeUndefined();
    expect(c.add('d', 'dexuan', 'changsheng', T + 3 * H).cluster?.level).toBe('station');
  });

  it('does not cluster tickets spread out in time or over stations', () => {
    const c = new TicketClusterer({ windowMs: 6 * H, minTickets: 3 });
    c.add('a', 'dexuan', 'longhu-huating', T);
    c.add('b', 'dexuan', 'longhu-huating', T + 7 * H);
    expect(c.add('c', 'dexuan', 'longhu-huating', T + 14 * H).cluster).toBeUndefined();
    c.add('x', 'xingfu', 'xingfu-b', T + 14 * H);
    expect(c.add('y', 'xiyu', 'xiyu-huayuan', T + 14 * H).cluster).toBeUndefined();
    expect(c.list()).toEqual([]);
  });

  it('counts a ticket once, and forgets idle groups but keeps their incidents listed', () => {
    const c = new TicketClusterer({ windowMs: 6 * H, minTickets: 3 });
    c.add('a', 'dexuan', 'longhu-huating', T);
    c.add('a', 'dexuan', 'longhu-huating', T);
    expect(c.add('b', 'dexuan', 'longhu-huating', T + H).cluster).toBeUndefined();
    c.add('c', 'dexuan', 'longhu-huating', T + 2 * H);
    c.prune(T + 20 * H);
    expect(c.list(T)).toHaveLength(1);
    expect(c.list(T + 10 * H)).toHaveLength(0);
    // a new group after the prune starts afresh
    expect(c.add('d', 'dexuan', 'longhu-huating', T + 21 * H).cluster).toBeUndefined();
  });
});
