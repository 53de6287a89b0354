// GET /api/series over real HTTP: validation naming the part and field, raw vs downsampled,
// the per-series cap, and aggregates checked against values computed here from the same data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../../domain/telemetry';
import type { ErrorBodyDto, SeriesResponseDto } from '../dto';
import { MAX_POINTS } from '../series/bucket';
import { startApi, T0, type ApiHarness } from '../testing/api-harness';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** A smooth, known signal: the test recomputes bucket means from it. */
const supply = (t: number): number => 45 + 5 * Math.sin(t / (6 * H));

async function series(h: ApiHarness, query: string): Promise<{ status: number; body: SeriesResponseDto & ErrorBodyDto }> {
  const res = await fetch(`${h.base}/api/series?${query}`);
  return { status: res.status, body: (await res.json()) as SeriesResponseDto & ErrorBodyDto };
}

describe('GET /api/series', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
    // dexuan: one reading a minute for 8 days up to T0; xingfu: one every 10 s over the last day.
    const batch: Metric[] = [];
    for (let t = T0 - 8 * D; t < T0; t += MIN) batch.push({ measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: supply(t), t2_return: supply(t) - 10 }, time: t });
    for (let t = T0 - D; t < T0; t += 10_000) batch.push({ measurement: 'station', tags: { id: 'xingfu' }, fields: { flow2: 80 + (t % 7) }, time: t });
    // pump state: run for the first day, a fault for 30 min, then run again
    for (let t = T0 - D; t < T0; t += MIN) {
      const fault = t >= T0 - 12 * H && t < T0 - 11.5 * H;
      batch.push({ measurement: 'station', tags: { id: 'dexuan' }, fields: { pump_state: fault ? 'fault' : 'run' }, time: t });
    }
    batch.push({ measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s1' }, fields: { t_indoor: 17.5 }, time: T0 - H });
    batch.push({ measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s2' }, fields: { t_indoor: 16.2 }, time: T0 - H });
    await h.store.write(batch);
  });
  afterAll(async () => {
    await h.close();
  });

  it('defaults to the last 24 h by the injected clock and returns raw points when they fit', async () => {
    const { status, body } = await series(h, 'entity=station:dexuan&fields=t2_supply,t2_return');
    expect(status).toBe(200);
    expect(body).toMatchObject({ entity: 'station:dexuan', from: T0 - D, to: T0, every: 'raw', everyMs: null, maxPoints: MAX_POINTS });
    expect(body.series.map((s) => [s.field, s.unit, s.mode])).toEqual([
      ['t2_supply', '°C', 'raw'],
      ['t2_return', '°C', 'raw'],
    ]);
    const pts = body.series[0]?.points ?? [];
    expect(pts).toHaveLength(24 * 60);
    expect(pts[0]).toEqual([T0 - D, supply(T0 - D)]);
  });

  it('accepts ISO-8601 and epoch-ms bounds', async () => {
    const from = new Date(T0 - 2 * H).toISOString();
    const { body } = await series(h, `entity=station:dexuan&fields=t2_supply&from=${from}&to=${T0 - H}`);
    expect(body.from).toBe(T0 - 2 * H);
    expect(body.to).toBe(T0 - H);
    expect(body.series[0]?.points).toHaveLength(60);
  });

  it('downsamples a week into the finest round bucket under the cap, with correct mean/min/max', async () => {
    const { body } = await series(h, `entity=station:dexuan&fields=t2_supply&from=${T0 - 7 * D}&to=${T0}`);
    expect(body.every).toBe('15m'); // 5 min would give 2016 points
    expect(body.everyMs).toBe(15 * MIN);
    const s = body.series[0];
    expect(s?.mode).toBe('mean-min-max');
    expect(s?.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(s?.points.length).toBe(7 * 24 * 4);
    const [t, mean, min, max] = s?.points[10] as [number, number, number, number];
    const values = Array.from({ length: 15 }, (_, i) => supply(t + i * MIN));
    expect(mean).toBeCloseTo(values.reduce((a, v) => a + v, 0) / values.length, 9);
    expect(min).toBeCloseTo(Math.min(...values), 9);
    expect(max).toBeCloseTo(Math.max(...values), 9);
  });

  it('falls back from raw to aggregates when raw data would exceed the cap', async () => {
    const { body } = await series(h, 'entity=station:xingfu&fields=flow2'); // 8640 raw points in 24 h
    expect(body.every).toBe('1m');
    expect(body.requestedEvery).toBeUndefined();
    expect(body.series[0]?.mode).toBe('mean-min-max');
    expect(body.series[0]?.points.length).toBe(1440);
    const explicit = await series(h, 'entity=station:xingfu&fields=flow2&every=raw');
    expect(explicit.body).toMatchObject({ every: '1m', requestedEvery: 'raw' });
  });

  it('honours an explicit every when it fits, and coarsens it (saying so) when it does not', async () => {
    const fits = await series(h, `entity=station:dexuan&fields=t2_supply&from=${T0 - 7 * D}&to=${T0}&every=1h`);
    expect(fits.body).toMatchObject({ every: '1h', everyMs: H });
    expect(fits.body.requestedEvery).toBeUndefined();
    expect(fits.body.series[0]?.points).toHaveLength(7 * 24);
    const capped = await series(h, `entity=station:dexuan&fields=t2_supply&from=${T0 - 7 * D}&to=${T0}&every=1m`);
    expect(capped.body).toMatchObject({ every: '15m', requestedEvery: '1m' });
    expect(capped.body.series[0]?.points.length).toBeLessThanOrEqual(MAX_POINTS);
  });

  it('never exceeds the cap over long ranges either', async () => {
    for (const days of [1.5, 3, 8, 30, 365]) {
      const { status, body } = await series(h, `entity=station:dexuan&fields=t2_supply&from=${T0 - days * D}&to=${T0 + H}`);
      expect(status).toBe(200);
      // issue 2: a chart never receives more than ~2,000 points per series
      for (const s of body.series) expect(s.points.length).toBeLessThanOrEqual(2000);
    }
  });

  it('returns state fields as their changes only', async () => {
    const { body } = await series(h, 'entity=station:dexuan&fields=pump_state');
    expect(body.series).toEqual([
      {
        field: 'pump_state',
        unit: '',
        mode: 'changes',
        points: [
          [T0 - D, 'run'],
          [T0 - 12 * H, 'fault'],
          [T0 - 11.5 * H, 'run'],
        ],
      },
    ]);
  });

  it('returns one series per indoor sensor, or only the asked sensor', async () => {
    const all = await series(h, 'entity=compound:longhu-huating&fields=t_indoor');
    expect(all.body.series.map((s) => [s.sensor, s.points[0]?.[1]])).toEqual([
      ['longhu-huating-s1', 17.5],
      ['longhu-huating-s2', 16.2],
    ]);
    const one = await series(h, 'entity=compound:longhu-huating&fields=t_indoor&sensor=longhu-huating-s2');
    expect(one.body.series.map((s) => s.sensor)).toEqual(['longhu-huating-s2']);
  });

  it('names the part and the field of every bad input', async () => {
    const cases: [string, number, string, RegExp][] = [
      ['fields=t2_supply', 400, 'BAD_REQUEST', /^query\.entity: /],
      ['entity=dexuan&fields=t2_supply', 400, 'BAD_REQUEST', /^query\.entity: .*kind:id/],
      ['entity=station:nowhere&fields=t2_supply', 404, 'UNKNOWN_ENTITY', /^query\.entity: no station with id "nowhere"/],
      ['entity=station:dexuan&fields=t2_supply,t_indoor', 400, 'UNKNOWN_FIELD', /^query\.fields: "t_indoor" not a station field/],
      ['entity=station:dexuan&from=yesterday', 400, 'TIMESTAMP_INVALID', /^query\.from: "yesterday"/],
      [`entity=station:dexuan&from=${T0}&to=${T0 - 1}`, 400, 'BAD_REQUEST', /^query\.from: must be before to/],
      ['entity=station:dexuan&every=5x', 400, 'BAD_REQUEST', /^query\.every: "5x"/],
      ['entity=station:dexuan&every=500', 400, 'BAD_REQUEST', /^query\.every: /],
      ['entity=station:dexuan&to=1&to=2', 400, 'BAD_REQUEST', /^query\.to: /],
      [`entity=station:dexuan&from=0&to=${T0}`, 400, 'BAD_REQUEST', /^query\.from: range is longer than/],
    ];
    for (const [q, status, code, detail] of cases) {
      const r = await series(h, q);
      expect({ q, status: r.status, code: r.body.code }).toEqual({ q, status, code });
      expect(r.body.detail).toMatch(detail);
    }
  });
});
