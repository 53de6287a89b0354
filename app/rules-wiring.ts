// The rules engine inside the app: alert store (<HEAT_DATA_DIR>/alerts.duckdb), engine restored
// from it, API routes, live wiring (bus + watermark timer), notifications (socket.io, MQTT alert
// topic, chat-robot webhooks) and /metrics.
//
// Lifecycle (start-app.ts):
//   1. `await openRules(deps)` before createApi: opens the store, builds and restores the engine,
//      validates the notification settings (fails fast naming the key). `routes` go to createApi.
//   2. `await rules.attach({ io, mqttUrl })` once the API and broker exist, before the simulator
//      starts: socket.io push, MQTT publisher, webhooks, then the engine starts taking telemetry.
//   3. `await rules.stop()` at shutdown, before the broker and API close: telemetry stops, the
//      last alert writes land, notifiers drain (losses counted), the store closes.
// Other parts that need alert events (visits, tickets) call `subscribe(listener)`.

import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { alertsRoute } from '../api/routes/alerts-route';
import { rulesRoute } from '../api/routes/rules-route';
import type { Config } from '../config/config';
import type { Clock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { TelemetryBus } from '../domain/telemetry-bus';
import { DuckDBAlertStore } from '../rules/alert-store-duckdb';
import { AlertService } from '../rules/alert-service';
import { createRulesEngine, type RulesEngine } from '../rules/engine';
import type { RulesEvent } from '../rules/events';
import { attachLive } from '../rules/live';
import { createNotifyMetrics } from '../rules/notify/notify-metrics';
import { connectAlertPublisher, MqttAlertNotifier } from '../rules/notify/mqtt-notifier';
import { attachSocketAlertPush, type PushServer } from '../rules/notify/socket-notifier';
import { WebhookNotifier } from '../rules/notify/webhook-notifier';
import { WebhookSender } from '../rules/notify/webhook-sender';
import { parseWebhookRouting } from '../rules/notify/webhook-targets';
import { loadBuiltinRules, loadRuleDir } from '../rules/rule-loader';
import { registerRulesMetrics, timedIngest } from '../rules/rules-metrics';

export type RulesConfig = Pick<
  Config,
  | 'HEAT_DATA_DIR'
  | 'HEAT_TS_MAX_FUTURE_MS'
  | 'HEAT_MQTT_USERNAME'
  | 'HEAT_MQTT_PASSWORD'
  | 'HEAT_RULES_DIR'
  | 'HEAT_WEBHOOK_URLS'
  | 'HEAT_NOTIFY_ESCALATE_MIN'
  | 'HEAT_NOTIFY_REMIND_MIN'
  | 'HEAT_NOTIFY_MIN_SEVERITY'
  | 'HEAT_ALERT_MQTT'
>;

export interface RulesDeps {
  readonly config: RulesConfig;
  readonly network: NetworkModel;
  readonly bus: TelemetryBus;
  /** The app clock (the simulator's while it runs): operator actions and notification deadlines. */
  readonly clock: Clock;
  readonly registry: Registry;
  readonly logger: Logger;
  /** With access control, routes scope by crew and check permissions. */
  readonly auth: boolean;
}

export interface RunningRules {
  readonly engine: RulesEngine;
  readonly service: AlertService;
  readonly store: DuckDBAlertStore;
  readonly routes: readonly RequestHandler[];
  subscribe(listener: (e: RulesEvent) => void): () => void;
  attach(o: { readonly io: PushServer; readonly mqttUrl: string }): Promise<void>;
  stop(): Promise<void>;
}

/** Readings the live engine waits for before judging an instant (network and broker jitter). */
const ALLOWED_LATENESS_MS = 120_000;

export async function openRules(d: RulesDeps): Promise<RunningRules> {
  const c = d.config;
  const log = d.logger.child({ part: 'rules' });
  const routing = parseWebhookRouting(c.HEAT_WEBHOOK_URLS);
  const rules = c.HEAT_RULES_DIR === '' ? loadBuiltinRules() : loadRuleDir(c.HEAT_RULES_DIR);
  const store = new DuckDBAlertStore({ dataDir: c.HEAT_DATA_DIR });
  await store.open();
  const listeners = new Set<(e: RulesEvent) => void>();
  const engine = createRulesEngine({
    network: d.network,
    rules,
    alertStore: store,
    clock: d.clock,
    logger: log,
    tuning: { allowedLatenessMs: ALLOWED_LATENESS_MS, maxFutureMs: c.HEAT_TS_MAX_FUTURE_MS },
    // Each listener is isolated: one that throws is logged and the others still hear the event.
    onEvent: (e) => {
      for (const l of listeners) {
        try {
          l(e);
        } catch (err) {
          log.error({ err, type: e.type }, 'rules event listener threw');
        }
      }
    },
  });
  const live = await store.listAlerts({ states: ['open', 'acknowledged', 'shelved', 'suppressed'], limit: 10_000 });
  const restored = engine.restore(
    [...live].sort((a, b) => a.openedAt - b.openedAt),
    await store.listIncidents({ states: ['open'], limit: 10_000 }),
  );
  log.info({ rules: rules.length, store: store.path, ...restored }, 'rules engine ready');

  const metrics = createNotifyMetrics(d.registry);
  const rulesMetrics = registerRulesMetrics(d.registry, engine, d.clock);
  const service = new AlertService(engine, store, () => d.clock.now());
  const stops: (() => Promise<void> | void)[] = [];
  const subscribe = (l: (e: RulesEvent) => void): (() => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };

  return {
    engine,
    service,
    store,
    routes: [alertsRoute(service, d.network, { auth: d.auth }), rulesRoute(engine, { auth: d.auth })],
    subscribe,
    async attach({ io, mqttUrl }) {
      stops.push(subscribe(attachSocketAlertPush(io, metrics).onEvent));
      if (c.HEAT_ALERT_MQTT) {
        const mqtt = new MqttAlertNotifier({
          publisher: await connectAlertPublisher(mqttUrl, { clientId: `heat-alerts-${process.pid}`, username: c.HEAT_MQTT_USERNAME, password: c.HEAT_MQTT_PASSWORD }),
          metrics,
          logger: log.child({ channel: 'mqtt' }),
        });
        const off = subscribe((e) => mqtt.onEvent(e));
        stops.push(async () => {
          off();
          await mqtt.close();
        });
      }
      if (routing.crews.size > 0 || routing.fallback.length > 0 || routing.supervisor.length > 0) {
        const sender = new WebhookSender({ metrics, logger: log.child({ channel: 'webhook' }) });
        const robots = new WebhookNotifier({
          network: d.network,
          routing,
          sender,
          clock: d.clock,
          logger: log.child({ channel: 'webhook' }),
          policy: { escalateAfterMs: c.HEAT_NOTIFY_ESCALATE_MIN * 60_000, remindEveryMs: c.HEAT_NOTIFY_REMIND_MIN * 60_000, minSeverity: c.HEAT_NOTIFY_MIN_SEVERITY },
        });
        const off = subscribe((e) => robots.onEvent(e));
        robots.start();
        stops.push(() => {
          off();
          robots.stop();
          const lost = sender.close();
          if (lost > 0) log.warn({ lost }, 'webhook notifications still waiting at shutdown were lost');
        });
        log.info({ crews: routing.crews.size, supervisor: routing.supervisor.length, fallback: routing.fallback.length }, 'chat-robot webhooks on');
      }
      // Telemetry last: every notifier hears the first alert.
      const liveWiring = attachLive({ engine: timedIngest(engine, rulesMetrics), bus: d.bus, clock: d.clock, allowedLatenessMs: ALLOWED_LATENESS_MS });
      stops.push(() => liveWiring.stop());
    },
    async stop() {
      // Telemetry stops first (last pushed), then the notifiers, then the store.
      while (stops.length > 0) {
        try {
          await stops.pop()?.();
        } catch (err) {
          log.error({ err }, 'rules shutdown step failed');
        }
      }
      await engine.flush();
      await store.close();
    },
  };
}
