// The rules engine's self-metrics on /metrics, read from engine.stats() when Prometheus scrapes
// (no work on the hot path), plus the time each live batch takes (observed by the live wiring).

import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Clock } from '../domain/clock';
import type { RulesEngine } from './engine';

export interface RulesMetrics {
  /** Seconds one ingest() call took, and how many readings it carried. */
  observeIngest(seconds: number): void;
}

export function registerRulesMetrics(registry: Registry, engine: Pick<RulesEngine, 'stats' | 'alerts' | 'watermark'>, clock: Clock): RulesMetrics {
  const gauge = (name: string, help: string, read: () => number, labelNames: string[] = []): void => {
    if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  };
  gauge('heat_rules_readings_accepted_total', 'Readings the rules engine took in (event time)', () => engine.stats().accepted);
  gauge('heat_rules_readings_late_total', 'Readings dropped as older than the watermark (counted and logged)', () => engine.stats().late);
  gauge('heat_rules_readings_unknown_total', 'Readings of entities or fields the engine does not know', () => engine.stats().unknownEntity + engine.stats().unknownField);
  gauge('heat_rules_readings_future_total', 'Readings refused as too far in the future of the clock', () => engine.stats().future);
  gauge('heat_rules_pending_readings', 'Readings waiting in the reorder buffer for the watermark', () => engine.stats().pending);
  gauge('heat_rules_instants_total', 'Instants of event time evaluated', () => engine.stats().instants);
  gauge('heat_rules_evaluations_total', 'Rule evaluations (rule × entity × instant)', () => engine.stats().evaluations);
  gauge('heat_rules_forced_advances_total', 'Watermark forced forward because the reorder buffer was full', () => engine.stats().forcedAdvances);
  gauge('heat_rules_live_alerts', 'Alerts not cleared', () => engine.stats().liveAlerts);
  gauge('heat_rules_open_incidents', 'Incidents open', () => engine.stats().openIncidents);
  gauge('heat_rules_store_write_failures_total', 'Alert store writes that failed (logged)', () => engine.stats().storeWriteFailures);
  gauge('heat_rules_event_listener_errors_total', 'Notification listeners that threw (logged)', () => engine.stats().eventListenerErrors);
  gauge('heat_rules_window_overflow_total', 'Samples merged because a rolling window was full', () => engine.stats().windowOverflow);
  gauge('heat_rules_watermark_lag_seconds', 'App clock minus the event-time watermark', () => {
    const w = engine.watermark();
    return Number.isFinite(w) ? (clock.now() - w) / 1000 : 0;
  });
  const byRule = 'heat_rules_alerts_live';
  if (registry.getSingleMetric(byRule) !== undefined) registry.removeSingleMetric(byRule);
  new Gauge({
    name: byRule,
    help: 'Alerts not cleared, by rule and state',
    labelNames: ['rule', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const a of engine.alerts()) counts.set(`${a.ruleId}|${a.state}`, (counts.get(`${a.ruleId}|${a.state}`) ?? 0) + 1);
      for (const [k, n] of counts) {
        const [rule = '', state = ''] = k.split('|');
        this.set({ rule, state }, n);
      }
    },
  });
  const hist = (registry.getSingleMetric('heat_rules_ingest_seconds') as Histogram | undefined) ??
    new Histogram({ name: 'heat_rules_ingest_seconds', help: 'Time the rules engine took per live telemetry batch', buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], registers: [registry] });
  return { observeIngest: (s) => hist.observe(s) };
}

/** The engine with every `ingest` timed into the rules histogram (the wiring hands this one to attachLive). */
export function timedIngest(engine: RulesEngine, metrics: RulesMetrics): RulesEngine {
  return {
    ...engine,
    ingest: (batch) => {
      const t0 = performance.now();
      try {
        return engine.ingest(batch);
      } finally {
        metrics.observeIngest((performance.now() - t0) / 1000);
      }
    },
  };
}
