// The alerts, incidents and rules routes over real HTTP (listen(0)), on a real engine and the
// DuckDB alert store in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBAlertStore } from '../../rules/alert-store-duckdb';
import { AlertService } from '../../rules/alert-service';
import { createRulesEngine, type RulesEngine } from '../../rules/engine';
import { ManualClock } from '../../domain/clock';
import { MIN, miniNetwork, rule, station, T0 as RT0 } from '../../rules/test-fixtures';
import { startApi, type ApiHarness } from '../testing/api-harness';
import { alertsRoute } from './alerts-route';
import { rulesRoute } from './rules-route';

const lowFlow = rule({
  id: 'low-flow',
  scope: 'station',
  role: 'cause',
  when: { signal: 'flow2', op: 'lt', value: 50 },
  severity: { by: { signal: 'flow2' }, bands: [{ below: 10, level: 'critical' }], otherwise: 'low' },
});
const hotReturn = rule({ id: 'hot-return', scope: 'station', category: 'efficiency', when: { signal: 't2_return', op: 'gt', value: 60 } });

let h: ApiHarness;
let engine: RulesEngine;
let store: DuckDBAlertStore;
/** Operator actions are stamped with the app clock (wall time of the app). */
const clock = new ManualClock(RT0 + 3 * MIN);

const post = (path: string, body: unknown) => fetch(`${h.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${h.base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const enc = encodeURIComponent;
type AlertJson = { id: string; state: string; severity: string; entity: { id: string }; acknowledged?: { by: string; comment?: string }; history: { action: string; by: string }[]; shelvedUntil?: number };

beforeAll(async () => {
  store = new DuckDBAlertStore({ dataDir: ':memory:' });
  await store.open();
  engine = createRulesEngine({ network: miniNetwork(), rules: [lowFlow, hotReturn], alertStore: store, clock, onEvent: () => {}, tuning: { allowedLatenessMs: 0 } });
  const service = new AlertService(engine, store, () => clock.now());
  h = await startApi({ api: { routes: [alertsRoute(service, miniNetwork(), { auth: false }), rulesRoute(engine, { auth: false })] } });
  engine.ingest([
    station('dexuan', RT0, { flow2: 5 }),
    station('xingfu', RT0 + MIN, { flow2: 30 }),
    station('xiyu', RT0 + 2 * MIN, { t2_return: 65 }),
  ]);
  engine.advanceWatermark(RT0 + 2 * MIN);
  await engine.flush();
});

afterAll(async () => {
  await h.close();
  await engine.flush();
  await store.close();
});

describe('alerts API', () => {
  it('lists active alerts newest first with a total, and filters them', async () => {
    const all = await get('/api/alerts');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect((all.body.items as AlertJson[]).map((a) => a.entity.id)).toEqual(['xiyu', 'xingfu', 'dexuan']);
    expect(((await get('/api/alerts?severity=critical')).body.items as AlertJson[]).map((a) => a.entity.id)).toEqual(['dexuan']);
    expect(((await get('/api/alerts?category=efficiency')).body.items as AlertJson[]).map((a) => a.entity.id)).toEqual(['xiyu']);
    expect(((await get('/api/alerts?station=xingfu&rule=low-flow')).body.items as AlertJson[]).map((a) => a.entity.id)).toEqual(['xingfu']);
    const one = await get('/api/alerts?limit=1');
    expect(one.body).toMatchObject({ total: 3 });
    expect(one.body.items).toHaveLength(1);
  });

  it('refuses bad queries naming the field', async () => {
    const bad = await get('/api/alerts?state=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String(bad.body.detail)).toMatch(/^query\.state/);
    expect((await get('/api/alerts?limit=5000')).status).toBe(400);
    expect(await get('/api/alerts?station=nowhere')).toMatchObject({ status: 404, body: { code: 'UNKNOWN_ENTITY' } });
    expect((await get('/api/alerts?colour=red')).status).toBe(400);
  });

  it('summarises worst severity per station for the overview', async () => {
    const s = await get('/api/alerts/summary');
    expect(s.body).toMatchObject({ open: 3, active: 3, bySeverity: { critical: 1, low: 1, high: 1 }, byStation: { dexuan: 'critical', xingfu: 'low', xiyu: 'high' }, byCompound: {} });
  });

  it('gets one alert by its encoded id; unknown is 404, malformed is 400', async () => {
    const id = `low-flow@station/dexuan@${RT0}`;
    expect((await get(`/api/alerts/${enc(id)}`)).body).toMatchObject({ id, state: 'open', severity: 'critical' });
    expect(await get(`/api/alerts/${enc(`low-flow@station/dexuan@${RT0 + 1}`)}`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect((await get('/api/alerts/not-an-id')).status).toBe(400);
  });

  it('acknowledges, comments, shelves and clears; a cleared alert is a 409', async () => {
    const id = enc(`low-flow@station/xingfu@${RT0 + MIN}`);
    const ack = await post(`/api/alerts/${id}/acknowledge`, { by: '张班长', comment: '已派人' });
    expect((await post(`/api/alerts/${id}/comment`, { comment: '  ' })).status).toBe(400);
    expect(ack.status).toBe(200);
    expect((await ack.json()) as AlertJson).toMatchObject({ state: 'acknowledged', acknowledged: { by: '张班长', comment: '已派人' } });
    const c = (await (await post(`/api/alerts/${id}/comment`, { comment: '阀门已开' })).json()) as AlertJson;
    expect(c.history.at(-1)).toMatchObject({ action: 'commented', by: 'operator' });
    const sh = (await (await post(`/api/alerts/${id}/shelve`, { minutes: 30, comment: '' })).json()) as AlertJson;
    expect(sh.history.at(-1)).toMatchObject({ action: 'shelved' });
    expect(sh.history.at(-1)).not.toHaveProperty('comment');
    expect(sh).toMatchObject({ state: 'shelved', shelvedUntil: clock.now() + 30 * MIN });
    const cleared = await post(`/api/alerts/${id}/clear`, { comment: '现场处理完毕' });
    expect(((await cleared.json()) as AlertJson).state).toBe('cleared');
    const again = await post(`/api/alerts/${id}/acknowledge`, {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'CONFLICT' });
    await engine.flush();
    const list = await get('/api/alerts?state=cleared');
    expect((list.body.items as AlertJson[]).map((a) => a.entity.id)).toEqual(['xingfu']);
    expect((await get('/api/alerts?state=active,cleared')).body.total).toBe(3);
    // A comment on a cleared alert is still taken.
    expect((await post(`/api/alerts/${id}/comment`, { comment: '复盘：滤网堵塞' })).status).toBe(200);
  });

  it('validates action bodies and answers 404 for unknown alerts', async () => {
    const id = enc(`low-flow@station/dexuan@${RT0}`);
    const r1 = await post(`/api/alerts/${id}/shelve`, { minutes: 0 });
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { detail: string }).detail).toMatch(/^body\.minutes/);
    expect((await post(`/api/alerts/${id}/shelve`, { minutes: 2000 })).status).toBe(400);
    expect((await post(`/api/alerts/${id}/comment`, {})).status).toBe(400);
    expect((await post(`/api/alerts/${enc(`low-flow@station/xiyu@1`)}/acknowledge`, {})).status).toBe(404);
  });

  it('lists incidents (a station cause with one alert is no incident)', async () => {
    expect((await get('/api/incidents?active=true')).body).toEqual({ items: [] });
    expect((await get('/api/incidents?active=maybe')).status).toBe(400);
  });
});

describe('rules API', () => {
  it('lists rules and disables one, clearing its alerts', async () => {
    const list = (await (await fetch(`${h.base}/api/rules`)).json()) as { id: string; enabled: boolean; name: { zh: string } }[];
    expect(list.map((r) => r.id)).toEqual(['low-flow', 'hot-return']);
    expect(list[0]).toMatchObject({ enabled: true, category: 'equipment', name: { zh: '测试' } });
    const off = await post('/api/rules/hot-return/enabled', { enabled: false });
    expect(await off.json()).toMatchObject({ id: 'hot-return', enabled: false });
    expect(((await get('/api/alerts')).body.items as AlertJson[]).map((a) => a.entity.id)).toEqual(['dexuan']);
    expect((await post('/api/rules/hot-return/enabled', { enabled: 'no' })).status).toBe(400);
    expect((await post('/api/rules/no-such-rule/enabled', { enabled: true })).status).toBe(404);
  });
});
