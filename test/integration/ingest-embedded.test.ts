// The embedded aedes broker of `npm start`: publishers (mqtt.js, mosquitto_pub) reach the
// ingester through it; acknowledgement after storage and the in-flight cap hold there too.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../../config/config';
import { loadNetwork } from '../../domain/network-loader';
import type { Metric } from '../../domain/telemetry';
import { EmbeddedBroker } from '../../ingest/embedded-broker';
import { createIngestService, type IngestService } from '../../ingest/ingest-service';
import { MemoryStore } from '../../store/memory-store';
import { findBinary, requireBinary } from '../support/require-binary';

const network = loadNetwork(fileURLToPath(new URL('../../fixtures/networks/mini.json', import.meta.url)));
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const run = promisify(execFile);

/** A MemoryStore whose writes wait while `held` is true. */
class GatedStore extends MemoryStore {
  held = false;
  private waiting: Array<() => void> = [];
  override async write(batch: readonly Metric[]): Promise<void> {
    if (this.held) await new Promise<void>((r) => this.waiting.push(r));
    return super.write(batch);
  }
  release(): void {
    this.held = false;
    for (const w of this.waiting.splice(0)) w();
  }
}

async function gauge(registry: Registry, name: string): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  return ((m?.values ?? []) as Array<{ value: number }>).reduce((a, v) => a + v.value, 0);
}

describe('ingest through the embedded aedes broker', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  const startService = async (store: MemoryStore, env: Record<string, string> = {}) => {
    const registry = new Registry();
    const config = loadConfig({ HEAT_MQTT_URL: '', HEAT_MQTT_PORT: '0', HEAT_FLUSH_MS: '100', ...env });
    const service: IngestService = createIngestService({ config, network, store, registry, logger, ingester: { reconnectPeriodMs: 200 } });
    const { mqttUrl, embedded } = await service.start();
    cleanup.push(() => service.stop({ drainTimeoutMs: 0 }));
    return { service, registry, url: mqttUrl, embedded };
  };
  const connect = async (url: string, opts: mqtt.IClientOptions = {}): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...opts });
    cleanup.push(() => c.endAsync(true));
    return c;
  };
  const values = async (store: MemoryStore, measurement: 'station' | 'weather', id: string, field: string) => {
    const s = await store.query({ measurement, id, fields: [field], from: Date.now() - 86_400_000, to: Date.now() + 86_400_000 });
    return (s[0]?.points ?? []).map((p) => p.value);
  };

  it('starts aedes when HEAT_MQTT_URL is empty and stores what a plain mqtt.js client publishes', async () => {
    const store = new MemoryStore();
    await store.connect();
    const { url, embedded } = await startService(store);
    expect(embedded).toBe(true);
    expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const pub = await connect(url);
    await pub.publishAsync('heat/v1/weather/jyg', JSON.stringify({ ts: new Date().toISOString(), values: { t_outdoor: -11.5 } }), { qos: 1 });
    await vi.waitFor(async () => expect(await values(store, 'weather', 'jyg', 't_outdoor')).toEqual([-11.5]), { timeout: 10_000, interval: 50 });
  });

  const mosquittoPub = findBinary('mosquitto_pub') ?? requireBinary('mosquitto_pub', 'publishing with the Mosquitto CLI client');
  it.skipIf(!mosquittoPub)('stores what mosquitto_pub publishes', async () => {
    const store = new MemoryStore();
    await store.connect();
    const { url } = await startService(store);
    const port = new URL(url).port;
    const body = JSON.stringify({ ts: Date.now(), values: { t2_supply: 47.25, pump_state: 'run' } });
    await run(mosquittoPub as string, ['-h', '127.0.0.1', '-p', port, '-q', '1', '-i', 'cli-pub', '-t', 'heat/v1/station/dexuan', '-m', body]);
    await vi.waitFor(async () => expect(await values(store, 'station', 'dexuan', 't2_supply')).toEqual([47.25]), { timeout: 10_000, interval: 50 });
  });

  it('acknowledges after storage: an unstored message is redelivered to a restarted ingester (aedes keeps the session)', async () => {
    const broker = new EmbeddedBroker({ port: 0, logger });
    const { url } = await broker.start();
    cleanup.push(() => broker.stop());
    const env = { HEAT_MQTT_URL: url, HEAT_MQTT_CLIENT_ID: 'aedes-ack' };
    const mk = async (store: MemoryStore) => {
      const registry = new Registry();
      const service = createIngestService({ config: loadConfig({ ...env, HEAT_FLUSH_MS: '100' }), network, store, registry, logger, ingester: { protocolVersion: 4, brokerInflightWindow: 100 } });
      await service.start();
      return { service, registry };
    };
    const first = new GatedStore();
    await first.connect();
    first.held = true;
    const a = await mk(first);
    const pub = await connect(url);
    await pub.publishAsync('heat/v1/station/xiyu', JSON.stringify({ ts: Date.now(), values: { p2_supply: 0.42 } }), { qos: 1 });
    await vi.waitFor(async () => expect(await gauge(a.registry, 'heat_ingest_inflight_messages')).toBe(1), { timeout: 10_000, interval: 20 });
    await a.service.stop({ drainTimeoutMs: 0 });

    const second = new MemoryStore();
    await second.connect();
    const b = await mk(second);
    cleanup.push(() => b.service.stop({ drainTimeoutMs: 0 }));
    await vi.waitFor(async () => expect(await values(second, 'station', 'xiyu', 'p2_supply')).toEqual([0.42]), { timeout: 10_000, interval: 50 });
    first.release();
  });

  it('caps messages taken in at HEAT_MAX_INFLIGHT although aedes has no window, and takes the rest once stored', async () => {
    const store = new GatedStore();
    await store.connect();
    store.held = true;
    const { url, registry } = await startService(store, { HEAT_MAX_INFLIGHT: '5' });
    const pub = await connect(url);
    const t0 = Date.now() - 60_000;
    await Promise.all(Array.from({ length: 40 }, (_, i) => pub.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts: t0 + i, values: { flow1: i } }), { qos: 1 })));
    await vi.waitFor(async () => expect(await gauge(registry, 'heat_ingest_inflight_messages')).toBe(5), { timeout: 10_000, interval: 20 });
    // aedes has acknowledged all 40 to the publisher and forwards in order; one more round trip
    // through the broker gives any message it already sent us time to be counted.
    await pub.publishAsync('heat/v1/station/dexuan/barrier', 'x', { qos: 1 });
    expect(await gauge(registry, 'heat_ingest_messages_received_total')).toBe(5);
    store.release();
    await vi.waitFor(async () => expect(await values(store, 'station', 'dexuan', 'flow1')).toHaveLength(40), { timeout: 10_000, interval: 50 });
    expect(await gauge(registry, 'heat_ingest_inflight_messages')).toBe(0);
  });

  it('with a username set, refuses a client without the password and accepts one with it', async () => {
    const broker = new EmbeddedBroker({ port: 0, logger, username: 'heat', password: 's3cret' });
    const { url } = await broker.start();
    cleanup.push(() => broker.stop());
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0, username: 'heat', password: 'wrong' })).rejects.toThrow(/Bad username or password|Not authorized/i);
    const ok = await connect(url, { username: 'heat', password: 's3cret' });
    expect(ok.connected).toBe(true);
  });
});
