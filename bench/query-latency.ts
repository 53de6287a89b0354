// Query latency of the dashboard's calls on a stored season (DuckDB), through the real HTTP API
// (the series chart, the station page, the overview) and, for the all-stations daily aggregates,
// through the store port (the product's season report is timed in section 4, season-report.ts).
// Each call: two warm-up calls, then `reps` timed calls on different stations and days (the
// all-stations season report: once).

import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApi } from '../api/create-api';
import type { OverviewDto } from '../api/routes/overview-dto';
import { overviewRoute } from '../api/routes/overview-route';
import { ManualClock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import { createTelemetryBus } from '../domain/telemetry-bus';
import { DuckDBStore } from '../store/duckdb-store';
import type { SeasonDataset } from './season-dataset';
import { summarise, type LatencySummary } from './stats';

export interface QueryTiming extends LatencySummary {
  readonly name: string;
  readonly via: 'http' | 'store';
  /** Points (or rows) in one answer, the last timed one. */
  readonly size: number;
}

const DAY = 86_400_000;

export async function queryLatency(network: NetworkModel, data: SeasonDataset, reps: number, log: (l: string) => void): Promise<QueryTiming[]> {
  const store = new DuckDBStore({ dataDir: data.dir });
  await store.connect();
  const clock = new ManualClock(data.to);
  const api = createApi(
    {
      network,
      store,
      bus: createTelemetryBus(),
      registry: new Registry(),
      clock,
      logger: pino({ level: 'silent' }),
      health: async () => ({ store: { ok: true } }),
    },
    // The overview as the app mounts it (app/start-app.ts), without access control like the rest here.
    { buildWeb: false, routes: [overviewRoute(network, store, clock, { open: true })] },
  );
  const { port } = await api.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const stations = network.stations.map((s) => s.id);
  const days = Math.floor((data.to - data.from) / DAY);
  const mod = (a: number, n: number): number => ((a % n) + n) % n;
  // Warm-up calls pass negative i: other stations and days than the timed ones.
  const pick = (i: number): string => stations[mod(i * 7, stations.length)] as string;
  const dayStart = (i: number): number => data.from + (mod(i * 13, Math.max(1, days - 8)) + 1) * DAY;

  const out: QueryTiming[] = [];
  const time = async (name: string, via: 'http' | 'store', n: number, call: (i: number) => Promise<number>, warmups = 2): Promise<void> => {
    for (let w = 1; w <= warmups; w++) await call(-w);
    const samples: number[] = [];
    let size = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      size = await call(i);
      samples.push(performance.now() - t0);
    }
    const r = { name, via, size, ...summarise(samples) };
    log(`  ${name}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${size} points)`);
    out.push(r);
  };
  const getJson = async (path: string): Promise<unknown> => {
    const res = await fetch(base + path);
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res.json();
  };
  const points = (body: unknown): number => ((body as { series: Array<{ points: unknown[] }> }).series ?? []).reduce((n, s) => n + s.points.length, 0);

  try {
    await time("station day, raw (15 fields)", 'http', reps, async (i) => {
      const from = dayStart(i);
      return points(await getJson(`/api/series?entity=station:${pick(i)}&from=${from}&to=${from + DAY}&every=raw`));
    });
    await time('station week, downsampled (15 fields)', 'http', reps, async (i) => {
      const from = dayStart(i);
      return points(await getJson(`/api/series?entity=station:${pick(i)}&from=${from}&to=${from + 7 * DAY}`));
    });
    await time('station page: latest of station, its compounds, weather', 'http', reps, async (i) => {
      const body = (await getJson(`/api/stations/${pick(i)}`)) as { latest: { station: unknown[]; compounds: Record<string, unknown[]> } };
      return body.latest.station.length + Object.values(body.latest.compounds).reduce((n, l) => n + l.length, 0);
    });
    await time('overview: every station, compound and weather site', 'http', reps, async () => {
      const body = (await getJson('/api/overview')) as OverviewDto;
      return Object.keys(body.stations).length + Object.keys(body.compounds).length + Object.keys(body.weather).length;
    });
    await time('season report, one station: daily mean/min/max of 3 fields', 'http', reps, async (i) =>
      points(await getJson(`/api/series?entity=station:${pick(i)}&fields=heat_gj,t2_supply,t2_return&from=${data.from}&to=${data.to}&every=1d`)),
    );
    // Long (a full scan of the season per station): timed once, after the single-station reports warmed the cache.
    await time(`season report, all ${stations.length} stations (one call each)`, 'store', 1, async () => {
      let n = 0;
      for (const id of stations) {
        const r = await store.aggregate({ measurement: 'station', id, fields: ['heat_gj', 't2_supply', 't2_return'], from: data.from, to: data.to }, DAY);
        n += r.reduce((a, s) => a + s.points.length, 0);
      }
      return n;
    }, 0);
  } finally {
    await api.close();
    await store.close();
  }
  return out;
}
