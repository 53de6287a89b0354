// The API over real HTTP (listen(0)) with the mini network, the memory store and a manual clock.
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import type { TelemetryStore } from '../store/telemetry-store';
import { MemoryStore } from '../store/memory-store';
import type { ErrorBodyDto, HealthDto, NetworkDto, StationDetailDto } from './dto';
import { startApi, T0, type ApiHarness } from './testing/api-harness';

async function get(h: ApiHarness, path: string): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(h.base + path);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics text)
  }
  return { status: res.status, body, headers: res.headers };
}

describe('HTTP API', () => {
  let h: ApiHarness;
  let healthy = true;
  beforeAll(async () => {
    h = await startApi({ health: async () => ({ store: { ok: true }, broker: healthy ? { ok: true } : { ok: false, detail: 'broker unreachable' } }) });
    const readings: Metric[] = [
      { measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 46.5, t2_return: 37.1, pump_state: 'run' }, time: T0 - 120_000 },
      { measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 47.2 }, time: T0 - 60_000 },
      { measurement: 'station', tags: { id: 'xingfu' }, fields: { t2_supply: 41 }, time: T0 - 60_000 },
      { measurement: 'compound', tags: { id: 'longhu-huating' }, fields: { t_supply: 42.3, t_return: 35.4, dp: 18 }, time: T0 - 60_000 },
      { measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s1' }, fields: { t_indoor: 16.8 }, time: T0 - 60_000 },
      { measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s2' }, fields: { t_indoor: 17.9 }, time: T0 - 60_000 },
      { measurement: 'weather', tags: { id: 'jyg' }, fields: { t_outdoor: -12.5 }, time: T0 - 60_000 },
    ];
    await h.store.write(readings);
  });
  afterAll(async () => {
    await h.close();
  });

  it('GET /api/network: stations grouped by network, compounds in hydraulic order with the tail end, field catalogue', async () => {
    const { status, body } = await get(h, '/api/network');
    expect(status).toBe(200);
    const n = body as NetworkDto;
    expect(n.timezone).toBe('Asia/Shanghai');
    expect(n.plants.map((p) => p.id)).toEqual(['hongsheng']);
    expect(n.primaryNetworks.find((p) => p.id === 'pn1')?.stationIds).toEqual(['dexuan', 'xingfu']);
    const dexuan = n.stations.find((s) => s.id === 'dexuan');
    expect(dexuan?.name).toBe('德轩换热站');
    expect(dexuan?.compounds.map((c) => c.id)).toEqual(['dexuan-xq', 'jianshe', 'changsheng', 'longhu-huating', 'donghu-yiyuan']);
    expect(dexuan?.compounds.map((c) => c.order)).toEqual([1, 2, 3, 4, 5]);
    expect(dexuan?.compounds.filter((c) => c.tailEnd).map((c) => c.id)).toEqual(['longhu-huating', 'donghu-yiyuan']);
    expect(dexuan?.households).toBe(dexuan?.compounds.reduce((a, c) => a + c.households, 0));
    expect(dexuan?.pinyin).toEqual(expect.arrayContaining(['dexuanhuanrezhan', 'dxhrz']));
    expect(n.weatherSites.map((w) => w.id)).toEqual(['jyg']);
    expect(n.fields.station.t2_supply).toMatchObject({ unit: '°C', zh: '二次供水温度', en: 'Secondary supply temp.' });
    expect(n.fields.compound.dp?.unit).toBe('kPa');
  });

  it('GET /api/stations/:id: the station, its compounds (tail end marked) and latest values', async () => {
    const { status, body } = await get(h, '/api/stations/dexuan');
    expect(status).toBe(200);
    const d = body as StationDetailDto;
    expect(d.primaryNetwork).toMatchObject({ id: 'pn1', name: '一次网1号线' });
    expect(d.station.compounds.at(-1)).toMatchObject({ id: 'donghu-yiyuan', tailEnd: true, rankFromEnd: 1 });
    const sLatest = Object.fromEntries(d.latest.station.map((v) => [v.field, v]));
    expect(sLatest.t2_supply).toEqual({ field: 't2_supply', value: 47.2, time: T0 - 60_000 });
    expect(sLatest.t2_return?.value).toBe(37.1);
    expect(sLatest.pump_state?.value).toBe('run');
    const lh = d.latest.compounds['longhu-huating'] ?? [];
    expect(lh.filter((v) => v.field === 't_indoor').map((v) => [v.sensor, v.value]).sort()).toEqual([
      ['longhu-huating-s1', 16.8],
      ['longhu-huating-s2', 17.9],
    ]);
    expect(d.latest.compounds['jianshe']).toEqual([]);
    expect(d.latest.weather).toEqual([{ field: 't_outdoor', value: -12.5, time: T0 - 60_000 }]);
    // xingfu's reading does not leak into dexuan
    expect(d.latest.station.every((v) => v.value !== 41)).toBe(true);
  });

  it('unknown station → 404 NOT_FOUND; malformed id → 400 naming params.id', async () => {
    const a = await get(h, '/api/stations/nowhere');
    expect(a.status).toBe(404);
    expect(a.body).toMatchObject({ code: 'NOT_FOUND', message: 'not found' });
    expect((a.body as ErrorBodyDto).detail).toContain('nowhere');
    const b = await get(h, '/api/stations/' + encodeURIComponent('bad id!'));
    expect(b.status).toBe(400);
    expect(b.body).toMatchObject({ code: 'BAD_REQUEST' });
    expect((b.body as ErrorBodyDto).detail).toMatch(/^params\.id: /);
  });

  it('unknown /api path → JSON 404; security headers on every answer; no x-powered-by', async () => {
    const r = await get(h, '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('GET /api/network: gzipped for a client that accepts it, the same JSON inflated for one that does not', async () => {
    const raw = async (encoding: string): Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }> =>
      new Promise((resolve, reject) => {
        httpGet(h.base + '/api/network', { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, bytes: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const gz = await raw('gzip, deflate, br');
    const plain = await raw('identity');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(gunzipSync(gz.bytes).equals(plain.bytes)).toBe(true);
    expect((JSON.parse(plain.bytes.toString('utf8')) as NetworkDto).stations.some((s) => s.id === 'dexuan')).toBe(true);
  });

  it('a JSON body over the limit → 413 PAYLOAD_TOO_LARGE; bad JSON → 400 PAYLOAD_NOT_JSON', async () => {
    const big = await fetch(h.base + '/api/network', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 'a'.repeat(100_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringContaining('body') });
    const bad = await fetch(h.base + '/api/network', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'PAYLOAD_NOT_JSON' });
  });

  it('GET /healthz: 200 when every check is ok, 503 with the failing check otherwise', async () => {
    healthy = true;
    const ok = await get(h, '/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, checks: { store: { ok: true }, broker: { ok: true } } });
    healthy = false;
    const bad = await get(h, '/healthz');
    expect(bad.status).toBe(503);
    expect((bad.body as HealthDto).checks.broker).toEqual({ ok: false, detail: 'broker unreachable' });
    healthy = true;
  });

  it('GET /metrics: Prometheus text with HTTP request counters by route pattern and latency', async () => {
    await get(h, '/api/stations/dexuan');
    await get(h, '/api/stations/nowhere');
    await get(h, '/no-such-file.js');
    await get(h, '/api/no-such-route');
    const { status, body, headers } = await get(h, '/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/plain');
    const text = String(body);
    expect(text).toMatch(/heat_http_requests_total\{method="GET",route="\/api\/stations\/:id",status="200"\} [1-9]/);
    expect(text).toMatch(/heat_http_requests_total\{method="GET",route="\/api\/stations\/:id",status="404"\} [1-9]/);
    expect(text).toContain('heat_http_request_duration_seconds_bucket');
    expect(text).toContain('heat_live_readings_emitted_total');
    expect(text).toContain('heat_live_readings_dropped_total');
    expect(text).toMatch(/heat_http_requests_total\{method="GET",route="static",status="404"\} [1-9]/);
    expect(text).toMatch(/heat_http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
    expect(text).not.toContain('/api/stations/nowhere');
    expect(text).not.toContain('no-such');
  });
});

describe('HTTP API failures', () => {
  it('a failing check that throws → 503; an unexpected store error → 500 INTERNAL without its message or stack', async () => {
    const inner = new MemoryStore();
    const broken: TelemetryStore = {
      name: 'broken',
      connect: () => inner.connect(),
      write: (b) => inner.write(b),
      query: (q) => inner.query(q),
      aggregate: (q, e) => inner.aggregate(q, e),
      latest: async () => {
        throw new Error('secret connection string postgres://u:p@db');
      },
      close: () => inner.close(),
    };
    const h = await startApi({
      store: broken,
      health: async () => {
        throw new Error('health probe crashed');
      },
    });
    try {
      const r = await fetch(h.base + '/api/stations/dexuan');
      expect(r.status).toBe(500);
      const text = await r.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
      expect(text).not.toContain('secret');
      expect(text).not.toMatch(/\bat .*\.ts:\d+/);
      const hz = await fetch(h.base + '/healthz');
      expect(hz.status).toBe(503);
      expect(((await hz.json()) as HealthDto).checks.health?.detail).toBe('health probe crashed');
    } finally {
      await h.close();
    }
  });
});
