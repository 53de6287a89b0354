// GET /api/stations/:id/curve and GET /api/overview over real HTTP on the reference store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../domain/clock';
import { loadNetwork } from '../../domain/network-loader';
import type { Metric } from '../../domain/telemetry';
import { MemoryStore } from '../../store/memory-store';
import { MINI_NETWORK, startApi, T0, type ApiHarness } from '../testing/api-harness';
import type { CurveDto, OverviewDto } from './overview-dto';
import { overviewRoute } from './overview-route';
import { curveLine, stationDetailRoute } from './station-detail-route';

const H = 3_600_000;
const network = loadNetwork(MINI_NETWORK);
let h: ApiHarness;

beforeAll(async () => {
  const store = new MemoryStore();
  const clock = new ManualClock(T0);
  h = await startApi({ store, network, api: { routes: [overviewRoute(network, store, clock, { open: true }), stationDetailRoute(network, store, clock, { open: true })] } });
  const batch: Metric[] = [];
  // 48 hours: outdoor from −5 to −15 °C; the station runs 2 K under its curve.
  const curve = network.station('dexuan')?.curve;
  for (let t = T0 - 48 * H; t < T0; t += 10 * 60_000) {
    const out = -10 + 5 * Math.sin((t - T0) / (12 * H));
    batch.push({ measurement: 'weather', tags: { id: 'jyg' }, fields: { t_outdoor: out }, time: t });
    const sp = curve ? curveLine(curve, out, out + 1)[0]?.[1] ?? 50 : 50;
    batch.push({ measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: sp - 2 }, time: t + 30_000 });
  }
  batch.push({ measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s1' }, fields: { t_indoor: 16.2 }, time: T0 - 60_000 });
  await store.write(batch);
});
afterAll(async () => {
  await h.close();
});

describe('compensation curve helper', () => {
  it('draws the clipped curve with its corners', () => {
    const c = { outdoorC: [5, -15] as [number, number], supplyC: [40, 60] as [number, number], minC: 38, maxC: 58 };
    expect(curveLine(c, -20, 10)).toEqual([
      [-20, 58],
      [-13, 58],
      [7, 38],
      [10, 38],
    ]);
  });

  it('pairs outdoor and supply bucket means of the same instants, and draws the curve over them', async () => {
    const res = await fetch(`${h.base}/api/stations/dexuan/curve?from=${T0 - 24 * H}&to=${T0}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as CurveDto;
    expect(body.everyMs).toBe(5 * 60_000);
    // 24 h of 10-minute readings: one pair per reading bucket
    expect(body.points.length).toBeGreaterThan(130);
    expect(body.points.length).toBeLessThanOrEqual(145);
    for (const [x, y] of body.points) {
      const onCurve = curveLine(body.curve, x, x + 1)[0]?.[1] ?? NaN;
      expect(y).toBeCloseTo(onCurve - 2, 0);
    }
    const xs = body.line.map((p) => p[0]);
    expect(Math.min(...xs)).toBeLessThanOrEqual(Math.min(...body.points.map((p) => p[0])));
  });

  it('refuses unknown stations and bad ranges naming the part', async () => {
    const missing = await fetch(`${h.base}/api/stations/nowhere/curve`);
    expect(missing.status).toBe(404);
    const bad = await fetch(`${h.base}/api/stations/dexuan/curve?from=${T0}&to=${T0 - 1}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/^query\.from/);
    expect((await fetch(`${h.base}/api/stations/dexuan/curve?colour=red`)).status).toBe(400);
  });
});

describe('GET /api/overview', () => {
  it('answers the server clock, latest values and the estimate in one request', async () => {
    const body = (await (await fetch(`${h.base}/api/overview`)).json()) as OverviewDto;
    expect(body.now).toBe(T0);
    expect(body.stations.dexuan?.t2_supply).toEqual(expect.any(Number));
    expect(body.compounds['longhu-huating']).toMatchObject({ indoorMin: 16.2, sensors: 1, sensorsBelow18: 1 });
    const lh = network.compound('longhu-huating');
    expect(body.below18).toMatchObject({ households: lh?.households, compounds: 1 });
    expect(body.weather.jyg?.t_outdoor).toEqual(expect.any(Number));
  });

  it('shows nothing to a request without a principal when access control is expected', async () => {
    const store = new MemoryStore();
    const closed = await startApi({ store, network, api: { routes: [overviewRoute(network, store, new ManualClock(T0))] } });
    try {
      const body = (await (await fetch(`${closed.base}/api/overview`)).json()) as OverviewDto;
      expect(body.stations).toEqual({});
      expect(body.below18.totalHouseholds).toBe(0);
    } finally {
      await closed.close();
    }
  });
});
