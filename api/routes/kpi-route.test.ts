// The KPI route over real HTTP: figures from tickets, correlation, the loop and visits, grouped
// by day, station and network; validation of the range and the grouping; the permission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAlert } from '../../tickets/testing/alert-factory';
import type { KpiRow } from '../../visits/kpi/compute-kpis';
import { NOW, startClosedLoopApi, type ClosedLoopApiHarness } from '../../visits/testing/closed-loop-api-harness';
import { call } from '../../visits/testing/http';

const H = 3_600_000;
const MIN = 60_000;

describe('KPI API', () => {
  let h: ClosedLoopApiHarness;
  beforeAll(async () => {
    h = await startClosedLoopApi();
    // 龙湖华庭 (德轩) goes cold at 11:00; the crew is sent at once; the first complaint comes at 13:00.
    h.clock.set(NOW - H);
    await h.loop.onAlert(makeAlert({ entity: 'longhu-huating', stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt: NOW - H }));
    h.clock.set(NOW + H);
    const post = (n: number, receivedAt: number, address: string, text = '家中暖气不热，室温15度') =>
      call(h.base, 'POST', '/api/tickets', { externalId: `K-${n}`, receivedAt, text, address, channel: 'phone' });
    await post(1, NOW + H, '嘉峪关市龙湖华庭3号楼2单元501');
    await post(2, NOW + H, '嘉峪关市西域花园2号楼1单元301');
    await post(3, NOW + H, '嘉峪关市西域花园2号楼1单元302', '小区路灯不亮');
    const ids = ((await call(h.base, 'GET', '/api/tickets?limit=10')).body.items as { id: string; externalId: string }[]).filter((t) => t.externalId !== 'K-3');
    h.clock.set(NOW + H + 20 * MIN);
    for (const t of ids) await call(h.base, 'POST', `/api/tickets/${t.id}/advance`, { stage: 'dispatched' });
    h.clock.set(NOW + 5 * H);
    await call(h.base, 'POST', `/api/tickets/${ids[0]?.id}/advance`, { stage: 'resolved' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('reports the last seven days by Shanghai day by default', async () => {
    const r = await call(h.base, 'GET', '/api/kpi');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: NOW + 5 * H - 7 * 24 * H, to: NOW + 5 * H, groupBy: 'day', generatedAt: NOW + 5 * H });
    const total = r.body.total as KpiRow;
    expect(total).toMatchObject({
      key: 'total',
      heatingTickets: 2,
      episodes: 1,
      visitedFirst: 1,
      proactiveRate: 1,
      medianLeadMs: 2 * H,
      visits: 1,
      dispatched: 2,
      medianDispatchMs: 20 * MIN,
      resolved: 1,
      correlated: 2,
      explained: 1,
      explainedShare: 0.5,
    });
    expect(total.ticketsPer10kHouseholds).toBeCloseTo((2 / total.households) * 10_000, 3);
    expect((r.body.rows as KpiRow[]).map((x) => x.key)).toEqual(['2025-01-15']);
  });

  it('groups by station and by primary network', async () => {
    const s = (await call(h.base, 'GET', `/api/kpi?from=${NOW - 24 * H}&to=${NOW + 24 * H}&groupBy=station`)).body.rows as KpiRow[];
    expect(s.map((x) => [x.key, x.heatingTickets, x.episodes, x.explained])).toEqual([
      ['dexuan', 1, 1, 1],
      ['xiyu', 1, 0, 0],
    ]);
    expect(s[0]?.name).toContain('德轩');
    const n = (await call(h.base, 'GET', `/api/kpi?from=${new Date(NOW - 24 * H).toISOString()}&to=${new Date(NOW + 24 * H).toISOString()}&groupBy=network`)).body.rows as KpiRow[];
    expect(n.map((x) => [x.key, x.heatingTickets])).toEqual([['pn1', 2]]);
  });

  it('refuses bad groupings and ranges', async () => {
    expect((await call(h.base, 'GET', '/api/kpi?groupBy=week')).body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('query.groupBy') });
    expect((await call(h.base, 'GET', `/api/kpi?from=${NOW}&to=${NOW - 1}`)).body.detail).toContain('query.from');
    expect((await call(h.base, 'GET', `/api/kpi?from=${NOW - 500 * 24 * H}&to=${NOW}`)).status).toBe(400);
    expect((await call(h.base, 'GET', '/api/kpi?from=yesterday')).body.code).toBe('TIMESTAMP_INVALID');
  });
});

describe('KPI API with access control', () => {
  let h: ClosedLoopApiHarness;
  beforeAll(async () => {
    h = await startClosedLoopApi({ auth: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is for the bureau, operators and admins, not crews', async () => {
    expect((await call(h.base, 'GET', '/api/kpi', undefined, { 'x-test-user': 'ju:bureau' })).status).toBe(200);
    expect((await call(h.base, 'GET', '/api/kpi', undefined, { 'x-test-user': 'li:crew:crew-gangcheng' })).status).toBe(403);
    expect((await call(h.base, 'GET', '/api/kpi')).status).toBe(401);
  });
});
