// The HTTP API, the live push and the web page, on one http.Server.
//
// Lifecycle (who calls what, when):
//   1. app/main.ts builds the deps (network, connected store, bus, registry, clock, logger,
//      health checks) and calls createApi(deps). Nothing listens yet; routes and the socket.io
//      server are attached, and live push is already subscribed to the bus (no subscribers,
//      so nothing is kept until a page subscribes).
//   2. listen(port, host) once: builds web/src into web/dist (incremental, skipped when up to
//      date; opts.buildWeb=false skips it), then listens. Port 0 picks a free port; the
//      resolved port and a URL to print come back.
//   3. close() once at shutdown, before the store is closed: leaves the bus, disconnects live
//      sockets, stops accepting connections and ends idle keep-alive connections. Requests in
//      flight may still read the store until close() resolves.
// Every request part is parsed by one zod schema (api/parse-part.ts); every error leaves
// through the one error handler (api/error-handler.ts) as {code, message, detail}.
//
// Access control (auth/): with deps.auth, the session cookie or bearer token is read on every
// request; /api/* answers 401 without a session (except login), writes are audited and need a
// writing role, crews are scoped to their stations, /metrics needs an operator or the metrics
// token, and live push needs a session. Without deps.auth (tests of the API alone) all is open.

import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { TelemetryBus } from '../domain/telemetry-bus';
import type { TelemetryStore } from '../store/telemetry-store';
import type { AuthService } from '../auth/auth-service';
import { auditWrites, guardApi, identify, metricsGuard, socketGuard } from '../auth/http-auth';
import { scopeRoutes } from '../auth/scope-routes';
import { buildWeb, WEB_DIST_DIR } from '../web/build';
import { errorHandler, notFound } from './error-handler';
import { createHttpMetrics } from './http-metrics';
import { attachLivePush, type LivePushOptions, type LiveServer } from './live/live-push';
import { authRoute } from './routes/auth-route';
import { healthRoute, type HealthChecks } from './routes/health-route';
import { metricsRoute } from './routes/metrics-route';
import { networkRoute } from './routes/network-route';
import { seriesRoute } from './routes/series-route';
import { stationRoute } from './routes/station-route';
import { securityHeaders } from './security-headers';

export interface ApiDeps {
  readonly network: NetworkModel;
  /** Connected by the caller before listen(); closed by the caller after close(). */
  readonly store: TelemetryStore;
  readonly bus: TelemetryBus;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly health: HealthChecks;
  /** Access control; absent only in tests of the API alone (then everything is open). */
  readonly auth?: ApiAuth;
}

export interface ApiAuth {
  readonly service: AuthService;
  /** HEAT_COOKIE_SECURE. */
  readonly cookieSecure: boolean;
  /** HEAT_SESSION_TTL_MS. */
  readonly sessionTtlMs: number;
}

export interface ApiOptions {
  /** Build the page at listen() (default true). Tests of the API alone skip it. */
  readonly buildWeb?: boolean;
  /** Folder of the built page (default web/dist). */
  readonly webDistDir?: string;
  /** JSON request body limit (default 64kb). */
  readonly jsonLimit?: string;
  readonly live?: LivePushOptions;
  /** Routers of other parts (tickets, alerts, …), mounted after the core routes, before the /api 404. */
  readonly routes?: readonly RequestHandler[];
}

export interface Api {
  readonly app: Express;
  readonly server: HttpServer;
  readonly io: LiveServer;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export function createApi(deps: ApiDeps, opts: ApiOptions = {}): Api {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const server = createServer(app);
  const log = deps.logger.child({ component: 'api' });
  const webDistDir = opts.webDistDir ?? WEB_DIST_DIR;

  app.use(securityHeaders);
  app.use(createHttpMetrics(deps.registry).middleware);
  const auth = deps.auth;
  if (auth) {
    app.use(identify(auth.service));
    app.use('/api', auditWrites(auth.service.audit));
    app.use(guardApi());
  }
  app.use(express.json({ limit: opts.jsonLimit ?? '64kb' }));
  if (auth) {
    app.use(authRoute(auth.service, { cookieSecure: auth.cookieSecure, sessionTtlMs: auth.sessionTtlMs }));
    app.use(scopeRoutes(deps.network));
    app.use('/metrics', metricsGuard(auth.service));
  } else {
    log.warn('API without access control (deps.auth missing): for tests of the API alone');
  }
  app.use(networkRoute(deps.network));
  app.use(stationRoute(deps.network, deps.store));
  app.use(seriesRoute(deps.network, deps.store, deps.clock));
  app.use(healthRoute(deps.health));
  app.use(metricsRoute(deps.registry));
  for (const r of opts.routes ?? []) app.use(r);
  app.use('/api', notFound);
  app.use(express.static(webDistDir, { index: 'index.html', dotfiles: 'ignore', maxAge: 0 }));
  // Anything else is ours to refuse too: express's own 404 page would replace our headers (CSP).
  app.use(notFound);
  app.use(errorHandler(log));

  const live = attachLivePush(server, { network: deps.network, bus: deps.bus, registry: deps.registry, logger: log, now: () => deps.clock.now() }, opts.live);
  if (auth) socketGuard(live.io, auth.service, deps.network);

  return {
    app,
    server,
    io: live.io,
    async listen(port, host = '0.0.0.0') {
      if (opts.buildWeb !== false) {
        const b = await buildWeb({ outDir: webDistDir });
        log.info({ outDir: b.outDir, rebuilt: b.rebuilt, ms: b.ms }, 'web page ready');
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const actual = (server.address() as AddressInfo).port;
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      const url = `http://${shown}:${actual}/`;
      log.info({ url }, 'API listening');
      return { port: actual, url };
    },
    async close() {
      live.stop();
      const closing = live.io.close();
      // Keep-alive sockets would hold server.close() open until they time out.
      server.closeAllConnections();
      await closing;
    },
  };
}
