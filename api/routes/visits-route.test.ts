// The visit routes over real HTTP: a proactive visit issued from an alert is listed, read,
// moved along the loop and closed with the crew's outcome; validation through the error
// catalogue; overdue flags against the clock; crews see only their own stations' visits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAlert } from '../../tickets/testing/alert-factory';
import type { VisitDto } from '../../visits/visit-dto';
import { NOW, startClosedLoopApi, type ClosedLoopApiHarness } from '../../visits/testing/closed-loop-api-harness';
import { call } from '../../visits/testing/http';

const H = 3_600_000;

const cold = (compound: string, station: string, openedAt: number, severity: 'low' | 'high' | 'critical' = 'low') =>
  makeAlert({ entity: compound, stationId: station, primaryNetworkId: 'pn1', openedAt, severity, value: severity === 'low' ? 17.2 : 15.1 });

describe('visits API', () => {
  let h: ClosedLoopApiHarness;
  let longhu: VisitDto;
  beforeAll(async () => {
    h = await startClosedLoopApi();
    await h.loop.onAlert(cold('longhu-huating', 'dexuan', NOW - 20 * 60_000));
    h.clock.set(NOW + 10 * 60_000);
    await h.loop.onAlert(cold('xiyu-huayuan', 'xiyu', NOW, 'high'));
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists the visits the planner issued, newest first, with names and deadlines', async () => {
    const r = await call(h.base, 'GET', '/api/visits');
    expect(r.status).toBe(200);
    const items = r.body.items as VisitDto[];
    expect(r.body.total).toBe(2);
    expect(items.map((v) => v.compoundId)).toEqual(['xiyu-huayuan', 'longhu-huating']);
    longhu = items[1] as VisitDto;
    expect(longhu).toMatchObject({
      id: `v-longhu-huating-${NOW - 20 * 60_000}`,
      compoundName: '龙湖华庭',
      stationName: expect.stringContaining('德轩'),
      crew: 'crew-gangcheng',
      tailEnd: true,
      severity: 'low',
      receivedAt: NOW,
      dueAt: NOW + 8 * H,
      overdue: false,
      loop: { stage: 'received', at: { received: NOW }, by: { received: 'system' } },
      timeliness: { dueAt: { dispatched: NOW + 30 * 60_000, resolved: NOW + 8 * H }, overdue: [], late: [] },
    });
    expect(longhu.homes.length).toBeGreaterThan(0);
    expect(longhu.reasons[0]).toMatchObject({ ruleId: 'underheat-indoor', value: 17.2 });
    expect((items[0] as VisitDto).dueAt).toBe(NOW + 10 * 60_000 + 4 * H);
  });

  it('filters by crew, station, compound and status, and pages with a cursor', async () => {
    const ids = async (q: string): Promise<string[]> => ((await call(h.base, 'GET', `/api/visits?${q}`)).body.items as VisitDto[]).map((v) => v.compoundId);
    expect(await ids('crew=crew-gangcheng')).toEqual(['longhu-huating']);
    expect(await ids('station=xiyu')).toEqual(['xiyu-huayuan']);
    expect(await ids('compound=longhu-huating&status=open')).toEqual(['longhu-huating']);
    expect(await ids('status=closed')).toEqual([]);
    const first = await call(h.base, 'GET', '/api/visits?limit=1');
    expect((first.body.items as VisitDto[]).map((v) => v.compoundId)).toEqual(['xiyu-huayuan']);
    const second = await call(h.base, 'GET', `/api/visits?limit=1&cursor=${String(first.body.next)}`);
    expect((second.body.items as VisitDto[]).map((v) => v.compoundId)).toEqual(['longhu-huating']);
    expect(second.body.next).toBeUndefined();
  });

  it('refuses bad queries with the catalogue\'s codes, naming the field', async () => {
    const bad = await call(h.base, 'GET', '/api/visits?status=done');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('query.status') });
    expect((await call(h.base, 'GET', '/api/visits?station=nowhere')).body.code).toBe('UNKNOWN_ENTITY');
    expect((await call(h.base, 'GET', '/api/visits?crew=crew-nobody')).status).toBe(404);
    expect((await call(h.base, 'GET', '/api/visits?limit=501')).status).toBe(400);
    expect((await call(h.base, 'GET', '/api/visits?from=2025-01-02&to=2025-01-01')).body.detail).toContain('query.from');
    expect((await call(h.base, 'GET', '/api/visits?cursor=xyz')).status).toBe(400);
    expect((await call(h.base, 'GET', '/api/visits?bogus=1')).status).toBe(400);
  });

  it('reads one visit; a malformed id is 400, an unknown one 404', async () => {
    const r = await call(h.base, 'GET', `/api/visits/${longhu.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: longhu.id, compoundName: '龙湖华庭' });
    expect((await call(h.base, 'GET', '/api/visits/nope')).status).toBe(400);
    expect((await call(h.base, 'GET', '/api/visits/v-longhu-huating-1')).body.code).toBe('NOT_FOUND');
  });

  it('moves a visit along the loop; resolving needs the outcome; the outcome is recorded once', async () => {
    h.clock.set(NOW + H);
    const d = await call(h.base, 'POST', `/api/visits/${longhu.id}/advance`, { stage: 'dispatched', comment: '已出发', by: 'zhang' });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ loop: { stage: 'dispatched', at: { dispatched: NOW + H }, by: { dispatched: 'zhang' }, notes: [{ stage: 'dispatched', comment: '已出发', by: 'zhang' }] }, timeliness: { late: ['dispatched'] } });
    const early = await call(h.base, 'POST', `/api/visits/${longhu.id}/advance`, { stage: 'supervised' });
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('outcome');
    const badBody = await call(h.base, 'POST', `/api/visits/${longhu.id}/outcome`, { cause: 'pipes', result: 'fixed' });
    expect(badBody).toMatchObject({ status: 400, body: { detail: expect.stringContaining('body.cause') } });
    expect((await call(h.base, 'POST', `/api/visits/${longhu.id}/outcome`, { cause: 'network', result: 'fixed', indoorC: 99 })).body.detail).toContain('body.indoorC');
    h.clock.set(NOW + 2 * H);
    const o = await call(h.base, 'POST', `/api/visits/${longhu.id}/outcome`, { indoorC: 16.8, cause: 'network', result: 'escalated', comment: '末端压差不足，已报换热站', by: 'zhang' });
    expect(o.status).toBe(200);
    expect(o.body).toMatchObject({ outcome: { indoorC: 16.8, cause: 'network', result: 'escalated', by: 'zhang', at: NOW + 2 * H }, loop: { stage: 'resolved' }, overdue: false });
    expect((await call(h.base, 'POST', `/api/visits/${longhu.id}/outcome`, { cause: 'none', result: 'nothing-to-fix' })).status).toBe(409);
    expect((await call(h.base, 'POST', `/api/visits/${longhu.id}/advance`, { stage: 'dispatched' })).status).toBe(409);
    expect((await call(h.base, 'POST', `/api/visits/${longhu.id}/advance`, { stage: 'followed-up', comment: '住户确认室温恢复' })).body).toMatchObject({ loop: { stage: 'followed-up' } });
    expect((await call(h.base, 'GET', '/api/visits?status=closed')).body.total).toBe(1);
  });

  it('flags a visit overdue once its deadline has passed', async () => {
    h.clock.set(NOW + 10 * 60_000 + 5 * H);
    const list = (await call(h.base, 'GET', '/api/visits?compound=xiyu-huayuan')).body.items as VisitDto[];
    expect(list[0]).toMatchObject({ overdue: true, timeliness: { overdue: ['dispatched', 'resolved'] } });
  });
});

describe('visits API with access control', () => {
  let h: ClosedLoopApiHarness;
  beforeAll(async () => {
    h = await startClosedLoopApi({ auth: true });
    await h.loop.onAlert(cold('longhu-huating', 'dexuan', NOW - 20 * 60_000));
    await h.loop.onAlert(cold('jianshe-xq', 'jianshe', NOW - 10 * 60_000));
  });
  afterAll(async () => {
    await h.close();
  });

  it('shows a crew its own stations\' visits only, and records the user as who acted', async () => {
    const gangcheng = { 'x-test-user': 'li:crew:crew-gangcheng' };
    const mine = await call(h.base, 'GET', '/api/visits', undefined, gangcheng);
    expect((mine.body.items as VisitDto[]).map((v) => v.compoundId)).toEqual(['longhu-huating']);
    const other = (await call(h.base, 'GET', '/api/visits', undefined, { 'x-test-user': 'op:operator' })).body.items as VisitDto[];
    expect(other.map((v) => v.compoundId).sort()).toEqual(['jianshe-xq', 'longhu-huating']);
    const jianshe = other.find((v) => v.compoundId === 'jianshe-xq') as VisitDto;
    expect((await call(h.base, 'GET', `/api/visits/${jianshe.id}`, undefined, gangcheng)).status).toBe(404);
    expect((await call(h.base, 'POST', `/api/visits/${jianshe.id}/outcome`, { cause: 'none', result: 'nothing-to-fix' }, gangcheng)).status).toBe(404);
    const longhu = (mine.body.items as VisitDto[])[0] as VisitDto;
    const o = await call(h.base, 'POST', `/api/visits/${longhu.id}/outcome`, { cause: 'in-home', result: 'fixed', by: 'someone-else' }, gangcheng);
    expect(o.body).toMatchObject({ outcome: { by: 'li' }, loop: { by: { resolved: 'li' } } });
    // the bureau reads but may not write
    expect((await call(h.base, 'POST', `/api/visits/${jianshe.id}/advance`, { stage: 'dispatched' }, { 'x-test-user': 'ju:bureau' })).status).toBe(403);
    expect((await call(h.base, 'POST', `/api/visits/${jianshe.id}/advance`, { stage: 'dispatched' })).status).toBe(401);
  });
});
