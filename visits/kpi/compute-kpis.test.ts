import { describe, expect, it } from 'vitest';
import { miniNetwork } from '../../rules/test-fixtures';
import { makeRecord } from '../../tickets/testing/ticket-factory';
import type { Correlation, TicketRecord } from '../../tickets/ticket-model';
import { makeEpisode, makeVisit } from '../testing/visit-factory';
import { computeKpis, medianOf, shanghaiDay } from './compute-kpis';

const H = 3_600_000;
const DAY1 = Date.parse('2025-01-15T00:00:00+08:00');
const DAY2 = DAY1 + 24 * H;
const net = miniNetwork(); // 8 compounds of 240 households; 德轩 has 5 (pn1), 幸福 2 (pn1), 西域 1 (pn2)

const corr = (verdict: Correlation['verdict']): Correlation => ({ verdict, also: [], suggestion: verdict === 'explained' ? 'network' : 'visit-flat', windowFrom: 0, windowTo: 0, evaluatedAt: 0 });
const at = (t: TicketRecord, o: Partial<TicketRecord>): TicketRecord => ({ ...t, ...o });

const tickets: TicketRecord[] = [
  at(makeRecord(1, { receivedAt: DAY1 + H }), { loop: { stage: 'resolved', at: { received: DAY1 + H, dispatched: DAY1 + H + 10 * 60_000, resolved: DAY1 + 5 * H } }, correlation: corr('explained') }),
  at(makeRecord(2, { receivedAt: DAY1 + 2 * H }), { loop: { stage: 'dispatched', at: { received: DAY1 + 2 * H, dispatched: DAY1 + 2 * H + 30 * 60_000 } }, correlation: corr('unexplained') }),
  at(makeRecord(3, { receivedAt: DAY1 + 3 * H, resolution: { compoundId: 'xiyu-huayuan', stationId: 'xiyu', primaryNetworkId: 'pn2' } }), { correlation: corr('unexplained') }),
  makeRecord(4, { receivedAt: DAY2 + H, category: 'non-heating' }),
  at(makeRecord(5, { receivedAt: DAY2 + 2 * H, resolution: { review: 'needs-review', compoundId: undefined, stationId: undefined } }), { correlation: corr('unplaced') }),
];
const episodes = [
  makeEpisode(0, { start: DAY1 + H, visitId: 'v1', visitAt: DAY1 + 2 * H, firstTicketAt: DAY1 + 5 * H }), // visited first, lead 3 h
  makeEpisode(0, { compoundId: 'donghu-yiyuan', start: DAY1 + 2 * H, visitId: 'v2', visitAt: DAY1 + 2 * H }), // visited, no complaint
  makeEpisode(0, { compoundId: 'jianshe', start: DAY1 + 3 * H, ticketFirst: true, firstTicketAt: DAY1 }), // complaint first
  makeEpisode(0, { compoundId: 'xiyu-huayuan', stationId: 'xiyu', start: DAY2, visitId: 'v3', visitAt: DAY2 + 2 * H, firstTicketAt: DAY2 + H }), // visit too late
  makeEpisode(0, { compoundId: 'changsheng', start: DAY2, underheating: false, visitId: 'v4', visitAt: DAY2 }), // only predicted: not an episode
];
const visits = [makeVisit(0, { receivedAt: DAY1 + 2 * H }), makeVisit(0, { compoundId: 'donghu-yiyuan', receivedAt: DAY1 + 2 * H }), makeVisit(0, { compoundId: 'xiyu-huayuan', stationId: 'xiyu', receivedAt: DAY2 + 2 * H })];

describe('computeKpis', () => {
  it('counts the whole range in the total', () => {
    const r = computeKpis({ network: net, groupBy: 'day', tickets, visits, episodes });
    expect(r.total).toMatchObject({
      key: 'total',
      households: 1920,
      heatingTickets: 4,
      ticketsPer10kHouseholds: 20.833,
      episodes: 4,
      visitedFirst: 2,
      ticketFirst: 1,
      proactiveRate: 0.5,
      medianLeadMs: 3 * H,
      visits: 3,
      dispatched: 2,
      medianDispatchMs: 20 * 60_000,
      resolved: 1,
      medianResolveMs: 4 * H,
      correlated: 3,
      explained: 1,
      explainedShare: 0.3333,
    });
  });

  it('groups by Shanghai day', () => {
    const r = computeKpis({ network: net, groupBy: 'day', tickets, visits, episodes });
    expect(r.rows.map((x) => [x.key, x.heatingTickets, x.episodes, x.visitedFirst, x.visits])).toEqual([
      ['2025-01-15', 3, 3, 2, 2],
      ['2025-01-16', 1, 1, 0, 1],
    ]);
  });

  it('groups by station and network with their own households; unplaced tickets only in the total', () => {
    const s = computeKpis({ network: net, groupBy: 'station', tickets, visits, episodes });
    expect(s.rows.map((x) => [x.key, x.households, x.heatingTickets, x.ticketsPer10kHouseholds, x.proactiveRate])).toEqual([
      ['dexuan', 1200, 2, 16.667, 0.6667],
      ['xiyu', 240, 1, 41.667, 0],
    ]);
    const n = computeKpis({ network: net, groupBy: 'network', tickets, visits, episodes });
    expect(n.rows.map((x) => [x.key, x.households, x.heatingTickets, x.explainedShare])).toEqual([
      ['pn1', 1680, 2, 0.5],
      ['pn2', 240, 1, 0],
    ]);
  });

  it('has helpers that behave', () => {
    expect(medianOf([])).toBeNull();
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 2, 3])).toBe(2.5);
    expect(shanghaiDay(Date.parse('2025-01-15T16:30:00Z'))).toBe('2025-01-16');
  });
});
