// `npm run backtest -- --from <ISO> --to <ISO> [--dir <sim output>] [--truth file] …`: what the
// command does, apart from printing (rules/backtest-cli.ts prints). Two sources of history:
//   --dir <folder>   a simulator output folder (telemetry-*.ndjson[.gz], forecast.ndjson, truth.json)
//   (no --dir)       the configured TelemetryStore (HEAT_STORE, HEAT_DATA_DIR, INFLUX_*), via its port
// Readings from `from − warm-up` are replayed so windows and learned responses are filled when the
// window opens; only faults and episodes starting in [from, to) are scored, and only alerts opened
// in it counted. The forecast (dir mode: forecast.ndjson) feeds the prediction rule.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import { loadNetwork } from '../domain/network-loader';
import type { Metric } from '../domain/telemetry';
import { createStore } from '../store/create-store';
import { runBacktest, type BacktestReport } from './backtest';
import { ColdSnapDetector } from './backtest-cold-snap';
import { readDirForecasts, readDirTelemetry, type DirSourceStats } from './backtest-dir-source';
import { formatReport } from './backtest-report';
import { readStoreTelemetry } from './backtest-store-source';
import type { ForecastProvider } from './forecast';
import { loadBuiltinRules, loadRuleDir } from './rule-loader';
import { parseTruth, type GroundTruth } from './truth';

const HOUR = 3_600_000;

export interface BacktestArgs {
  readonly from: number;
  readonly to: number;
  readonly dir: string | undefined;
  readonly truth: string | undefined;
  readonly forecast: string | undefined;
  readonly network: string | undefined;
  readonly rulesDir: string | undefined;
  readonly warmupMs: number;
  readonly json: string | undefined;
}

const USAGE =
  'usage: npm run backtest -- --from <ISO> --to <ISO> [--dir <sim output folder>] [--truth <truth.json>] ' +
  '[--forecast <forecast.ndjson>] [--network <file>] [--rules <folder>] [--warmup-h 48] [--json <report.json>]';

export function parseBacktestArgs(argv: readonly string[]): BacktestArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = argv[i + 1];
    if (!a.startsWith('--') || next === undefined || next.startsWith('--')) throw new HeatError('BAD_REQUEST', `${a || '(nothing)'}: every option takes a value. ${USAGE}`);
    values.set(a.slice(2), next);
    i++;
  }
  const known = new Set(['from', 'to', 'dir', 'truth', 'forecast', 'network', 'rules', 'warmup-h', 'json']);
  for (const k of values.keys()) if (!known.has(k)) throw new HeatError('BAD_REQUEST', `--${k}: unknown option. ${USAGE}`);
  const time = (k: string): number => {
    const v = values.get(k);
    if (v === undefined) throw new HeatError('BAD_REQUEST', `--${k} is required. ${USAGE}`);
    const t = Date.parse(v);
    if (!Number.isFinite(t)) throw new HeatError('BAD_REQUEST', `--${k} ${v}: not an ISO-8601 time`);
    return t;
  };
  const from = time('from');
  const to = time('to');
  if (!(to > from)) throw new HeatError('BAD_REQUEST', `--to must be after --from`);
  const warm = Number(values.get('warmup-h') ?? '48');
  if (!Number.isFinite(warm) || warm < 0) throw new HeatError('BAD_REQUEST', `--warmup-h ${values.get('warmup-h') ?? ''}: not a number of hours ≥ 0`);
  return {
    from,
    to,
    dir: values.get('dir'),
    truth: values.get('truth'),
    forecast: values.get('forecast'),
    network: values.get('network'),
    rulesDir: values.get('rules'),
    warmupMs: warm * HOUR,
    json: values.get('json'),
  };
}

export interface BacktestOutcome {
  readonly report: BacktestReport;
  readonly lines: string[];
  /** Where history, truth and forecast came from, and what the reader refused. */
  readonly sources: { readonly history: string; readonly truth: string | undefined; readonly forecast: string | undefined; readonly rejected: number };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new HeatError('BAD_REQUEST', `${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The network the simulator ran on (manifest.json), else --network, else HEAT_NETWORK. */
function networkFor(a: BacktestArgs, env: Record<string, string | undefined>): NetworkModel {
  if (a.network !== undefined) return loadNetwork(a.network);
  if (a.dir !== undefined && existsSync(join(a.dir, 'manifest.json'))) {
    const m = readJson(join(a.dir, 'manifest.json')) as { network?: unknown };
    if (typeof m.network === 'string' && existsSync(m.network)) return loadNetwork(m.network);
  }
  return loadNetwork(loadConfig(env).HEAT_NETWORK);
}

export async function backtestCommand(a: BacktestArgs, env: Record<string, string | undefined> = process.env): Promise<BacktestOutcome> {
  const network = networkFor(a, env);
  const rules = a.rulesDir === undefined ? loadBuiltinRules() : loadRuleDir(a.rulesDir);
  const replay = { from: a.from - a.warmupMs, to: a.to };
  const truthPath = a.truth ?? (a.dir !== undefined && existsSync(join(a.dir, 'truth.json')) ? join(a.dir, 'truth.json') : undefined);
  const truth: GroundTruth | undefined = truthPath === undefined ? undefined : parseTruth(readJson(truthPath), truthPath);
  const forecastPath = a.forecast ?? (a.dir !== undefined && existsSync(join(a.dir, 'forecast.ndjson')) ? join(a.dir, 'forecast.ndjson') : undefined);
  const forecast: ForecastProvider | undefined = forecastPath === undefined ? undefined : readDirForecasts(forecastPath, replay).provider;

  const dirStats: DirSourceStats = { lines: 0, metrics: 0, rejected: 0, outside: 0 };
  let batches: AsyncIterable<Metric[]>;
  let close = async (): Promise<void> => {};
  let history: string;
  if (a.dir !== undefined) {
    batches = readDirTelemetry(a.dir, network, replay, dirStats);
    history = `folder ${a.dir}`;
  } else {
    const config = loadConfig(env);
    const store = createStore(config);
    await store.connect();
    close = () => store.close();
    batches = readStoreTelemetry({ store, network, from: replay.from, to: replay.to });
    history = `store ${store.name} (${config.HEAT_STORE === 'duckdb' ? config.HEAT_DATA_DIR : config.INFLUX_URL})`;
  }
  const snaps = new ColdSnapDetector();
  async function* tapped(source: AsyncIterable<Metric[]>): AsyncGenerator<Metric[]> {
    for await (const b of source) {
      snaps.observe(b);
      yield b;
    }
  }
  let report: BacktestReport;
  try {
    report = await runBacktest({
      network,
      rules,
      batches: tapped(batches),
      ...(truth === undefined ? {} : { truth }),
      ...(forecast === undefined ? {} : { forecast }),
      score: { window: { from: a.from, to: a.to }, coldSnapAt: (t) => snaps.at(t) },
    });
  } finally {
    await close();
  }
  const lines = [
    `history: ${history}${a.dir !== undefined ? ` (${dirStats.lines} lines, ${dirStats.rejected} refused by the parser)` : ''}; truth: ${truthPath ?? 'none'}; forecast: ${forecastPath ?? 'none (persistence)'}`,
    ...formatReport(report, { from: a.from, to: a.to }),
  ];
  return { report, lines, sources: { history, truth: truthPath, forecast: forecastPath, rejected: dirStats.rejected } };
}
