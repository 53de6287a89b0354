// `npm run backtest` on a CI-sized simulator output: a slice of the city with a pump trip, read
// from the folder and from the DuckDB store; the same history gives the same alerts twice and by
// either road, and the trip is scored as found within two scans.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNetwork } from '../domain/network-loader';
import type { NetworkModel } from '../domain/network';
import { runBatch } from '../fixtures/sim/batch';
import { createCity } from '../fixtures/sim/city';
import { parseScenario } from '../fixtures/sim/scenario';
import { jiayuguanFile } from '../fixtures/sim/sub-network';
import { DuckDBStore } from '../store/duckdb-store';
import { backtestCommand, parseBacktestArgs } from './backtest-command';
import { readDirTelemetry } from './backtest-dir-source';

const HOUR = 3_600_000;
const start = Date.parse('2025-01-10T00:00:00+08:00');
const iso = (t: number): string => new Date(t).toISOString();
let dir: string;
let network: NetworkModel;
let networkPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rules-backtest-'));
  const file = jiayuguanFile();
  const keep = new Set(['xingfu', 'dexuan']);
  const stations = file.stations.filter((s) => keep.has(s.id));
  const slice = { ...file, primaryNetworks: file.primaryNetworks.filter((n) => stations.some((s) => s.primaryNetworkId === n.id)), stations, compounds: file.compounds.filter((c) => keep.has(c.stationId)) };
  networkPath = join(dir, 'network.json');
  writeFileSync(networkPath, JSON.stringify(slice));
  network = parseNetwork(slice, networkPath);
  const scenario = parseScenario(
    { version: 1, name: 'ci', faults: [{ id: 'trip', type: 'pump-trip', entity: 'xingfu', start: '+5h', end: '+7h', magnitude: 0 }] },
    network,
    'ci',
    { origin: start },
  );
  const city = createCity({ network, scenario, seed: 3, start, warmupMs: 12 * HOUR });
  await runBatch({ city, end: start + 10 * HOUR, outDir: dir, gzip: false, manifest: { network: networkPath } });
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('backtest command', () => {
  it('scores a pump trip from a simulator folder, and replays identically', async () => {
    const args = parseBacktestArgs(['--from', iso(start + 2 * HOUR), '--to', iso(start + 10 * HOUR), '--dir', dir, '--warmup-h', '2']);
    const a = await backtestCommand(args, { HEAT_NETWORK: networkPath });
    const trip = a.report.score?.byClass.find((c) => c.faultClass === 'pump-trip');
    expect(trip).toMatchObject({ faults: 1, detected: 1, recall: 1 });
    expect(trip?.medianDelayMs).toBeLessThanOrEqual(2 * 60_000);
    expect(trip?.precision).toBe(1);
    expect(a.sources).toMatchObject({ truth: join(dir, 'truth.json'), forecast: join(dir, 'forecast.ndjson'), rejected: 0 });
    expect(a.lines.join('\n')).toMatch(/pump-trip\s+1\s+1\s+1\.00/);
    const b = await backtestCommand(args, { HEAT_NETWORK: networkPath });
    expect(b.report.alerts).toEqual(a.report.alerts);
    expect(b.report.alerts.length).toBeGreaterThan(0);
  }, 120_000);

  it('gives the same alerts from the telemetry store as from the folder', async () => {
    const dataDir = join(dir, 'data');
    const store = new DuckDBStore({ dataDir });
    await store.connect();
    const stats = { lines: 0, metrics: 0, rejected: 0, outside: 0 };
    for await (const batch of readDirTelemetry(dir, network, { from: 0, to: Number.MAX_SAFE_INTEGER }, stats)) await store.write(batch);
    await store.close();
    const argv = ['--from', iso(start + 2 * HOUR), '--to', iso(start + 10 * HOUR), '--warmup-h', '2', '--forecast', join(dir, 'forecast.ndjson'), '--truth', join(dir, 'truth.json')];
    const fromStore = await backtestCommand(parseBacktestArgs(argv), { HEAT_NETWORK: networkPath, HEAT_DATA_DIR: dataDir, HEAT_STORE: 'duckdb' });
    const fromDir = await backtestCommand(parseBacktestArgs([...argv, '--dir', dir]), { HEAT_NETWORK: networkPath });
    expect(fromStore.sources.history).toMatch(/^store duckdb/);
    expect(fromStore.report.alerts).toEqual(fromDir.report.alerts);
    expect(fromStore.report.stats.accepted).toBe(fromDir.report.stats.accepted);
  }, 120_000);

  it('refuses bad arguments with a usage line', () => {
    expect(() => parseBacktestArgs(['--from', 'yesterday', '--to', '2025-01-01'])).toThrowError(/--from yesterday: not an ISO-8601 time/);
    expect(() => parseBacktestArgs(['--from', '2025-01-02', '--to', '2025-01-01'])).toThrowError(/--to must be after --from/);
    expect(() => parseBacktestArgs(['--from', '2025-01-01', '--to', '2025-01-02', '--colour', 'red'])).toThrowError(/--colour: unknown option/);
    expect(() => parseBacktestArgs(['--to', '2025-01-02'])).toThrowError(/--from is required/);
  });
});
