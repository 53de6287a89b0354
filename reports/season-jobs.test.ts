import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../domain/network-loader';
import { MemoryStore } from '../store/memory-store';
import type { AggregateSeries, SeriesQuery } from '../store/telemetry-store';
import { compareSeasons } from './season-compare';
import { SeasonJobs } from './season-jobs';
import type { CompoundRow, SeasonReport } from './season-model';

const network = loadNetwork('fixtures/networks/mini.json');
const FROM = Date.parse('2025-01-10T00:00:00+08:00');
const TO = FROM + 86_400_000;

class CountingStore extends MemoryStore {
  calls = 0;
  override aggregate(q: SeriesQuery, everyMs: number): Promise<AggregateSeries[]> {
    this.calls += 1;
    return super.aggregate(q, everyMs);
  }
}

describe('season jobs', () => {
  it('cancelling a running job stops it and reports cancelled', async () => {
    const store = new CountingStore();
    await store.connect();
    const jobs = new SeasonJobs({ network, store });
    const job = jobs.start(FROM, TO);
    expect(jobs.cancel(job.id)).toBe(true);
    await job.done;
    expect(jobs.view(job).state).toBe('cancelled');
    // It stopped early: far fewer store reads than entities.
    expect(store.calls).toBeLessThan(network.stations.length + network.compounds.length);
    await expect(jobs.report(FROM, TO)).resolves.toBeDefined(); // a new job replaces the cancelled one
  });

  it('results are cached per range; progress reaches 1', async () => {
    const store = new CountingStore();
    await store.connect();
    const jobs = new SeasonJobs({ network, store });
    const a = await jobs.report(FROM, TO);
    const calls = store.calls;
    const b = await jobs.report(FROM, TO);
    expect(b).toBe(a);
    expect(store.calls).toBe(calls);
    const other = jobs.start(FROM, TO + 3_600_000);
    await other.done;
    expect(other.progress).toBe(1);
    expect(store.calls).toBeGreaterThan(calls);
    expect(() => jobs.start(TO, FROM)).toThrow(/BAD_REQUEST/);
  });
});

describe('season over season', () => {
  const row = (id: string, dh: number, tickets: number): CompoundRow => ({ id, name: id, underheatingDegreeHoursPerHousehold: dh, ticketsPer1000Households: tickets }) as CompoundRow;
  const report = (hdd: number, rows: CompoundRow[]): SeasonReport => ({ from: 0, to: 1, generatedAt: 0, hours: 1, heatingDegreeDays: hdd, compounds: rows, stations: [], networks: [], candidates: [], notes: [] });

  it('normalises by heating degree-days: a colder winter with the same degree-hours is an improvement', () => {
    const c = compareSeasons(report(2000, [row('a', 400, 40), row('b', 0, 0)]), report(2500, [row('a', 100, 10), row('b', 0, 0), row('new', 5, 0)]));
    const a = c.rows.find((r) => r.compoundId === 'a');
    expect(a?.beforeDhPerHdd).toBeCloseTo(0.2, 6);
    expect(a?.afterDhPerHdd).toBeCloseTo(0.04, 6);
    expect(a?.change).toBeCloseTo(-0.8, 6);
    expect(c.rows.find((r) => r.compoundId === 'b')?.change).toBeUndefined();
    expect(c.rows.map((r) => r.compoundId)).toEqual(['a', 'b']);
  });
});

describe('crew scope', () => {
  it('a crew sees only its stations; network totals are left out', async () => {
    const { scopeReport } = await import('./season-scope');
    const store = new MemoryStore();
    await store.connect();
    const r = await new SeasonJobs({ network, store }).report(FROM, TO);
    const s = scopeReport(r, { kind: 'stations', stations: new Set(['xingfu']) });
    expect(new Set(s.compounds.map((c) => c.stationId))).toEqual(new Set(['xingfu']));
    expect(s.stations.map((x) => x.id)).toEqual(['xingfu']);
    expect(s.networks).toEqual([]);
    expect(s.candidates.every((c) => c.stationId === 'xingfu')).toBe(true);
    expect(s.candidates.map((c) => c.rank)).toEqual(s.candidates.map((_c, i) => i + 1));
    expect(scopeReport(r, { kind: 'all' })).toBe(r);
  });
});
