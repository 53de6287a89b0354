import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import { analyseSeason } from './season-analysis';
import type { SeasonReport } from './season-model';
import { simulateInto } from './testing/sim-season';

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
