// The closed loop inside the app (issue 5): visit store (<HEAT_DATA_DIR>/visits.duckdb), the
// correlator and visit planner fed by the rules engine's alert events, weather readings for the
// surge baseline, a minute timer that ends quiet episodes, and the routes (ticket loop moves,
// incidents, surges, visits, KPIs).
//
// Lifecycle (start-app.ts): `await openClosedLoop(deps)` after the ticket service and the rules
// engine are open and before createApi (its `routes` go before the ticket routes, whose `/:id`
// would take their paths); `stop()` at shutdown before the ticket store closes (it unsubscribes,
// waits for queued work, closes the visit store).

import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { kpiRoute } from '../api/routes/kpi-route';
import { ticketsLoopRoute } from '../api/routes/tickets-loop-route';
import { visitsRoute } from '../api/routes/visits-route';
import type { Config } from '../config/config';
import type { Clock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { TelemetryBus } from '../domain/telemetry-bus';
import type { Alert } from '../rules/alert';
import type { AlertStore } from '../rules/alert-store';
import { MAX_QUERY_LIMIT } from '../rules/alert-store';
import type { RulesEngine } from '../rules/engine';
import type { RulesEvent } from '../rules/events';
import type { TicketPlace } from '../tickets/correlation/explain';
import type { LoopDeadlines } from '../tickets/loop-deadlines';
import type { Role } from '../tickets/personal-data';
import type { TicketService } from '../tickets/ticket-service';
import type { TicketStore } from '../tickets/ticket-store';
import { ClosedLoop } from '../visits/closed-loop';
import { registerClosedLoopMetrics } from '../visits/closed-loop-metrics';
import { closedLoopSettings } from '../visits/closed-loop-settings';
import { createVisitStore } from '../visits/create-visit-store';

export interface ClosedLoopWiringDeps {
  readonly config: Config;
  readonly network: NetworkModel;
  readonly tickets: TicketService;
  readonly ticketStore: TicketStore;
  readonly bus: TelemetryBus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Self-metrics go here (/metrics). */
  readonly registry?: Registry;
  /** Access control is on: routes scope by crew and check permissions. */
  readonly auth: boolean;
  /** The rules engine's events, live alerts and stored history (app/rules-wiring.ts). */
  readonly rules?: { readonly subscribe: (l: (e: RulesEvent) => void) => () => void; readonly engine: RulesEngine; readonly store: AlertStore };
  /** Phone masking for tickets returned by the loop routes (auth/ticket-access.ts). */
  readonly roleOf?: (req: IncomingMessage) => Role;
  readonly canSeePersonalData?: (role: Role) => boolean;
}

export interface RunningClosedLoop {
  readonly loop: ClosedLoop;
  readonly routes: readonly RequestHandler[];
  /** For the ticket routes' overdue flags. */
  readonly deadlines: LoopDeadlines;
  stop(): Promise<void>;
}

const TICK_MS = 60_000;

/** Stored alerts of a place's station (its compounds' and its own) and of its primary network. */
function historyOf(store: AlertStore) {
  return async (p: TicketPlace, from: number, to: number): Promise<Alert[]> => {
    const [station, primary] = await Promise.all([
      store.listAlerts({ stationId: p.stationId, from, to, limit: MAX_QUERY_LIMIT }),
      p.primaryNetworkId === undefined ? Promise.resolve([]) : store.listAlerts({ entityId: p.primaryNetworkId, from, to, limit: MAX_QUERY_LIMIT }),
    ]);
    return [...station, ...primary];
  };
}

export async function openClosedLoop(d: ClosedLoopWiringDeps): Promise<RunningClosedLoop> {
  const log = d.logger.child({ part: 'closed-loop' });
  const settings = closedLoopSettings(d.config);
  const visitStore = createVisitStore(d.config);
  await visitStore.connect();
  const now = d.clock.now();
  const history: Alert[] = d.rules === undefined ? [] : await d.rules.store.listAlerts({ from: now - settings.window.beforeMs - settings.window.afterMs - 6 * 3_600_000, limit: MAX_QUERY_LIMIT });
  const live = d.rules?.engine.alerts() ?? [];
  const alerts = [...new Map([...history, ...live].map((a) => [a.id, a])).values()];
  const loop = await ClosedLoop.start({
    network: d.network,
    tickets: d.tickets,
    ticketStore: d.ticketStore,
    visitStore,
    clock: d.clock,
    logger: log,
    settings,
    alerts,
    ...(d.rules !== undefined ? { alertHistory: historyOf(d.rules.store) } : {}),
  });
  if (d.registry !== undefined) registerClosedLoopMetrics(d.registry, loop, d.tickets);
  const offRules = d.rules?.subscribe((e) => loop.onRulesEvent(e));
  const offBus = d.bus.subscribe((batch) => {
    for (const m of batch) {
      const v = m.fields['t_outdoor'];
      if (m.measurement === 'weather' && typeof v === 'number') loop.observeOutdoor(m.time, v);
    }
  });
  const timer = setInterval(() => void loop.tick(d.clock.now()), TICK_MS);
  timer.unref?.();
  log.info({ alerts: alerts.length, store: visitStore.name }, 'closed loop ready (correlation, visits, KPIs)');
  const access = { ...(d.roleOf ? { roleOf: d.roleOf } : {}), ...(d.canSeePersonalData ? { canSeePersonalData: d.canSeePersonalData } : {}) };
  return {
    loop,
    deadlines: settings.loop,
    routes: [
      ticketsLoopRoute(d.tickets, loop.correlator, d.network, d.clock, { auth: d.auth, deadlines: settings.loop, ...access }),
      visitsRoute(loop.visits, d.network, d.clock, { auth: d.auth }),
      kpiRoute(d.ticketStore, visitStore, d.network, d.clock, { auth: d.auth }),
    ],
    async stop() {
      clearInterval(timer);
      offRules?.();
      offBus();
      await loop.stop();
      await visitStore.close();
    },
  };
}
