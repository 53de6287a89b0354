import { describe, expect, it } from 'vitest';
import { bulkCeiling, checkTargets, formatReport, zeroCostIngestBound } from './report';
import type { LatencyResult } from './latency';
import { rates, type ThroughputResult } from './throughput';

const run = (label: string, valuesPerS: number): ThroughputResult => rates(label, 1000, valuesPerS / 10, valuesPerS, { complete: true, stored: valuesPerS });

describe('bench report', () => {
  const throughput = {
    'broker-ceiling': run('broker-ceiling', 300_000),
    'influx-bulk-x1': run('influx-bulk-x1', 200_000),
    'influx-bulk-x2': run('influx-bulk-x2', 250_000),
    'node-red': run('node-red', 20_000),
    'heatwatch-influx': run('heatwatch-influx', 180_000),
    'heatwatch-duckdb': run('heatwatch-duckdb', 120_000),
  };
  const base = {
    startedAt: '2026-11-23T00:00:00Z',
    mode: 'quick' as const,
    durationS: 1,
    machine: { cpus: 2, loadAvgAtStart: [1], loadAvgAtEnd: [1], node: 'v20', memGb: 24 },
    versions: {},
    throughput,
    latency: {},
  };

  it('takes the best bulk run as the InfluxDB ceiling', () => {
    expect(bulkCeiling(throughput)?.label).toBe('influx-bulk-x2');
  });

  it('judges each target against the in-run baseline and says n/a without a measurement', () => {
    const t = checkTargets(base);
    expect(t[0]).toMatchObject({ measured: '9.00×', met: true });
    expect(t[1]).toMatchObject({ measured: '72 %', met: true });
    expect(t[4]).toMatchObject({ met: false });
    expect(t.filter((c) => c.met === undefined)).toHaveLength(t.length - 3);
    const slower = checkTargets({ ...base, throughput: { ...throughput, 'heatwatch-influx': run('heatwatch-influx', 90_000) } });
    expect(slower[0]?.met).toBe(false);
    expect(slower[1]?.met).toBe(false);
  });

  it('compares CPU per value when the runs measured it', () => {
    const withCpu = {
      ...throughput,
      'node-red': { ...throughput['node-red'], cpuS: { 'node-red': 60, influxd: 40 } }, // 100 CPU-s for 20,000 values
      'heatwatch-influx': { ...throughput['heatwatch-influx'], cpuS: { ingest: 0.6, influxd: 0.6, mosquitto: 0.6 } }, // 1.8 for 180,000
      'influx-bulk-x2': { ...throughput['influx-bulk-x2'], cpuS: { influxd: 1 } }, // 1 for 250,000
    };
    const t = checkTargets({ ...base, throughput: withCpu });
    expect(t[2]).toMatchObject({ measured: '500×', met: true });
    expect(t[3]).toMatchObject({ measured: '60 %', met: false });
  });

  it('gives the bound a zero-cost ingester would reach on this box, from the same run\'s CPU', () => {
    const withCpu = {
      ...throughput,
      // 300,000 values: publisher 0.6 + mosquitto 0.9 CPU-s = 5 s/M (the subscriber's 3 s is left out)
      'broker-ceiling': { ...throughput['broker-ceiling'], cpuS: { subscriber: 0.9, publisher: 0.6, mosquitto: 0.9 } },
      // 250,000 values: influxd 0.75 CPU-s = 3 s/M
      'influx-bulk-x2': { ...throughput['influx-bulk-x2'], cpuS: { influxd: 0.75 } },
    };
    expect(zeroCostIngestBound(withCpu, 2)).toBeCloseTo(250_000); // 2 cores / 8 s/M
    const t = checkTargets({ ...base, throughput: withCpu });
    expect(t[1]?.measured).toBe('72 % (bound on this box for an ingester that cost nothing: 100 %)');
    expect(t[4]?.measured).toBe('120,000 /s (MQTT ceiling on this box, a subscriber that only acks: 300,000 /s)');
    expect(zeroCostIngestBound(throughput, 2)).toBeUndefined(); // no CPU measured, no bound
  });

  it('says over how long the peak RSS was measured, with rules when they ran', () => {
    const live = (durationMs: number, peakKb: number): LatencyResult => ({ durationMs, rss: { peakKb }, reading: { p99: 500 }, alert: undefined }) as unknown as LatencyResult;
    const rssOf = (latency: Parameters<typeof checkTargets>[0]['latency']): unknown => checkTargets({ ...base, latency }).find((c) => c.target.startsWith('peak RSS'));
    expect(rssOf({ withRules: live(600_000, 560_000), ingestOnly: live(600_000, 330_000) })).toMatchObject({ target: 'peak RSS < 500 MB (ingest + rules process at that load, 600 s)', met: false });
    expect(rssOf({ ingestOnly: live(60_000, 330_000) })).toMatchObject({ target: 'peak RSS < 500 MB (ingest process at that load, 60 s)', met: true });
    expect(rssOf({})).toMatchObject({ target: 'peak RSS < 500 MB (ingest process at that load)', met: undefined });
  });

  it('prints each figure with its baseline ratio', () => {
    const text = formatReport({ ...base, targets: checkTargets(base), notes: [] });
    expect(text).toMatch(/HeatWatch → InfluxDB\s+18,000\s+180,000\s+9\.00× Node-RED, 72 % of InfluxDB ceiling/);
  });
});
