// Wiring of the ingest path from the configuration: (embedded broker) → MQTT ingester → writer →
// store (→ on-disk buffer while the store is down), with self-metrics on the given registry and
// stored batches on the telemetry bus.
//
// Lifecycle: the app connects the store, then calls start(); at shutdown stop() (the ingester
// drains and disconnects, then the writer and the embedded broker stop), then closes the store.

import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/config';
import type { Clock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { TelemetryBus } from '../domain/telemetry-bus';
import type { TelemetryStore } from '../store/telemetry-store';
import { join } from 'node:path';
import { DISK_BUFFER_DIR, DiskBuffer } from './disk-buffer';
import { createDiskBufferMetrics } from './disk-buffer-metrics';
import { EmbeddedBroker, type BrokerAuthorizer } from './embedded-broker';
import { createIngestMetrics, type IngestMetrics } from './ingest-metrics';
import { MqttIngester, type MqttIngesterOptions } from './mqtt-ingester';
import { payloadLimits } from './payload-schema';
import { IngestWriter } from './writer';

export type IngestConfig = Pick<
  Config,
  | 'HEAT_MQTT_URL'
  | 'HEAT_MQTT_PORT'
  | 'HEAT_MQTT_USERNAME'
  | 'HEAT_MQTT_PASSWORD'
  | 'HEAT_MQTT_CLIENT_ID'
  | 'HEAT_MAX_INFLIGHT'
  | 'HEAT_MAX_PAYLOAD_BYTES'
  | 'HEAT_TS_MAX_FUTURE_MS'
  | 'HEAT_TS_MAX_PAST_MS'
  | 'HEAT_BUFFER_MAX'
  | 'HEAT_BATCH_SIZE'
  | 'HEAT_FLUSH_MS'
> &
  Partial<Pick<Config, 'HEAT_DATA_DIR' | 'HEAT_DISK_BUFFER_MAX_BYTES' | 'HEAT_DISK_BUFFER_SEGMENT_BYTES' | 'HEAT_DISK_BUFFER_FULL'>>;

export interface IngestServiceDeps {
  readonly config: IngestConfig;
  readonly network: NetworkModel;
  /** Connected by the caller before start(). */
  readonly store: Pick<TelemetryStore, 'write'>;
  readonly bus?: TelemetryBus;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Real time: flush timers, write latency, log limits. Default the system clock. */
  readonly clock?: Clock;
  /** The application's "now" for judging reading timestamps (simulated time in the demo). */
  readonly eventClock?: Clock;
  /** Ingester settings beyond the configuration (shared group, session expiry, protocol…). */
  readonly ingester?: Partial<Pick<MqttIngesterOptions, 'sharedGroup' | 'sessionExpirySec' | 'protocolVersion' | 'brokerInflightWindow' | 'reconnectPeriodMs' | 'keepaliveSec'>>;
  /** Who may connect to the embedded broker and use which topics (auth/mqtt-authorizer.ts); none = HEAT_MQTT_USERNAME only, or anonymous. */
  readonly brokerAuth?: BrokerAuthorizer;
}

export interface IngestService {
  readonly metrics: IngestMetrics;
  readonly writer: IngestWriter;
  /** Starts the embedded broker when HEAT_MQTT_URL is empty, then the writer and the ingester. */
  start(): Promise<{ readonly mqttUrl: string; readonly embedded: boolean }>;
  stop(opts?: { drainTimeoutMs?: number }): Promise<void>;
}

export function createIngestService(d: IngestServiceDeps): IngestService {
  const c = d.config;
  const log = d.logger;
  const metrics = createIngestMetrics(d.registry);
  // The disk buffer is on when a data folder and a size are configured (HEAT_DISK_BUFFER_MAX_BYTES=0: off).
  const disk =
    c.HEAT_DATA_DIR && (c.HEAT_DISK_BUFFER_MAX_BYTES ?? 0) > 0
      ? new DiskBuffer({
          dir: join(c.HEAT_DATA_DIR, DISK_BUFFER_DIR, c.HEAT_MQTT_CLIENT_ID),
          maxBytes: c.HEAT_DISK_BUFFER_MAX_BYTES as number,
          segmentBytes: c.HEAT_DISK_BUFFER_SEGMENT_BYTES ?? 8_388_608,
          full: c.HEAT_DISK_BUFFER_FULL ?? 'block',
          logger: log.child({ part: 'disk-buffer' }),
          metrics: createDiskBufferMetrics(d.registry),
        })
      : undefined;
  const writer = new IngestWriter({
    store: d.store,
    logger: log.child({ part: 'ingest-writer' }),
    metrics,
    ...(d.bus ? { bus: d.bus } : {}),
    batchSize: c.HEAT_BATCH_SIZE,
    bufferMax: c.HEAT_BUFFER_MAX,
    flushMs: c.HEAT_FLUSH_MS,
    ...(d.clock ? { clock: d.clock } : {}),
    ...(disk ? { spill: disk } : {}),
  });
  let broker: EmbeddedBroker | undefined;
  let ingester: MqttIngester | undefined;

  return {
    metrics,
    writer,
    async start() {
      const embedded = c.HEAT_MQTT_URL === '';
      let url = c.HEAT_MQTT_URL;
      if (embedded) {
        broker = new EmbeddedBroker({
          port: c.HEAT_MQTT_PORT,
          host: '0.0.0.0',
          logger: log.child({ part: 'mqtt-broker' }),
          ...(c.HEAT_MQTT_USERNAME ? { username: c.HEAT_MQTT_USERNAME, password: c.HEAT_MQTT_PASSWORD } : {}),
          ...(d.brokerAuth ? { authorizer: d.brokerAuth } : {}),
        });
        url = (await broker.start()).url;
      }
      await disk?.open();
      writer.start();
      ingester = new MqttIngester({
        url,
        clientId: c.HEAT_MQTT_CLIENT_ID,
        ...(c.HEAT_MQTT_USERNAME ? { username: c.HEAT_MQTT_USERNAME, password: c.HEAT_MQTT_PASSWORD } : {}),
        network: d.network,
        writer,
        logger: log.child({ part: 'mqtt-ingester' }),
        metrics,
        ...(d.clock ? { clock: d.clock } : {}),
        ...(d.eventClock ? { eventClock: d.eventClock } : {}),
        limits: payloadLimits(c),
        maxInflight: c.HEAT_MAX_INFLIGHT,
        // aedes speaks MQTT 3.1.1 only and has no outgoing window: the in-flight cap is ours alone.
        ...(embedded ? { protocolVersion: 4 as const, brokerInflightWindow: c.HEAT_MAX_INFLIGHT } : {}),
        ...d.ingester,
      });
      try {
        await ingester.start();
      } catch (e) {
        writer.stop();
        await disk?.close();
        await broker?.stop();
        throw e;
      }
      return { mqttUrl: url, embedded };
    },
    async stop(opts) {
      await ingester?.stop(opts);
      writer.stop();
      await disk?.close();
      await broker?.stop();
      ingester = undefined;
      broker = undefined;
    },
  };
}
