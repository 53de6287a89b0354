import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock';
import { miniNetwork } from '../../rules/test-fixtures';
import { MemoryTicketStore } from '../memory-ticket-store';
import { makeAlert } from '../testing/alert-factory';
import { makeRecord, T0 } from '../testing/ticket-factory';
import type { TicketRecord } from '../ticket-model';
import { TicketCorrelator } from './correlator';

const H = 3_600_000;
const net = miniNetwork();
const logger = pino({ level: 'silent' });

function setup() {
  const store = new MemoryTicketStore();
  const clock = new ManualClock(T0);
  const surges: string[] = [];
  const correlator = new TicketCorrelator({
    network: net,
    store,
    clock,
    logger,
    window: { beforeMs: 24 * H, afterMs: 2 * H },
    clusters: { windowMs: 6 * H, minTickets: 3 },
    surge: { windowMs: 6 * H, pAlarm: 1e-4, minCount: 3 },
    onSurge: (w) => surges.push(w.id),
  });
  return { store, clock, correlator, surges };
}

const longhu = (openedAt: number, endedAt?: number) =>
  makeAlert({ entity: 'longhu-huating', stationId: 'dexuan', primaryNetworkId: 'pn1', crew: 'crew-gangcheng', openedAt, ...(endedAt !== undefined ? { endedAt } : {}) });

async function intake(s: ReturnType<typeof setup>, t: TicketRecord): Promise<void> {
  s.clock.set(Math.max(s.clock.now(), t.receivedAt));
  await s.store.add([t]);
  await s.correlator.onTicket(t);
}

describe('TicketCorrelator', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.store.connect();
  });

  it('writes the verdict of a new ticket to the store', async () => {
    await s.correlator.onAlert(longhu(T0 - 3 * H));
    const t = makeRecord(0, { receivedAt: T0 });
    await intake(s, t);
    expect((await s.store.get(t.id))?.correlation).toMatchObject({ verdict: 'explained', alert: { alertId: longhu(T0 - 3 * H).id } });
    const other = makeRecord(1, { receivedAt: T0, resolution: { compoundId: 'xiyu-huayuan', stationId: 'xiyu', primaryNetworkId: 'pn2' } });
    await intake(s, other);
    expect((await s.store.get(other.id))?.correlation?.verdict).toBe('unexplained');
  });

  it('explains a ticket when an alert opens after it, within the window, and not later', async () => {
    const t = makeRecord(0, { receivedAt: T0 });
    await intake(s, t);
    expect((await s.store.get(t.id))?.correlation?.verdict).toBe('unexplained');
    s.clock.set(T0 + 3 * H);
    expect(await s.correlator.onAlert(longhu(T0 + 90 * 60_000))).toBe(1);
    expect((await s.store.get(t.id))?.correlation).toMatchObject({ verdict: 'explained', alert: { level: 'compound' } });

    const u = makeRecord(1, { receivedAt: T0 + 10 * H, resolution: { compoundId: 'donghu-yiyuan' } });
    await intake(s, u);
    await s.correlator.onAlert(makeAlert({ entity: 'donghu-yiyuan', stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt: T0 + 13 * H }));
    expect((await s.store.get(u.id))?.correlation?.verdict).toBe('unexplained');
  });

  it('re-explains the tickets under a station or network alert, and records when the alert ended', async () => {
    const a = makeRecord(0, { receivedAt: T0 });
    const b = makeRecord(1, { receivedAt: T0 + H, resolution: { compoundId: 'jianshe' } });
    await intake(s, a);
    await intake(s, b);
    const trip = makeAlert({ ruleId: 'pump-trip', category: 'equipment', role: 'cause', kind: 'station', entity: 'dexuan', stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt: T0 + 30 * 60_000 });
    expect(await s.correlator.onAlert(trip)).toBe(2);
    expect((await s.store.get(b.id))?.correlation?.alert).toMatchObject({ level: 'station', ruleId: 'pump-trip' });
    expect((await s.store.get(b.id))?.correlation?.alert?.endedAt).toBeUndefined();
    await s.correlator.onAlert({ ...trip, active: false, returnedAt: T0 + 4 * H, version: 2 });
    expect((await s.store.get(b.id))?.correlation?.alert?.endedAt).toBe(T0 + 4 * H);
  });

  it('groups close tickets into an incident and marks the earlier ones too', async () => {
    const ts = [0, 1, 2].map((k) => makeRecord(k, { receivedAt: T0 + k * H }));
    for (const t of ts) await intake(s, t);
    const ids = await Promise.all(ts.map(async (t) => (await s.store.get(t.id))?.correlation?.clusterId));
    expect(ids).toEqual([`tc@dexuan@${T0}`, `tc@dexuan@${T0}`, `tc@dexuan@${T0}`]);
    expect(s.correlator.clusters()).toMatchObject([{ id: `tc@dexuan@${T0}`, count: 3, level: 'compound' }]);
    // three complaints in three hours from 240 households: a surge against a cold-season prior
    expect(s.surges.length).toBeGreaterThan(0);
  });

  it('correlates a ticket once a person has placed it', async () => {
    const t = makeRecord(0, { receivedAt: T0, resolution: { review: 'needs-review', compoundId: undefined, stationId: undefined } });
    await s.correlator.onAlert(longhu(T0 - H));
    await intake(s, t);
    expect((await s.store.get(t.id))?.correlation?.verdict).toBe('unplaced');
    const placed = await s.store.setResolution(t.id, { ...makeRecord(0).resolution, review: 'confirmed', confidence: 1, method: 'human' });
    await s.correlator.onTicket(placed);
    expect((await s.store.get(t.id))?.correlation?.verdict).toBe('explained');
  });

  it('resumes after a restart from the stored tickets and alerts', async () => {
    const t = makeRecord(0, { receivedAt: T0 });
    await intake(s, t);
    const again = new TicketCorrelator({
      network: net,
      store: s.store,
      clock: s.clock,
      logger,
      window: { beforeMs: 24 * H, afterMs: 2 * H },
      clusters: { windowMs: 6 * H, minTickets: 3 },
      surge: { windowMs: 6 * H, pAlarm: 1e-4, minCount: 3 },
    });
    await again.prime((await s.store.list({ limit: 100 })).items, [longhu(T0 + H)]);
    expect((await s.store.get(t.id))?.correlation?.verdict).toBe('explained');
    expect(again.stats()).toMatchObject({ tickets: 1, alerts: 1, failures: 0 });
  });

  it('judges a ticket that arrives long after the fact against the alert history, or leaves it alone', async () => {
    s.clock.set(T0 + 30 * 24 * H);
    const old = makeRecord(0, { receivedAt: T0 });
    await s.store.add([old]);
    expect(await s.correlator.onTicket(old)).toBeUndefined();
    expect((await s.store.get(old.id))?.correlation).toBeUndefined();
    expect(s.correlator.stats().skippedOld).toBe(1);
    const asked: [string, number, number][] = [];
    const withHistory = new TicketCorrelator({
      network: net,
      store: s.store,
      clock: s.clock,
      logger,
      window: { beforeMs: 24 * H, afterMs: 2 * H },
      clusters: { windowMs: 6 * H, minTickets: 3 },
      surge: { windowMs: 6 * H, pAlarm: 1e-4, minCount: 3 },
      alertHistory: async (p, from, to) => (asked.push([p.stationId, from, to]), [longhu(T0 - 5 * H, T0 + H)]),
    });
    expect(await withHistory.onTicket(old)).toMatchObject({ verdict: 'explained', alert: { endedAt: T0 + H } });
    expect(asked).toEqual([['dexuan', T0 - 24 * H, T0 + 2 * H]]);
    expect(withHistory.stats().tickets).toBe(0); // judged once, not kept for re-evaluation
  });

  it('forgets tickets past re-evaluation: a late alert no longer changes them', async () => {
    const t = makeRecord(0, { receivedAt: T0 });
    await intake(s, t);
    s.clock.set(T0 + 20 * H);
    await s.correlator.onAlert(longhu(T0 + H));
    expect((await s.store.get(t.id))?.correlation?.verdict).toBe('unexplained');
    expect(s.correlator.stats().tickets).toBe(0);
  });
});
