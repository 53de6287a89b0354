// Issue 9, item 5: the Mosquitto configuration shipped in deploy/mosquitto (mosquitto.conf + the
// acl and passwd generated from the network) on a real Mosquitto: the access contract, and the
// product's ingester working under it (stores a gateway's reading, reports a rejection).
import { afterAll, describe, expect, it, vi } from 'vitest';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { derivedPassword } from '../../auth/mqtt-credentials';
import { loadConfig } from '../../config/config';
import { loadNetwork } from '../../domain/network-loader';
import { createIngestService } from '../../ingest/ingest-service';
import { MemoryStore } from '../../store/memory-store';
import { findBinary } from '../support/require-binary';
import { brokerAccessContract } from './support/broker-access-contract';
import { startShippedMosquitto, type ShippedMosquitto } from './support/shipped-mosquitto';

const MINI = new URL('../../fixtures/networks/mini.json', import.meta.url).pathname;
const network = loadNetwork(MINI);
const SECRET = 'mosquitto-test-gateway-secret';
const SERVICE = { username: 'heat-ingest', password: 'ingest-service-password-1' };
const skip = findBinary('mosquitto', ['/usr/sbin/mosquitto']) === undefined && process.env.CI !== 'true';

brokerAccessContract(
  'Mosquitto with deploy/mosquitto/mosquitto.conf',
  async () => {
    const m = await startShippedMosquitto(network, SECRET, SERVICE);
    return m && { url: m.url, service: SERVICE, secret: SECRET, stop: () => m.stop() };
  },
  skip,
);

describe.skipIf(skip)('the ingester under the shipped Mosquitto ACL', () => {
  let m: ShippedMosquitto | undefined;
  afterAll(async () => {
    await m?.stop();
  });

  it('stores a gateway’s reading and publishes the rejection of a bad one', async () => {
    m = await startShippedMosquitto(network, SECRET, SERVICE);
    if (!m) throw new Error('mosquitto did not start');
    const store = new MemoryStore();
    await store.connect();
    const config = loadConfig({ HEAT_NETWORK: MINI, HEAT_MQTT_URL: m.url, HEAT_MQTT_USERNAME: SERVICE.username, HEAT_MQTT_PASSWORD: SERVICE.password, HEAT_MQTT_CLIENT_ID: `acl-ingest-${process.pid}`, HEAT_FLUSH_MS: '50', HEAT_DISK_BUFFER_MAX_BYTES: '0' });
    const ingest = createIngestService({ config, network, store, registry: new Registry(), logger: pino({ level: 'silent' }) });
    await ingest.start();
    const watcher = await mqtt.connectAsync(m.url, { ...SERVICE, clientId: `acl-watch-${process.pid}`, protocolVersion: 5 });
    const rejected: string[] = [];
    watcher.on('message', (_t, p) => rejected.push((JSON.parse(p.toString()) as { code: string }).code));
    await watcher.subscribeAsync('heat/v1/_rejected', { qos: 1 });
    const gw = await mqtt.connectAsync(m.url, { username: 'gw-dexuan', password: derivedPassword(SECRET, 'gw-dexuan'), clientId: `acl-gw-${process.pid}`, protocolVersion: 5 });
    try {
      const ts = Date.now() - 60_000;
      await gw.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts, values: { t2_supply: 51.25 } }), { qos: 1 });
      await gw.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts, values: { t2_supply: 'hot' } }), { qos: 1 });
      await vi.waitFor(async () => {
        const s = await store.query({ measurement: 'station', id: 'dexuan', fields: ['t2_supply'], from: ts, to: ts + 1 });
        expect(s[0]?.points).toEqual([{ time: ts, value: 51.25 }]);
      }, { timeout: 15_000, interval: 100 });
      await vi.waitFor(() => expect(rejected).toEqual(['FIELD_TYPE']), { timeout: 15_000, interval: 100 });
    } finally {
      await gw.endAsync();
      await watcher.endAsync();
      await ingest.stop({ drainTimeoutMs: 1000 });
    }
  }, 60_000);
});
