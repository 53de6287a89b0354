// Scenario 3 (issue 9): Mosquitto is restarted under steady QoS 1 load, several times; then the
// ingester goes away, readings are published while it is away (queued in its persistent session),
// Mosquitto restarts once more (the queue survives in its persistence file), and a new ingester
// with the same client id comes back. What must hold: the ingester reconnects and resumes by
// itself, the publisher's unacknowledged messages are resent, the queued readings arrive, and the
// store holds every reading exactly once.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../../../config/config';
import { loadNetwork } from '../../../domain/network-loader';
import { createTelemetryBus } from '../../../domain/telemetry-bus';
import { createIngestService, type IngestService } from '../../../ingest/ingest-service';
import { DUCKDB_FILE } from '../../../store/duckdb-store';
import { createStore } from '../../../store/create-store';
import type { Mosquitto } from '../../support/mosquitto';
import { expectedRows, readingOf, startLoad } from '../support/load-publisher';
import { pollUntil } from '../support/poll';
import { compareRows, duckdbStationRows, figures, type RowCheck } from '../support/verify-rows';
import { MINI_NETWORK, MINI_STATIONS } from './process-kill';

export interface BrokerRestartOptions {
  readonly total: number;
  readonly rate: number;
  /** Restarts while the ingester is connected. */
  readonly restarts: number;
  /** Readings published while the ingester is away. */
  readonly whileAway: number;
}

export interface BrokerRestartResult {
  readonly check: RowCheck;
  readonly published: number;
  readonly restarts: number;
  /** Readings published while the ingester was away, and how many of them are stored. */
  readonly queued: number;
  readonly queuedStored: number;
  readonly publishErrors: number;
  readonly line: string;
}

export async function runBrokerRestart(mq: Mosquitto, o: BrokerRestartOptions): Promise<BrokerRestartResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heat-chaos-broker-'));
  const config = loadConfig({
    HEAT_NETWORK: MINI_NETWORK,
    HEAT_DATA_DIR: dataDir,
    HEAT_STORE: 'duckdb',
    HEAT_MQTT_URL: mq.url,
    HEAT_MQTT_CLIENT_ID: `chaos-broker-${process.pid}-${Date.now()}`,
    HEAT_FLUSH_MS: '100',
    LOG_LEVEL: 'error',
  });
  const network = loadNetwork(MINI_NETWORK);
  const logger = pino({ level: 'fatal' }); // connection resets during restarts are the point here
  const bus = createTelemetryBus();
  const storedTimes = new Set<number>();
  bus.subscribe((b) => {
    for (const m of b) storedTimes.add(m.time);
  });
  const store = createStore(config);
  await store.connect();
  const startIngest = async (): Promise<IngestService> => {
    const s = createIngestService({ config, network, store, bus, registry: new Registry(), logger, ingester: { reconnectPeriodMs: 250 } });
    await s.start();
    return s;
  };
  let ingest: IngestService | undefined = await startIngest();
  const base = Date.now() - 3_600_000;
  const load = await startLoad({ url: mq.url, stations: MINI_STATIONS, total: o.total, rate: o.rate, base, clientId: `chaos-gw-broker-${process.pid}` });
  let restarts = 0;
  try {
    const step = Math.floor((o.total - o.whileAway) / (o.restarts + 2));
    for (let r = 1; r <= o.restarts; r++) {
      await load.sentAtLeast(step * r);
      const had = storedTimes.size;
      await pollUntil(() => storedTimes.size > had, 30_000, 'the ingester storing before the restart');
      await mq.restart();
      restarts++;
    }

    // The ingester goes away; readings published meanwhile queue in its session.
    await load.sentAtLeast(step * (o.restarts + 1));
    load.pause();
    await pollUntil(() => load.acked === load.sent, 60_000, 'the broker to acknowledge every sent reading');
    await ingest.stop({ drainTimeoutMs: 10_000 });
    ingest = undefined;
    const awayFrom = load.sent;
    load.resume();
    await load.sentAtLeast(awayFrom + o.whileAway);
    load.pause();
    const awayTo = load.sent;
    await pollUntil(() => load.acked === load.sent, 60_000, 'the broker to acknowledge the readings sent while the ingester is away');
    await mq.restart(); // the queue must survive this too
    restarts++;
    ingest = await startIngest();
    load.resume();

    await load.done();
    await pollUntil(() => storedTimes.size >= o.total, 180_000, () => `all ${o.total} readings stored (has ${storedTimes.size})`, 250);
    await ingest.stop({ drainTimeoutMs: 10_000 });
    ingest = undefined;
    await store.close();
    let queuedStored = 0;
    for (let i = awayFrom; i < awayTo; i++) if (storedTimes.has(readingOf(i, { stations: MINI_STATIONS, base }).ts)) queuedStored++;
    const check = compareRows(expectedRows(o.total, { stations: MINI_STATIONS, base }), await duckdbStationRows(join(dataDir, DUCKDB_FILE)));
    return {
      check,
      published: load.acked,
      restarts,
      queued: awayTo - awayFrom,
      queuedStored,
      publishErrors: load.errors,
      line: figures('broker restart', load.acked, check, { restarts, queuedWhileAway: awayTo - awayFrom, queuedStored }),
    };
  } finally {
    await load.stop();
    await ingest?.stop({ drainTimeoutMs: 0 });
    await store.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
