// The ticket side of the closed loop over real HTTP: a complaint explained by an alert (also when
// the alert comes after it), the verdict filter, moves along 受理—分流—化解—督办—回访 with who and
// why, overdue flags, ticket incidents and complaint surges, and the visit link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketCluster } from '../../tickets/correlation/ticket-clusters';
import type { SurgeWarning } from '../../tickets/correlation/ticket-surge';
import { makeAlert } from '../../tickets/testing/alert-factory';
import type { TicketDto } from '../../tickets/ticket-dto';
import { NOW, startClosedLoopApi, type ClosedLoopApiHarness } from '../../visits/testing/closed-loop-api-harness';
import { call } from '../../visits/testing/http';

const H = 3_600_000;
const MIN = 60_000;
let seq = 0;
function ticket(o: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    externalId: `JYG20250115-${String(seq).padStart(6, '0')}`,
    receivedAt: NOW - 60 * MIN + seq * MIN,
    text: '来电人反映：家中暖气不热，室温只有15度，要求尽快处理。',
    address: '嘉峪关市龙湖华庭3号楼2单元501',
    callerPhone: '13812345678',
    channel: 'phone',
    ...o,
  };
}

async function post(h: ClosedLoopApiHarness, body: Record<string, unknown>): Promise<TicketDto> {
  const r = await call(h.base, 'POST', '/api/tickets', body);
  expect(r.status).toBe(201);
  return r.body.ticket as TicketDto;
}

describe('tickets: correlation and the closed loop', () => {
  let h: ClosedLoopApiHarness;
  beforeAll(async () => {
    h = await startClosedLoopApi();
  });
  afterAll(async () => {
    await h.close();
  });

  it('explains a complaint by the alert of its compound, even one that opens after it', async () => {
    const t = await post(h, ticket());
    const before = (await call(h.base, 'GET', `/api/tickets/${t.id}`)).body as unknown as TicketDto;
    expect(before.correlation).toMatchObject({ verdict: 'unexplained', suggestion: 'visit-flat', windowFrom: (t.receivedAt as number) - 24 * H, windowTo: (t.receivedAt as number) + 2 * H });
    const alert = makeAlert({ entity: 'longhu-huating', stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt: (t.receivedAt as number) + 40 * MIN });
    await h.loop.onAlert(alert);
    const after = (await call(h.base, 'GET', `/api/tickets/${t.id}`)).body as unknown as TicketDto;
    expect(after.correlation).toMatchObject({ verdict: 'explained', suggestion: 'network', alert: { alertId: alert.id, ruleId: 'underheat-indoor', level: 'compound' } });
    // a complaint was already open when the alert opened: the crew is going anyway, no proactive visit
    expect((await call(h.base, 'GET', '/api/visits')).body.total).toBe(0);
    const leak = await post(h, ticket({ text: '家里暖气片漏水，地板都湿了', address: '嘉峪关市西域花园2号楼1单元301' }));
    expect((await call(h.base, 'GET', `/api/tickets/${leak.id}`)).body).toMatchObject({ category: 'heating-leak', correlation: { verdict: 'unexplained' } });
    const explained = (await call(h.base, 'GET', '/api/tickets?verdict=explained')).body.items as TicketDto[];
    expect(explained.map((x) => x.id)).toEqual([t.id]);
    expect((await call(h.base, 'GET', '/api/tickets?verdict=maybe')).status).toBe(400);
  });

  it('moves a ticket along the loop with who and why, and flags what is overdue', async () => {
    const t = await post(h, ticket({ address: '嘉峪关市东湖怡园1号楼1单元101' }));
    const fresh = (await call(h.base, 'GET', `/api/tickets/${t.id}`)).body as unknown as TicketDto;
    expect(fresh.timeliness).toMatchObject({ overdue: ['dispatched'], dueAt: { dispatched: (t.receivedAt as number) + 30 * MIN } });
    const d = await call(h.base, 'POST', `/api/tickets/${t.id}/advance`, { stage: 'dispatched', comment: '转德轩站运行班组', by: 'wang' });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ loop: { stage: 'dispatched', at: { dispatched: NOW }, by: { dispatched: 'wang' }, notes: [{ stage: 'dispatched', by: 'wang', comment: '转德轩站运行班组' }] }, timeliness: { late: ['dispatched'], overdue: [] } });
    expect((await call(h.base, 'POST', `/api/tickets/${t.id}/advance`, { stage: 'dispatched' })).status).toBe(409);
    expect((await call(h.base, 'POST', `/api/tickets/${t.id}/advance`, { stage: 'received' })).body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('body.stage') });
    expect((await call(h.base, 'POST', '/api/tickets/t00000000000000000000/advance', { stage: 'resolved' })).status).toBe(404);
    h.clock.set(NOW + 25 * H);
    expect(((await call(h.base, 'GET', `/api/tickets/${t.id}`)).body as unknown as TicketDto).timeliness?.overdue).toEqual(['resolved']);
    const r = await call(h.base, 'POST', `/api/tickets/${t.id}/advance`, { stage: 'resolved' });
    expect(r.body).toMatchObject({ loop: { stage: 'resolved', by: { dispatched: 'wang', resolved: 'operator' } }, timeliness: { late: ['dispatched', 'resolved'] } });
    h.clock.set(NOW);
  });

  it('groups close complaints into an incident and warns of a surge', async () => {
    const times = [0, 20, 40, 60].map((m) => NOW + 2 * H + m * MIN);
    for (const receivedAt of times) await post(h, ticket({ receivedAt, address: '嘉峪关市建设小区2号楼1单元601' }));
    const inc = (await call(h.base, 'GET', '/api/tickets/incidents')).body.items as TicketCluster[];
    const jianshe = inc.find((c) => c.compoundIds.includes('jianshe-xq'));
    expect(jianshe).toMatchObject({ level: 'compound', stationId: 'jianshe', count: 4 });
    const surges = (await call(h.base, 'GET', '/api/tickets/surges?state=open')).body.items as SurgeWarning[];
    expect(surges.find((w) => w.level === 'compound' && w.entityId === 'jianshe-xq')).toMatchObject({ indoorSensors: 0, state: 'open' });
    expect((await call(h.base, 'GET', `/api/tickets/incidents?since=${NOW + 10 * H}`)).body.items).toEqual([]);
    expect((await call(h.base, 'GET', '/api/tickets/surges?state=maybe')).status).toBe(400);
    // a ticket of the incident carries its id
    const one = ((await call(h.base, 'GET', '/api/tickets?compound=jianshe-xq&limit=1')).body.items as TicketDto[])[0];
    expect(one?.correlation?.clusterId).toBe(jianshe?.id);
  });

  it('links a complaint that follows a proactive visit to it', async () => {
    h.clock.set(NOW + 3 * H);
    await h.loop.onAlert(makeAlert({ entity: 'xiyu-huayuan', stationId: 'xiyu', primaryNetworkId: 'pn1', openedAt: NOW + 3 * H - 10 * MIN }));
    const visitId = `v-xiyu-huayuan-${NOW + 3 * H - 10 * MIN}`;
    expect((await call(h.base, 'GET', `/api/visits/${visitId}`)).status).toBe(200);
    const t = await post(h, ticket({ receivedAt: NOW + 4 * H, address: '嘉峪关市西域花园5号楼1单元601' }));
    const got = (await call(h.base, 'GET', `/api/tickets/${t.id}`)).body as unknown as TicketDto;
    expect(got.visitId).toBe(visitId);
    expect(got.correlation?.verdict).toBe('explained');
    expect(((await call(h.base, 'GET', `/api/visits/${visitId}`)).body as { ticketIds: string[] }).ticketIds).toEqual([t.id]);
    expect(((await call(h.base, 'GET', `/api/tickets?visit=${visitId}`)).body.items as TicketDto[]).map((x) => x.id)).toEqual([t.id]);
  });
});
