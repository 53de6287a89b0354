// Starts the closed-loop routes (visits, KPIs, ticket loop moves, incidents, surges) with the
// ticket routes on a real HTTP server for tests, framed as api/create-api.ts frames routes, on
// the full Jiayuguan network with a manual clock and memory stores. With `auth: true` a test
// names its user in the `x-test-user` header (`name:role[:crew]`), standing in for the login
// middleware so crew scoping and "who" can be checked without sessions.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { errorHandler, notFound } from '../../api/error-handler';
import { kpiRoute } from '../../api/routes/kpi-route';
import { ticketsLoopRoute } from '../../api/routes/tickets-loop-route';
import { ticketsRoute } from '../../api/routes/tickets-route';
import { visitsRoute } from '../../api/routes/visits-route';
import { securityHeaders } from '../../api/security-headers';
import { setPrincipal } from '../../auth/principal';
import { isRole } from '../../auth/roles';
import { crewStations } from '../../auth/scope';
import { loadConfig } from '../../config/config';
import { ManualClock } from '../../domain/clock';
import { MemoryTicketStore } from '../../tickets/memory-ticket-store';
import { jiayuguan, NOW } from '../../tickets/testing/ticket-api-harness';
import { TicketService } from '../../tickets/ticket-service';
import { ClosedLoop } from '../closed-loop';
import { closedLoopSettings } from '../closed-loop-settings';
import { MemoryVisitStore } from '../memory-visit-store';

export { NOW };

export interface ClosedLoopApiHarness {
  readonly base: string;
  readonly clock: ManualClock;
  readonly tickets: TicketService;
  readonly ticketStore: MemoryTicketStore;
  readonly visitStore: MemoryVisitStore;
  readonly loop: ClosedLoop;
  close(): Promise<void>;
}

export async function startClosedLoopApi(opts: { auth?: boolean } = {}): Promise<ClosedLoopApiHarness> {
  const network = jiayuguan();
  const auth = opts.auth ?? false;
  const clock = new ManualClock(NOW);
  const logger = pino({ level: 'silent' });
  const ticketStore = new MemoryTicketStore();
  const visitStore = new MemoryVisitStore();
  await ticketStore.connect();
  await visitStore.connect();
  const tickets = await TicketService.open({ network, store: ticketStore, clock, logger });
  const settings = closedLoopSettings(loadConfig({}));
  const loop = await ClosedLoop.start({ network, tickets, ticketStore, visitStore, clock, logger, settings });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  if (auth) {
    app.use((req, _res, next) => {
      const [username, role, crewId] = String(req.headers['x-test-user'] ?? '').split(':');
      if (username && isRole(role)) {
        setPrincipal(req, { username, role, via: 'bearer', ...(crewId ? { crewId, stations: crewStations(network, crewId) } : {}) });
      }
      next();
    });
  }
  app.use(express.json({ limit: '64kb' }));
  app.use(ticketsLoopRoute(tickets, loop.correlator, network, clock, { auth, deadlines: settings.loop }));
  app.use(visitsRoute(loop.visits, network, clock, { auth }));
  app.use(kpiRoute(ticketStore, visitStore, network, clock, { auth }));
  app.use(ticketsRoute(tickets, network, clock, { deadlines: settings.loop }));
  app.use('/api', notFound);
  app.use(errorHandler(logger));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    clock,
    tickets,
    ticketStore,
    visitStore,
    loop,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await loop.stop();
      await ticketStore.close();
      await visitStore.close();
    },
  };
}
