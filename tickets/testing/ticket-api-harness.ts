// Starts the ticket routes on a real HTTP server for tests, framed the way api/create-api.ts
// frames every route (security headers, JSON body limit, the catalogue's error handler), on the
// full Jiayuguan network with a manual clock. The logger is the test's, so a test can read
// everything that was logged.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { errorHandler, notFound } from '../../api/error-handler';
import { ticketsImportRoute, type TicketImportOptions } from '../../api/routes/tickets-import-route';
import { ticketsRoute, type TicketRouteOptions } from '../../api/routes/tickets-route';
import { securityHeaders } from '../../api/security-headers';
import { ManualClock } from '../../domain/clock';
import type { NetworkModel } from '../../domain/network';
import { loadNetwork } from '../../domain/network-loader';
import { MemoryTicketStore } from '../memory-ticket-store';
import type { TicketStore } from '../ticket-store';
import { TicketService } from '../ticket-service';

export const JIAYUGUAN = new URL('../../fixtures/networks/jiayuguan.json', import.meta.url).pathname;
/** 12:00 in Shanghai on 15 January 2025. */
export const NOW = Date.parse('2025-01-15T04:00:00Z');

let cachedNetwork: NetworkModel | undefined;
export function jiayuguan(): NetworkModel {
  cachedNetwork ??= loadNetwork(JIAYUGUAN);
  return cachedNetwork;
}

export interface TicketApiHarness {
  readonly base: string;
  readonly service: TicketService;
  readonly store: TicketStore;
  readonly clock: ManualClock;
  readonly network: NetworkModel;
  close(): Promise<void>;
}

export async function startTicketApi(
  opts: { store?: TicketStore; logger?: Logger; routes?: TicketRouteOptions; import?: TicketImportOptions } = {},
): Promise<TicketApiHarness> {
  const network = jiayuguan();
  const store = opts.store ?? new MemoryTicketStore();
  await store.connect();
  const clock = new ManualClock(NOW);
  const logger = opts.logger ?? pino({ level: 'silent' });
  const service = await TicketService.open({ network, store, clock, logger });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use(express.json({ limit: '64kb' }));
  app.use(ticketsImportRoute(service, clock, opts.import));
  app.use(ticketsRoute(service, network, clock, opts.routes));
  app.use('/api', notFound);
  app.use(errorHandler(logger.child({ component: 'api' })));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    service,
    store,
    clock,
    network,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
