// Scenario 2 (issue 9): InfluxDB crashes (SIGKILL) under steady QoS 1 load and comes back later.
// What must hold: the ingester keeps acknowledging while the outage lasts (readings go to the
// bounded on-disk buffer, fsynced first); when InfluxDB is back the backlog is replayed in arrival
// order, then new readings follow; every published reading ends up stored exactly once. With a
// disk buffer smaller than the outage (policy block), the overflow stays unacknowledged at the
// broker instead: still nothing lost, and the refusal is counted and logged.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry, type Counter, type Gauge } from 'prom-client';
import { loadConfig } from '../../../config/config';
import { loadNetwork } from '../../../domain/network-loader';
import { createTelemetryBus } from '../../../domain/telemetry-bus';
import { DISK_BUFFER_DIR } from '../../../ingest/disk-buffer';
import { createIngestService } from '../../../ingest/ingest-service';
import { createStore } from '../../../store/create-store';
import type { RunningInfluxd } from '../../support/influxd';
import type { Mosquitto } from '../../support/mosquitto';
import { expectedRows, LOAD_FIELDS, startLoad } from '../support/load-publisher';
import { pollUntil } from '../support/poll';
import { compareRows, figures, influxStationRows, type RowCheck } from '../support/verify-rows';
import { MINI_NETWORK, MINI_STATIONS } from './process-kill';

export interface DbOutageOptions {
  readonly total: number;
  readonly rate: number;
  /** Readings published while InfluxDB is down. */
  readonly outageReadings: number;
  readonly diskMaxBytes: number;
  readonly diskSegmentBytes?: number;
}

export interface DbOutageResult {
  readonly check: RowCheck;
  readonly published: number;
  /** Metrics the ingester had spilled to disk when InfluxDB came back. */
  readonly spilledDuringOutage: number;
  /** Messages taken in and not acknowledged when InfluxDB came back. */
  readonly unackedAtResume: number;
  readonly spilled: number;
  readonly replayed: number;
  readonly refusedFull: number;
  readonly droppedAnywhere: number;
  /** The times of stored readings in the order the store took them: increasing means replay kept arrival order. */
  readonly inOrder: boolean;
  readonly fullLogLines: number;
  /** Largest size of the disk buffer seen during the run (sampled every 100 ms). */
  readonly peakDiskBytes: number;
  readonly diskFilesLeft: number;
  readonly line: string;
}

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = registry.getSingleMetric(name) as Counter | Gauge | undefined;
  if (!m) return 0;
  const { values } = await m.get();
  return values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((a, v) => a + v.value, 0);
}

export async function runDbOutage(mq: Mosquitto, influxd: RunningInfluxd, o: DbOutageOptions): Promise<DbOutageResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heat-chaos-outage-'));
  const clientId = `chaos-outage-${process.pid}-${Date.now()}`;
  const database = `heat_chaos_${process.pid}_${Date.now()}`;
  const config = loadConfig({
    HEAT_NETWORK: MINI_NETWORK,
    HEAT_DATA_DIR: dataDir,
    HEAT_STORE: 'influx',
    INFLUX_API: 'v1',
    INFLUX_URL: influxd.url,
    INFLUX_DB: database,
    HEAT_MQTT_URL: mq.url,
    HEAT_MQTT_CLIENT_ID: clientId,
    HEAT_FLUSH_MS: '100',
    HEAT_DISK_BUFFER_MAX_BYTES: String(o.diskMaxBytes),
    HEAT_DISK_BUFFER_SEGMENT_BYTES: String(o.diskSegmentBytes ?? 65_536),
    HEAT_DISK_BUFFER_FULL: 'block',
    LOG_LEVEL: 'warn',
  });
  const logLines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'warn' }, { write: (s: string) => void logLines.push(JSON.parse(s) as { level: number; msg: string }) });
  const registry = new Registry();
  const bus = createTelemetryBus();
  // Times of stored readings in the order the store took them; a batch stored twice (written by
  // InfluxDB just before it died, then replayed from disk) counts at its first storing.
  const order: number[] = [];
  const seen = new Set<number>();
  bus.subscribe((b) => {
    for (const m of b) {
      if (m.fields.t2_supply === undefined || seen.has(m.time)) continue;
      seen.add(m.time);
      order.push(m.time);
    }
  });
  const store = createStore(config);
  await store.connect();
  const ingest = createIngestService({ config, network: loadNetwork(MINI_NETWORK), store, bus, registry, logger, ingester: { reconnectPeriodMs: 250 } });
  await ingest.start();
  const base = Date.now() - 3_600_000;
  let peakDiskBytes = 0;
  const sampler = setInterval(() => {
    void value(registry, 'heat_ingest_disk_buffer_bytes').then((b) => (peakDiskBytes = Math.max(peakDiskBytes, b)));
  }, 100);
  const load = await startLoad({ url: mq.url, stations: MINI_STATIONS, total: o.total, rate: o.rate, base, clientId: `chaos-gw-outage-${process.pid}` });
  try {
    const before = Math.floor((o.total - o.outageReadings) / 2);
    await load.sentAtLeast(before);
    await pollUntil(() => order.length > 0, 30_000, 'the first stored batch');
    await influxd.halt('SIGKILL');
    const from = load.sent;
    await load.sentAtLeast(from + o.outageReadings);
    const spilledDuringOutage = await value(registry, 'heat_ingest_disk_buffer_spilled_metrics_total');
    const unackedAtResume = ingest.writer.inflight;
    await influxd.resume();
    await load.done();
    await pollUntil(() => order.length >= o.total, 180_000, () => `all ${o.total} readings stored (has ${order.length})`, 250);
    await ingest.stop({ drainTimeoutMs: 10_000 });
    await store.close();
    const check = compareRows(expectedRows(o.total, { stations: MINI_STATIONS, base }), await influxStationRows(influxd.url, database, LOAD_FIELDS));
    let inOrder = true;
    for (let i = 1; i < order.length; i++) if ((order[i] as number) <= (order[i - 1] as number)) inOrder = false;
    const dir = join(dataDir, DISK_BUFFER_DIR, clientId);
    let diskFilesLeft = 0;
    try {
      diskFilesLeft = readdirSync(dir).length;
    } catch {
      diskFilesLeft = 0; // removed at close: empty
    }
    const r = {
      check,
      published: load.acked,
      spilledDuringOutage,
      unackedAtResume,
      spilled: await value(registry, 'heat_ingest_disk_buffer_spilled_metrics_total'),
      replayed: await value(registry, 'heat_ingest_disk_buffer_replayed_metrics_total'),
      refusedFull: await value(registry, 'heat_ingest_disk_buffer_refused_batches_total', { reason: 'full' }),
      droppedAnywhere: (await value(registry, 'heat_ingest_disk_buffer_dropped_metrics_total')) + (await value(registry, 'heat_ingest_buffer_dropped_total')),
      inOrder,
      fullLogLines: logLines.filter((l) => /disk buffer full/.test(l.msg)).length,
      peakDiskBytes,
      diskFilesLeft,
    };
    return {
      ...r,
      line: figures('InfluxDB outage', r.published, check, {
        outageReadings: o.outageReadings,
        diskMaxBytes: o.diskMaxBytes,
        spilled: r.spilled,
        replayed: r.replayed,
        refusedFull: r.refusedFull,
        dropped: r.droppedAnywhere,
        peakDiskBytes,
        unackedAtResume: r.unackedAtResume,
        inOrder: String(inOrder),
      }),
    };
  } finally {
    clearInterval(sampler);
    await load.stop();
    await ingest.stop({ drainTimeoutMs: 0 });
    await store.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
