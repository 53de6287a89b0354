import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { AggregateSeries, GroupedAggregate, ManyQuery, TelemetryStore } from '../store/telemetry-store';
import { analyseSeason } from './season-analysis';
import type { SeasonReport } from './season-model';
import { simulateInto, type SimSeason } from './testing/sim-season';

/** The store with the grouped read the report asks for, answered from the per-entity one. */
function withGroupedReads(inner: TelemetryStore): TelemetryStore & GroupedAggregate & { readonly reads: () => number } {
  let reads = 0;
  return {
    name: inner.name,
    connect: () => inner.connect(),
    write: (b) => inner.write(b),
    query: (q) => inner.query(q),
    aggregate: (q, e) => inner.aggregate(q, e),
    latest: (m, ids) => inner.latest(m, ids),
    close: () => inner.close(),
    reads: () => reads,
    async aggregateMany(q: ManyQuery, everyMs: number): Promise<ReadonlyMap<string, readonly AggregateSeries[]>> {
      reads += 1;
      const out = new Map<string, AggregateSeries[]>();
      for (const id of q.ids) out.set(id, await inner.aggregate({ measurement: q.measurement, id, fields: q.fields, from: q.from, to: q.to }, everyMs));
      return out;
    },
  };
}

describe('season analysis on two simulated days (德轩, 幸福, 和平; season-2024 faults)', () => {
  let report: SeasonReport;
  const progress: number[] = [];
  beforeAll(async () => {
    const store = new MemoryStore({ maxPoints: 10_000_000 });
    await store.connect();
    const sim = await simulateInto(store);
    report = await analyseSeason({ network: sim.network, store, now: () => sim.to }, sim.from, sim.to, { onProgress: (d, t) => progress.push(d / t) });
  }, 60_000);

  it('ranks 龙湖华庭 and 东湖怡园 at the top as hydraulic imbalance', () => {
    const top = report.candidates.slice(0, 2);
    expect(new Set(top.map((c) => c.compoundId))).toEqual(new Set(['longhu-huating', 'donghu-yiyuan']));
    for (const c of top) {
      expect(c.cause).toBe('hydraulic-imbalance');
      expect(c.reasonZh).toContain('德轩');
      expect(c.reasonEn).toContain('hydraulic rebalancing');
    }
  });

  it('measures where sensors exist, estimates elsewhere, and reports station figures', () => {
    const longhu = report.compounds.find((c) => c.id === 'longhu-huating');
    const noSensor = report.compounds.find((c) => c.id === 'lantian-yaju');
    expect(longhu?.indoorMethod).toBe('measured');
    expect(noSensor?.indoorMethod).toBe('estimated');
    expect(longhu?.coldFlowRatio).toBeLessThan(0.75);
    expect(report.hours).toBe(48);
    expect(report.heatingDegreeDays).toBeGreaterThan(20);
    const xingfu = report.stations.find((s) => s.id === 'xingfu');
    expect(xingfu?.pumpStopHours).toBeGreaterThan(0);
    const dexuan = report.stations.find((s) => s.id === 'dexuan');
    expect(dexuan?.pumpStopHours).toBe(0);
    expect(dexuan?.heatGjPerM2).toBeGreaterThan(0);
    expect(report.networks.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
  });

  it('the compounds of a station whose pump tripped rank below the tail end, as station equipment', () => {
    const heping = report.candidates.filter((c) => c.stationId === 'heping');
    expect(heping.length).toBeGreaterThan(0);
    for (const c of heping) {
      expect(c.cause).toBe('station-equipment');
      expect(c.rank).toBeGreaterThan(2);
      expect(c.reasonZh).toMatch(/循环泵停运 [1-9]/);
    }
  });
});

const DAYS = 14;

describe(`season analysis on ${DAYS} simulated days, the second week a cold snap (德轩, 幸福, 和平; season-2024 faults)`, () => {
  let report: SeasonReport;
  let store: MemoryStore;
  let sim: SimSeason;
  beforeAll(async () => {
    store = new MemoryStore({ maxPoints: 50_000_000 });
    await store.connect();
    sim = await simulateInto(store, { days: DAYS });
    report = await analyseSeason({ network: sim.network, store, now: () => sim.to }, sim.from, sim.to);
  }, 60_000);

  it('still ranks the chronic tail end (龙湖华庭, 东湖怡园) on top as hydraulic imbalance, above the pump-trip stations', () => {
    expect(report.hours).toBe(DAYS * 24);
    const top = report.candidates.slice(0, 2);
    expect(new Set(top.map((c) => c.compoundId))).toEqual(new Set(['longhu-huating', 'donghu-yiyuan']));
    for (const c of top) {
      expect(c.cause).toBe('hydraulic-imbalance');
      expect(c.reasonEn).toContain('tail end of');
    }
    const tripped = report.candidates.filter((c) => c.stationId === 'heping' || c.stationId === 'xingfu');
    expect(tripped.length).toBeGreaterThan(0);
    for (const c of tripped) expect(c.score).toBeLessThan((top[1]?.score ?? 0) / 2);
  });

  it('grouped reads (one per kind and window, windows off day bounds) give the same report', async () => {
    const grouped = withGroupedReads(store);
    const again = await analyseSeason({ network: sim.network, store: grouped, now: () => sim.to }, sim.from, sim.to, { readWindowMs: 29 * 3_600_000 });
    // weather, station and compound kinds, each in ceil(336 / 29) windows
    expect(grouped.reads()).toBe(3 * Math.ceil((DAYS * 24) / 29));
    expect(again).toEqual(report);
  });
});
