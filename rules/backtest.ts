// Backtest core: runs the rules engine over stored history (an async iterable of Metric
// batches, in any batching) exactly as a live run would, then scores the alerts against ground
// truth. The CLI (`npm run backtest`) reads history from the store and prints the report.

import { ManualClock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { Metric } from '../domain/telemetry';
import type { Alert } from './alert';
import { createMemoryAlertStore } from './alert-store-memory';
import { DEFAULT_SCORE_OPTIONS, scoreAlerts, type Score, type ScoreOptions } from './backtest-score';
import { createRulesEngine, type EngineStats, type RulesLogger } from './engine';
import type { EngineTuningInput } from './engine-options';
import type { ForecastProvider } from './forecast';
import type { Incident } from './incident';
import type { RuleDef } from './rule-schema';
import type { GroundTruth } from './truth';

export interface BacktestOptions {
  readonly network: NetworkModel;
  readonly rules: readonly RuleDef[];
  readonly batches: AsyncIterable<readonly Metric[]> | Iterable<readonly Metric[]>;
  readonly truth?: GroundTruth;
  readonly tuning?: EngineTuningInput;
  readonly forecast?: ForecastProvider;
  readonly score?: Partial<ScoreOptions>;
  readonly logger?: RulesLogger;
}

export interface BacktestReport {
  /** Event-time span of the readings replayed. */
  readonly from: number | undefined;
  readonly to: number | undefined;
  /** Every alert raised, in its final state, by opening time. */
  readonly alerts: readonly Alert[];
  readonly incidents: readonly Incident[];
  readonly alertsPerRule: Readonly<Record<string, number>>;
  readonly score: Score | undefined;
  readonly stats: EngineStats;
}

export async function runBacktest(o: BacktestOptions): Promise<BacktestReport> {
  const store = createMemoryAlertStore({ maxAlerts: 1_000_000 });
  await store.open();
  const clock = new ManualClock(0);
  const final = new Map<string, Alert>();
  const engine = createRulesEngine({
    network: o.network,
    rules: o.rules,
    alertStore: store,
    clock,
    onEvent: (e) => {
      if ('alert' in e) final.set(e.alert.id, e.alert);
    },
    ...(o.logger === undefined ? {} : { logger: o.logger }),
    ...(o.forecast === undefined ? {} : { forecast: o.forecast }),
    ...(o.tuning === undefined ? {} : { tuning: o.tuning }),
  });
  let from: number | undefined;
  let to: number | undefined;
  for await (const batch of o.batches) {
    for (const m of batch) {
      if (from === undefined || m.time < from) from = m.time;
      if (to === undefined || m.time > to) to = m.time;
    }
    // Replay: the wall clock follows the data, so nothing wall-clock based fires out of step.
    if (to !== undefined) clock.set(to);
    engine.ingest(batch);
  }
  engine.advanceWatermark(Number.POSITIVE_INFINITY);
  await engine.flush();
  await store.close();
  const alerts = [...final.values()].sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
  const alertsPerRule: Record<string, number> = Object.fromEntries(o.rules.map((r) => [r.id, 0]));
  for (const a of alerts) alertsPerRule[a.ruleId] = (alertsPerRule[a.ruleId] ?? 0) + 1;
  return {
    from,
    to,
    alerts,
    incidents: engine.incidents(),
    alertsPerRule,
    score: o.truth === undefined ? undefined : scoreAlerts(alerts, o.truth, o.rules, o.network, { ...DEFAULT_SCORE_OPTIONS, ...o.score }),
    stats: engine.stats(),
  };
}
