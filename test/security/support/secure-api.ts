// The real API with access control on a free port, for security tests: the mini network, a store
// (memory by default) with a few readings, the auth service on a temp data dir with a manual clock
// (rate-limit windows and session expiry move only when the test says) and cheap scrypt costs.
// Users: admin (seeded), op1 (operator), crew1 (crew-gangcheng: dexuan, xingfu), bureau1.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApi, type Api } from '../../../api/create-api';
import { MINI_NETWORK, T0 } from '../../../api/testing/api-harness';
import { AuthService } from '../../../auth/auth-service';
import { ManualClock } from '../../../domain/clock';
import type { NetworkModel } from '../../../domain/network';
import { loadNetwork } from '../../../domain/network-loader';
import type { Metric } from '../../../domain/telemetry';
import { createTelemetryBus, type TelemetryBus } from '../../../domain/telemetry-bus';
import { ticketsImportRoute } from '../../../api/routes/tickets-import-route';
import { ticketsRoute } from '../../../api/routes/tickets-route';
import { ticketAccess } from '../../../auth/ticket-access';
import { MemoryStore } from '../../../store/memory-store';
import { DuckDBTicketStore } from '../../../tickets/duckdb-ticket-store';
import { TicketService } from '../../../tickets/ticket-service';
import type { TicketStore } from '../../../tickets/ticket-store';
import type { TelemetryStore } from '../../../store/telemetry-store';

export const PASSWORDS = { admin: 'admin-password-123', op1: 'operator-password-1', crew1: 'crew-password-1234', bureau1: 'bureau-password-12' } as const;
export type TestUser = keyof typeof PASSWORDS;
export const SESSION_TTL_MS = 3_600_000;

export interface SecureApi {
  readonly base: string;
  readonly api: Api;
  readonly auth: AuthService;
  readonly store: TelemetryStore;
  readonly bus: TelemetryBus;
  readonly network: NetworkModel;
  /** The auth clock (sessions, rate limits, audit times). */
  readonly clock: ManualClock;
  readonly registry: Registry;
  readonly dataDir: string;
  /** With `tickets: true`: the DuckDB ticket store behind /api/tickets. */
  readonly tickets?: TicketStore;
  /** Logs in with the form's endpoint; returns the Cookie header value. */
  cookie(user: TestUser): Promise<string>;
  /** Logs in for a bearer token; returns the Authorization header value. */
  bearer(user: TestUser): Promise<string>;
  close(): Promise<void>;
}

export const READINGS: Metric[] = [
  { measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 47.2 }, time: T0 - 60_000 },
  { measurement: 'station', tags: { id: 'xiyu' }, fields: { t2_supply: 44.1 }, time: T0 - 60_000 },
  { measurement: 'compound', tags: { id: 'xiyu-huayuan' }, fields: { t_supply: 41.0 }, time: T0 - 60_000 },
  { measurement: 'weather', tags: { id: 'jyg' }, fields: { t_outdoor: -12.5 }, time: T0 - 60_000 },
];

export async function startSecureApi(opts: { store?: TelemetryStore; metricsToken?: string; tickets?: boolean } = {}): Promise<SecureApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heat-security-'));
  const network = loadNetwork(MINI_NETWORK);
  const store = opts.store ?? new MemoryStore();
  await store.connect();
  await store.write(READINGS);
  const clock = new ManualClock(T0);
  const registry = new Registry();
  const logger = pino({ level: 'silent' });
  const auth = await AuthService.open({
    dataDir,
    network,
    clock,
    logger,
    sessionTtlMs: SESSION_TTL_MS,
    adminPassword: PASSWORDS.admin,
    registry,
    scrypt: { N: 1024, r: 8, p: 1 },
    ...(opts.metricsToken ? { metricsToken: opts.metricsToken } : {}),
  });
  await auth.createUser({ username: 'op1', role: 'operator', password: PASSWORDS.op1 });
  await auth.createUser({ username: 'crew1', role: 'crew', crewId: 'crew-gangcheng', password: PASSWORDS.crew1 });
  await auth.createUser({ username: 'bureau1', role: 'bureau', password: PASSWORDS.bureau1 });
  const bus = createTelemetryBus();
  let tickets: TicketStore | undefined;
  const routes = [];
  if (opts.tickets) {
    tickets = new DuckDBTicketStore({ dataDir });
    await tickets.connect();
    const service = await TicketService.open({ network, store: tickets, clock, logger });
    routes.push(ticketsImportRoute(service, clock), ticketsRoute(service, network, clock, { ...ticketAccess, auth: true }));
  }
  const api = createApi(
    { network, store, bus, registry, clock, logger, health: async () => ({ store: { ok: true } }), auth: { service: auth, cookieSecure: false, sessionTtlMs: SESSION_TTL_MS } },
    { buildWeb: false, routes },
  );
  const { port } = await api.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const login = async (user: TestUser, path: string): Promise<Response> => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORDS[user] }) });
    if (!r.ok) throw new Error(`login ${user}: HTTP ${r.status} ${await r.text()}`);
    return r;
  };
  return {
    base,
    api,
    auth,
    store,
    bus,
    network,
    clock,
    registry,
    dataDir,
    ...(tickets ? { tickets } : {}),
    async cookie(user) {
      const r = await login(user, '/api/auth/login');
      const set = r.headers.get('set-cookie') ?? '';
      return set.split(';')[0] as string;
    },
    async bearer(user) {
      const r = await login(user, '/api/auth/token');
      return `Bearer ${((await r.json()) as { token: string }).token}`;
    },
    async close() {
      await api.close();
      await auth.close();
      await tickets?.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
