// Starts the real API on a free port for tests: the mini network, the reference memory store,
// a real bus and registry, a manual clock and a silent logger. Tests reach every dependency.

import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ManualClock } from '../../domain/clock';
import type { NetworkModel } from '../../domain/network';
import { loadNetwork } from '../../domain/network-loader';
import { createTelemetryBus, type TelemetryBus } from '../../domain/telemetry-bus';
import { MemoryStore } from '../../store/memory-store';
import type { TelemetryStore } from '../../store/telemetry-store';
import { createApi, type Api, type ApiOptions } from '../create-api';
import type { HealthChecks } from '../routes/health-route';

export const MINI_NETWORK = new URL('../../fixtures/networks/mini.json', import.meta.url).pathname;
/** 12:00 in Shanghai on 15 January 2025. */
export const T0 = Date.parse('2025-01-15T04:00:00Z');

export interface ApiHarness {
  readonly api: Api;
  readonly base: string;
  readonly network: NetworkModel;
  readonly store: TelemetryStore;
  readonly bus: TelemetryBus;
  readonly clock: ManualClock;
  readonly registry: Registry;
  close(): Promise<void>;
}

export async function startApi(opts: { store?: TelemetryStore; health?: HealthChecks; network?: NetworkModel; api?: ApiOptions } = {}): Promise<ApiHarness> {
  const network = opts.network ?? loadNetwork(MINI_NETWORK);
  const store = opts.store ?? new MemoryStore();
  await store.connect();
  const bus = createTelemetryBus();
  const clock = new ManualClock(T0);
  const registry = new Registry();
  const api = createApi(
    { network, store, bus, registry, clock, logger: pino({ level: 'silent' }), health: opts.health ?? (async () => ({ store: { ok: true } })) },
    { buildWeb: false, ...opts.api },
  );
  const { port } = await api.listen(0, '127.0.0.1');
  return {
    api,
    base: `http://127.0.0.1:${port}`,
    network,
    store,
    bus,
    clock,
    registry,
    async close() {
      await api.close();
      await store.close();
    },
  };
}
