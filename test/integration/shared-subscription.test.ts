// Scaling ingest past one process: two ingesters (own client ids, own writers and stores, as two
// processes would have) share one `$share/<group>/heat/v1/...` subscription on a REAL mosquitto.
// Every message must be stored exactly once across the two, and both must get a share.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULTS } from '../../config/defaults';
import { loadNetwork } from '../../domain/network-loader';
import type { Metric } from '../../domain/telemetry';
import { createIngestMetrics, type IngestMetrics } from '../../ingest/ingest-metrics';
import { MqttIngester } from '../../ingest/mqtt-ingester';
import { MAX_FIELDS_PER_READING, MAX_READINGS } from '../../ingest/payload-schema';
import { IngestWriter } from '../../ingest/writer';
import { MemoryStore } from '../../store/memory-store';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { requireBinary } from '../support/require-binary';

const network = loadNetwork(fileURLToPath(new URL('../../fixtures/networks/mini.json', import.meta.url)));
const haveMosquitto = requireBinary('mosquitto', 'the shared-subscription test needs a real MQTT broker', ['/usr/sbin/mosquitto']) !== undefined;
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
let seq = 0;
const unique = (p: string): string => `${p}-${process.pid}-${++seq}`;

/** The reference store, also keeping every metric it was asked to write (it dedups by key itself). */
class RecordingStore extends MemoryStore {
  readonly written: Metric[] = [];
  override async write(batch: readonly Metric[]): Promise<void> {
    await super.write(batch);
    this.written.push(...batch);
  }
}

/** One ingest "process": its own store, writer, metrics and MQTT session. */
interface IngestProcess {
  readonly store: RecordingStore;
  readonly metrics: IngestMetrics;
  readonly ingester: MqttIngester;
  readonly writer: IngestWriter;
}

async function startIngest(url: string, group: string, protocolVersion: 4 | 5): Promise<IngestProcess> {
  const store = new RecordingStore();
  await store.connect();
  const metrics = createIngestMetrics(new Registry());
  const writer = new IngestWriter({ store, logger, metrics, batchSize: 500, bufferMax: 10_000, flushMs: 100 });
  writer.start();
  const ingester = new MqttIngester({
    url,
    clientId: unique('shared-ingest'),
    network,
    writer,
    logger,
    metrics,
    limits: {
      maxPayloadBytes: DEFAULTS.HEAT_MAX_PAYLOAD_BYTES,
      maxReadings: MAX_READINGS,
      maxFieldsPerReading: MAX_FIELDS_PER_READING,
      tsMaxFutureMs: DEFAULTS.HEAT_TS_MAX_FUTURE_MS,
      tsMaxPastMs: DEFAULTS.HEAT_TS_MAX_PAST_MS,
    },
    maxInflight: 200,
    sharedGroup: group,
    protocolVersion,
    // mosquitto's per-client window for 3.1.1 (startMosquitto's default, 20).
    ...(protocolVersion === 4 ? { brokerInflightWindow: 20 } : {}),
    reconnectPeriodMs: 200,
  });
  await ingester.start();
  return { store, metrics, ingester, writer };
}

async function counterValue(m: IngestMetrics['metricsStored']): Promise<number> {
  return (await m.get()).values.reduce((a, v) => a + v.value, 0);
}

describe.skipIf(!haveMosquitto)('two ingesters sharing one subscription on a real mosquitto', () => {
  let mq: Mosquitto;
  const running: IngestProcess[] = [];
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    const m = await startMosquitto();
    if (!m) throw new Error('mosquitto vanished between the check and the start');
    mq = m;
  });
  afterEach(async () => {
    for (const p of running.splice(0)) {
      await p.ingester.stop({ drainTimeoutMs: 5000 });
      p.writer.stop();
      await p.store.close();
    }
    for (const c of clients.splice(0)) await c.endAsync(true);
  });
  afterAll(async () => {
    await mq?.stop();
  });

  it.each([
    ['MQTT 5', 5 as const],
    ['MQTT 3.1.1', 4 as const],
  ])('stores every message exactly once across the two, and both get a share (%s)', async (_name, protocolVersion) => {
    const group = unique('ingest');
    const a = await startIngest(mq.url, group, protocolVersion);
    running.push(a);
    const b = await startIngest(mq.url, group, protocolVersion);
    running.push(b);
    expect(a.ingester.topicFilters[0]).toBe(`$share/${group}/heat/v1/station/+`);

    const pub = await mqtt.connectAsync(mq.url, { clientId: unique('pub'), reconnectPeriod: 0 });
    clients.push(pub);
    // Readings on every kind of topic the group shares; each carries a value unique to its message.
    const stations = network.stations.map((s) => s.id);
    const compounds = network.compounds.map((c) => c.id);
    const t0 = Date.now() - 3_600_000;
    const n = 600;
    const sent: Array<{ topic: string; key: string }> = [];
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const onStation = i % 3 !== 2;
        const id = onStation ? (stations[i % stations.length] as string) : (compounds[i % compounds.length] as string);
        const topic = onStation ? `heat/v1/station/${id}` : `heat/v1/compound/${id}`;
        const field = onStation ? 'flow2' : 'flow';
        const ts = t0 + i * 1000;
        sent.push({ topic, key: `${onStation ? 'station' : 'compound'}/${id}@${ts}` });
        return pub.publishAsync(topic, JSON.stringify({ ts, values: { [field]: i } }), { qos: 1 });
      }),
    );
    const stored = async (): Promise<number> => (await counterValue(a.metrics.metricsStored)) + (await counterValue(b.metrics.metricsStored));
    await vi.waitFor(async () => expect(await stored()).toBeGreaterThanOrEqual(n), { timeout: 30_000, interval: 50 });

    // A barrier: one more message, stored by either. Anything the broker delivered twice (to one
    // ingester or to both) would have been written before it, as each ingester takes messages in order.
    await pub.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts: t0 - 1000, values: { flow2: -1 } }), { qos: 1 });
    await vi.waitFor(async () => expect(await stored()).toBeGreaterThanOrEqual(n + 1), { timeout: 30_000, interval: 50 });
    expect(await stored()).toBe(n + 1);

    const keyOf = (m: Metric): string => `${m.measurement}/${m.tags.id}@${m.time}`;
    const all = [...a.store.written, ...b.store.written].filter((m) => m.time >= t0).map(keyOf);
    expect(all).toHaveLength(n);
    expect(new Set(all)).toEqual(new Set(sent.map((s) => s.key)));
    // Both got a share, and neither got a message the other also got.
    const fromA = new Set(a.store.written.map(keyOf));
    const fromB = new Set(b.store.written.map(keyOf));
    expect(fromA.size).toBeGreaterThan(0);
    expect(fromB.size).toBeGreaterThan(0);
    expect([...fromA].filter((k) => fromB.has(k))).toEqual([]);
    // The broker sent each message to one member only: received counts add up to what was published.
    const received = async (p: IngestProcess): Promise<number> => (await p.metrics.messagesReceived.get()).values.reduce((s, v) => s + v.value, 0);
    expect((await received(a)) + (await received(b))).toBe(n + 1);
  });
});
