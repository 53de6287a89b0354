import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import { miniNetwork } from '../rules/test-fixtures';
import { makeAlert } from '../tickets/testing/alert-factory';
import { makeRecord } from '../tickets/testing/ticket-factory';
import { MemoryVisitStore } from './memory-visit-store';
import { VisitPlanner, type OpenComplaint } from './visit-planner';

const H = 3_600_000;
const T = Date.parse('2025-01-10T06:00:00Z');
const due = { critical: 2 * H, high: 4 * H, low: 8 * H, advisory: 24 * H };

function setup(open: OpenComplaint[] = []) {
  const store = new MemoryVisitStore();
  const clock = new ManualClock(T);
  const links: [string, string][] = [];
  const events: string[] = [];
  const make = () =>
    new VisitPlanner({
      network: miniNetwork(),
      store,
      clock,
      logger: pino({ level: 'silent' }),
      openComplaint: async (cid, from, to) => open.find((o) => cid === 'longhu-huating' && o.receivedAt >= from && o.receivedAt <= to),
      linkTicket: async (t, v) => void links.push([t, v]),
      due,
      episodeGapMs: 12 * H,
      recoveredMs: 3 * H,
      openTicketWindowMs: 24 * H,
      linkWindowMs: 72 * H,
      onVisit: (v, change) => events.push(`${change} ${v.id}`),
    });
  return { store, clock, links, events, planner: make(), make };
}

const alert = (openedAt: number, o: { ruleId?: string; category?: 'underheating' | 'prediction' | 'supply'; severity?: 'low' | 'high' | 'critical'; endedAt?: number; entity?: string; kind?: 'compound' | 'station' } = {}) => {
  const a = makeAlert({
    entity: o.entity ?? 'longhu-huating',
    kind: o.kind ?? 'compound',
    stationId: 'dexuan',
    primaryNetworkId: 'pn1',
    crew: 'crew-gangcheng',
    openedAt,
    ...(o.ruleId !== undefined ? { ruleId: o.ruleId } : {}),
    ...(o.category !== undefined ? { category: o.category } : {}),
    ...(o.severity !== undefined ? { severity: o.severity } : {}),
    ...(o.endedAt !== undefined ? { endedAt: o.endedAt } : {}),
  });
  return a;
};

describe('VisitPlanner', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.store.connect();
  });

  it('issues a work order to the station\'s crew when a compound goes cold and nobody has called', async () => {
    const v = await s.planner.onAlert(alert(T - 10 * 60_000));
    expect(v).toMatchObject({
      id: `v-longhu-huating-${T - 10 * 60_000}`,
      compoundId: 'longhu-huating',
      stationId: 'dexuan',
      crew: 'crew-gangcheng',
      tailEnd: true,
      receivedAt: T,
      dueAt: T + 8 * H,
      severity: 'low',
      loop: { stage: 'received', by: { received: 'system' } },
      summary: { zh: '龙湖华庭（末端）：underheat-indoor' },
    });
    expect(v?.homes[0]).toMatchObject({ buildingId: 'longhu-huating-b4', floor: 6, reasons: ['far-building', 'top-floor', 'end-unit'] });
    expect(v?.reasons[0]).toMatchObject({ ruleId: 'underheat-indoor', value: 16.5, evidence: [{ signal: 'indoor_max', value: 16.5, op: 'lt', threshold: 18 }] });
    expect(await s.store.getEpisode(`ep@longhu-huating@${T - 10 * 60_000}`)).toMatchObject({ visitId: v?.id, visitAt: T, underheating: true, ticketFirst: false });
    expect(s.events).toEqual([`created ${v?.id}`]);
  });

  it('keeps one visit per episode: later alerts add evidence, a worse severity brings the deadline forward', async () => {
    const first = await s.planner.onAlert(alert(T - H, { ruleId: 'underheat-predicted', category: 'prediction', severity: 'low' }));
    s.clock.set(T + H);
    const second = await s.planner.onAlert(alert(T, { severity: 'high' }));
    expect(second?.id).toBe(first?.id);
    expect(second?.reasons.map((r) => r.ruleId)).toEqual(['underheat-predicted', 'underheat-indoor']);
    expect(second?.severity).toBe('high');
    expect(second?.dueAt).toBe(T + H + 4 * H);
    expect((await s.store.list({ limit: 10 })).total).toBe(1);
    const ep = await s.store.getEpisode(`ep@longhu-huating@${T - H}`);
    expect(ep).toMatchObject({ underheating: true, alertIds: [alert(T - H, { ruleId: 'underheat-predicted' }).id, alert(T).id] });
  });

  it('makes no visit when a cold complaint is already open: the episode is ticket first', async () => {
    const t = setup([{ id: 'tcold', receivedAt: T - 3 * H }]);
    await t.store.connect();
    expect(await t.planner.onAlert(alert(T))).toBeUndefined();
    expect((await t.store.list({ limit: 5 })).total).toBe(0);
    expect(await t.store.getEpisode(`ep@longhu-huating@${T}`)).toMatchObject({ ticketFirst: true, firstTicketId: 'tcold', firstTicketAt: T - 3 * H });
    // a complaint older than the window does not count
    const u = setup([{ id: 'told', receivedAt: T - 30 * H }]);
    await u.store.connect();
    expect(await u.planner.onAlert(alert(T))).toBeDefined();
  });

  it('ends an episode after the quiet gap; a new episode gets a new visit once the last is resolved', async () => {
    const v1 = await s.planner.onAlert(alert(T));
    await s.planner.onAlert(alert(T, { endedAt: T + 2 * H }));
    await s.planner.tick(T + 10 * H);
    expect((await s.store.listEpisodes({ limit: 5, open: true })).length).toBe(1);
    await s.planner.tick(T + 15 * H);
    expect(await s.store.listEpisodes({ limit: 5, open: false })).toMatchObject([{ end: T + 2 * H }]);
    // still unresolved: the next episode goes to the same (open) visit
    s.clock.set(T + 20 * H);
    const again = await s.planner.onAlert(alert(T + 20 * H));
    expect(again?.id).toBe(v1?.id);
    await s.store.recordOutcome(v1?.id ?? '', { cause: 'network', result: 'escalated', by: 'zhang', at: T + 21 * H });
    await s.planner.onAlert(alert(T + 20 * H, { endedAt: T + 22 * H }));
    s.clock.set(T + 40 * H);
    const v3 = await s.planner.onAlert(alert(T + 40 * H));
    expect(v3?.id).toBe(`v-longhu-huating-${T + 40 * H}`);
    expect((await s.store.listEpisodes({ limit: 5 })).map((e) => e.start)).toEqual([T, T + 20 * H, T + 40 * H]);
  });

  it('begins a new episode sooner once the crew has reported and the compound has recovered', async () => {
    const v1 = await s.planner.onAlert(alert(T));
    await s.store.recordOutcome(v1?.id ?? '', { cause: 'network', result: 'fixed', by: 'zhang', at: T + H });
    await s.planner.onAlert(alert(T, { endedAt: T + 2 * H }));
    // cold again an hour later: still the same episode (alerts flap; the fix may take a while)
    s.clock.set(T + 3 * H);
    expect((await s.planner.onAlert(alert(T + 3 * H, { ruleId: 'underheat-estimated' })))?.id).toBe(v1?.id);
    await s.planner.onAlert(alert(T + 3 * H, { ruleId: 'underheat-estimated', endedAt: T + 4 * H }));
    // quiet for more than three hours after the outcome: a new cold spell, a new visit
    s.clock.set(T + 8 * H);
    const v2 = await s.planner.onAlert(alert(T + 8 * H));
    expect(v2?.id).toBe(`v-longhu-huating-${T + 8 * H}`);
    expect((await s.store.listEpisodes({ limit: 5 })).map((e) => [e.start, e.end])).toEqual([
      [T, T + 4 * H],
      [T + 8 * H, undefined],
    ]);
    // without an outcome the gap is the full twelve hours
    await s.planner.onAlert(alert(T + 8 * H, { endedAt: T + 9 * H }));
    s.clock.set(T + 14 * H);
    expect((await s.planner.onAlert(alert(T + 14 * H, { ruleId: 'underheat-estimated' })))?.id).toBe(v2?.id);
  });

  it('sends a follow-up visit when it gets worse than the crew saw after it reported', async () => {
    const v1 = await s.planner.onAlert(alert(T));
    await s.store.recordOutcome(v1?.id ?? '', { cause: 'network', result: 'escalated', by: 'zhang', at: T + H });
    s.clock.set(T + 5 * H);
    const worse = { ...alert(T, { severity: 'critical' }), lastSeenAt: T + 5 * H, version: 2 };
    const v2 = await s.planner.onAlert(worse);
    expect(v2).toMatchObject({ id: `v-longhu-huating-${T + 5 * H}`, severity: 'critical', dueAt: T + 5 * H + 2 * H, episodeStart: T });
    expect(await s.store.getEpisode(`ep@longhu-huating@${T}`)).toMatchObject({ visitId: v2?.id, visitAt: T });
    // a new alert no worse than that adds evidence to the open follow-up
    expect((await s.planner.onAlert(alert(T + 6 * H, { ruleId: 'underheat-estimated', severity: 'high' })))?.id).toBe(v2?.id);
    expect((await s.store.list({ limit: 5 })).total).toBe(2);
  });

  it('links complaints that come after a visit, and notes the episode\'s first complaint', async () => {
    const v = await s.planner.onAlert(alert(T));
    const before = makeRecord(1, { receivedAt: T - H });
    expect(await s.planner.onTicket(before)).toBeUndefined();
    const after = makeRecord(2, { receivedAt: T + 2 * H });
    expect(await s.planner.onTicket(after)).toBe(v?.id);
    expect(s.links).toEqual([[after.id, v?.id]]);
    expect((await s.store.get(v?.id ?? ''))?.ticketIds).toEqual([after.id]);
    expect(await s.store.getEpisode(`ep@longhu-huating@${T}`)).toMatchObject({ firstTicketId: after.id, firstTicketAt: T + 2 * H });
    // fees and other compounds' complaints are not linked
    expect(await s.planner.onTicket(makeRecord(3, { receivedAt: T + 3 * H, category: 'heating-other' }))).toBeUndefined();
    expect(await s.planner.onTicket(makeRecord(4, { receivedAt: T + 3 * H, resolution: { compoundId: 'jianshe' } }))).toBeUndefined();
    // long after the visit was issued (and still unresolved): not linked
    expect(await s.planner.onTicket(makeRecord(5, { receivedAt: T + 80 * H }))).toBeUndefined();
  });

  it('ignores alerts that do not mean a cold compound', async () => {
    expect(await s.planner.onAlert(alert(T, { category: 'supply' }))).toBeUndefined();
    expect(await s.planner.onAlert(alert(T, { kind: 'station', entity: 'dexuan' }))).toBeUndefined();
    expect((await s.store.list({ limit: 5 })).total).toBe(0);
    expect(s.planner.stats()).toMatchObject({ episodes: 0, visits: 0, failures: 0 });
  });

  it('resumes after a restart without a second visit for the same episode', async () => {
    const v = await s.planner.onAlert(alert(T));
    const restarted = s.make();
    await restarted.prime([alert(T)]);
    s.clock.set(T + H);
    const again = await restarted.onAlert(alert(T + 30 * 60_000, { ruleId: 'underheat-estimated' }));
    expect(again?.id).toBe(v?.id);
    expect((await s.store.list({ limit: 5 })).total).toBe(1);
    expect(restarted.stats().visits).toBe(0);
  });
});
