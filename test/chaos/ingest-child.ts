// The ingest path as its own process, for the kill -9 test: the product's store (from the
// configuration, DuckDB by default) → ingest service (external broker) → bus, built from the same
// parts as app/start-app.ts. The environment is the product's configuration (HEAT_*).
//
// IPC: → {type:'ready'} once subscribed; → {type:'stored', metrics} (this process's total) after
// each stored batch; ← {type:'count', ...query} → {type:'count', rows}; ← {type:'stop'}: drains,
// closes the store and exits 0. SIGKILL is the point of the test: it can come at any instant.

import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../../config/config';
import { loadNetwork } from '../../domain/network-loader';
import type { EntityKind } from '../../domain/telemetry';
import { createTelemetryBus } from '../../domain/telemetry-bus';
import { createIngestService } from '../../ingest/ingest-service';
import { createStore } from '../../store/create-store';

export type ChildToParent = { type: 'ready' } | { type: 'stored'; metrics: number } | { type: 'count'; rows: number } | { type: 'error'; message: string };
export type ParentToChild =
  | { type: 'count'; measurement: EntityKind; ids: string[]; fields: string[]; from: number; to: number }
  | { type: 'stop' };

function send(m: ChildToParent): void {
  process.send?.(m);
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL }, pino.destination(2));
  const network = loadNetwork(config.HEAT_NETWORK);
  const registry = new Registry();
  const bus = createTelemetryBus((e) => logger.error({ err: e }, 'telemetry listener failed'));
  const store = createStore(config, logger.child({ part: 'store' }));
  await store.connect();
  let stored = 0;
  bus.subscribe((b) => {
    stored += b.length;
    send({ type: 'stored', metrics: stored });
  });
  const ingest = createIngestService({ config, network, store, bus, registry, logger, ingester: { reconnectPeriodMs: 250 } });
  await ingest.start();

  process.on('message', (raw) => {
    const m = raw as ParentToChild;
    if (m.type === 'stop') {
      void (async () => {
        await ingest.stop({ drainTimeoutMs: 10_000 });
        await store.close();
        process.exit(0);
      })();
      return;
    }
    if (m.type === 'count') {
      void (async () => {
        let rows = 0;
        for (const id of m.ids) {
          // One bucket over the whole range: its count is the number of rows (duplicates included).
          const series = await store.aggregate({ measurement: m.measurement, id, fields: m.fields, from: m.from, to: m.to }, m.to - m.from);
          for (const s of series) for (const p of s.points) rows += p.count;
        }
        send({ type: 'count', rows });
      })().catch((e: unknown) => send({ type: 'error', message: String(e) }));
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
