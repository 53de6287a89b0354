// The composition root: builds every part from the validated configuration and wires them
// in the order data flows: store → ingest (broker, ingester, writer) → bus → API/live → simulator.
// Used by app/main.ts (`npm start`) and by end-to-end tests, which pass their own config.
//
// Lifecycle: startApp(config) resolves once everything listens; stop() shuts down in reverse
// order (simulator, ingest drains and acknowledges, API, store) and is safe to call twice.

import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { createApi } from '../api/create-api';
import { AuthService } from '../auth/auth-service';
import { createMqttAuthorizer } from '../auth/mqtt-authorizer';
import { ticketAccess } from '../auth/ticket-access';
import type { Config } from '../config/config';
import { systemClock, type Clock } from '../domain/clock';
import { loadNetwork } from '../domain/network-loader';
import type { NetworkModel } from '../domain/network';
import { createTelemetryBus } from '../domain/telemetry-bus';
import { createIngestService } from '../ingest/ingest-service';
import { createStore } from '../store/create-store';
import { ticketsImportRoute } from '../api/routes/tickets-import-route';
import { ticketsRoute } from '../api/routes/tickets-route';
import { overviewRoute } from '../api/routes/overview-route';
import { stationDetailRoute } from '../api/routes/station-detail-route';
import { reportsRoute } from '../api/routes/reports-route';
import { createTicketStore } from '../tickets/create-ticket-store';
import { TicketService } from '../tickets/ticket-service';
import { createDemoSim, type DemoSim } from './demo-sim';
import { openRules } from './rules-wiring';
import { openClosedLoop } from './visits-wiring';

export interface RunningApp {
  readonly url: string;
  readonly mqttUrl: string;
  readonly network: NetworkModel;
  readonly clock: Clock;
  readonly sim: DemoSim | undefined;
  readonly registry: Registry;
  /** Browser sockets subscribed to an entity's live readings ("station:dexuan"). */
  liveSubscribers(entity: string): number;
  stop(): Promise<void>;
}

/** `opts.clock`: the application clock for tests (e.g. a day in the heating season); default the simulator's or the system's. */
export async function startApp(config: Config, logger: Logger, opts: { readonly clock?: Clock } = {}): Promise<RunningApp> {
  const network = loadNetwork(config.HEAT_NETWORK);
  logger.info({ network: config.HEAT_NETWORK, stations: network.stations.length, compounds: network.compounds.length }, 'network loaded');
  mkdirSync(config.HEAT_DATA_DIR, { recursive: true });

  const sim = config.HEAT_SIM ? createDemoSim(config, network, logger.child({ part: 'sim' })) : undefined;
  const clock = opts.clock ?? sim?.clock ?? systemClock;

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'heat_process_' });
  const bus = createTelemetryBus((e) => logger.error({ err: e }, 'telemetry listener failed'));

  const store = createStore(config, logger.child({ part: 'store' }));
  await store.connect();
  const stops: Array<() => Promise<void>> = [() => store.close()];
  // --- access control (auth/): users, sessions, audit log; broker access with a gateway secret ---
  const auth = await AuthService.open({
    dataDir: config.HEAT_DATA_DIR,
    network,
    clock: systemClock,
    logger: logger.child({ part: 'auth' }),
    sessionTtlMs: config.HEAT_SESSION_TTL_MS,
    adminPassword: config.HEAT_ADMIN_PASSWORD || undefined,
    metricsToken: config.HEAT_METRICS_TOKEN || undefined,
    registry,
    onGeneratedAdminPassword: (pw) =>
      process.stdout.write(`\n  首次启动：管理员账号 admin 的初始密码（仅显示这一次，登录后请修改）\n  First start: initial password of user "admin" (shown once; change it after login):\n\n      ${pw}\n\n`),
  });
  stops.push(() => auth.close());
  const brokerAuth = config.HEAT_MQTT_GATEWAY_SECRET
    ? createMqttAuthorizer({
        network,
        serviceUsername: config.HEAT_MQTT_USERNAME,
        servicePassword: config.HEAT_MQTT_PASSWORD,
        gatewaySecret: config.HEAT_MQTT_GATEWAY_SECRET,
        servicePublishesTelemetry: config.HEAT_SIM,
      })
    : undefined;
  if (!brokerAuth && config.HEAT_MQTT_URL === '' && !config.HEAT_MQTT_USERNAME) {
    logger.warn('embedded MQTT broker accepts anonymous clients: set HEAT_MQTT_GATEWAY_SECRET (and HEAT_MQTT_USERNAME/PASSWORD) to require credentials per station gateway');
  }
  // --- end access control ---
  const stopAll = async (): Promise<void> => {
    while (stops.length > 0) {
      const s = stops.pop();
      try {
        await s?.();
      } catch (e) {
        logger.error({ err: e }, 'shutdown step failed');
      }
    }
  };

  try {
    const ingest = createIngestService({ config, network, store, bus, registry, logger, eventClock: clock, ...(brokerAuth ? { brokerAuth } : {}) });
    const { mqttUrl, embedded } = await ingest.start();
    stops.push(() => ingest.stop());
    logger.info({ mqttUrl, embedded }, 'ingest running');

    const ticketStore = createTicketStore(config);
    await ticketStore.connect();
    stops.push(() => ticketStore.close());
    const tickets = await TicketService.open({ network, store: ticketStore, clock, logger: logger.child({ part: 'tickets' }) });
    // The simulated 12345 system hands its tickets over as the real one would post them.
    sim?.sendTicketsTo(async (batch) => {
      await tickets.intake(
        batch.map((t) => ({ externalId: t.externalId, receivedAt: t.receivedAt, text: t.text, address: t.address, callerPhone: t.phone, channel: t.channel })),
        'api',
      );
    });

    // --- rules engine (rules/, app/rules-wiring.ts): alert store, restored engine, routes, notifications ---
    const rules = await openRules({ config, network, bus, clock, registry, logger, auth: true });
    stops.push(() => rules.stop());
    // --- end rules engine ---
    // --- closed loop (tickets/correlation/, visits/, app/visits-wiring.ts): correlation, 未诉先办 visits, KPIs ---
    const closedLoop = await openClosedLoop({ config, network, tickets, ticketStore, bus, clock, logger, registry, auth: true, rules, ...ticketAccess });
    stops.push(() => closedLoop.stop());

    const api = createApi({
      network,
      store,
      bus,
      registry,
      clock,
      logger: logger.child({ part: 'api' }),
      auth: { service: auth, cookieSecure: config.HEAT_COOKIE_SECURE, sessionTtlMs: config.HEAT_SESSION_TTL_MS },
      health: async () => ({
        store: { ok: true, detail: store.name },
        ingest: { ok: ingest.writer.room() > 0, detail: `buffer room ${ingest.writer.room()} of ${config.HEAT_BUFFER_MAX}, ${ingest.writer.inflight} messages in flight` },
      }),
    }, { routes: [ticketsImportRoute(tickets, clock), ...closedLoop.routes, ticketsRoute(tickets, network, clock, { ...ticketAccess, deadlines: closedLoop.deadlines, auth: true }), overviewRoute(network, store, clock), stationDetailRoute(network, store, clock), ...rules.routes, reportsRoute({ network, store, alerts: rules.store, tickets: ticketStore, visits: closedLoop.loop.visits, now: () => clock.now() })] });
    const { url } = await api.listen(config.HEAT_HTTP_PORT, config.HEAT_HTTP_HOST);
    stops.push(() => api.close());
    await rules.attach({ io: api.io, mqttUrl }); // alert push, MQTT alert topic, webhooks; then telemetry in

    if (sim) {
      await sim.start(mqttUrl);
      stops.push(() => sim.stop());
      logger.info({ speed: sim.speed, scenario: sim.scenario }, 'simulated city publishing');
    }
    let stopped: Promise<void> | undefined;
    return {
      url,
      mqttUrl,
      network,
      clock,
      sim,
      registry,
      liveSubscribers: (entity) => api.io.sockets.adapter.rooms.get(`entity:${entity}`)?.size ?? 0,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
