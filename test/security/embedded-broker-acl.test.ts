// Issue 9, item 5: the embedded broker of the composed app (`npm start` with
// HEAT_MQTT_GATEWAY_SECRET set) under the same access contract as the shipped Mosquitto, and the
// app's own ingester working under it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import mqtt from 'mqtt';
import { createLogger } from '../../app/logger';
import { startApp, type RunningApp } from '../../app/start-app';
import { derivedPassword } from '../../auth/mqtt-credentials';
import { adminToken, e2eConfig } from '../e2e/app-config';
import { brokerAccessContract } from './support/broker-access-contract';

const SECRET = 'embedded-test-gateway-secret';
const SERVICE = { username: 'heat-ingest', password: 'ingest-service-password-1' };
const env = { HEAT_MQTT_GATEWAY_SECRET: SECRET, HEAT_MQTT_USERNAME: SERVICE.username, HEAT_MQTT_PASSWORD: SERVICE.password, HEAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'heat-acl-')), LOG_LEVEL: 'silent' };

let app: RunningApp | undefined;
brokerAccessContract(
  'embedded aedes broker of the composed app',
  async () => {
    app = await startApp(e2eConfig(env), createLogger('silent'));
    const a = app;
    return { url: a.mqttUrl, service: SERVICE, secret: SECRET, stop: () => a.stop() };
  },
  false,
);

describe('the app’s ingester under the embedded broker’s access rules', () => {
  it('stores what a station gateway publishes with its derived password', async () => {
    const a = await startApp(e2eConfig({ ...env, HEAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'heat-acl-')) }), createLogger('silent'));
    const gw = await mqtt.connectAsync(a.mqttUrl, { username: 'gw-dexuan', password: derivedPassword(SECRET, 'gw-dexuan'), clientId: 'acl-app-gw', protocolVersion: 4 });
    try {
      const ts = Date.now() - 60_000;
      await gw.publishAsync('heat/v1/compound/longhu-huating', JSON.stringify({ ts, values: { 't_indoor.longhu-huating-s1': 17.75 } }), { qos: 1 });
      const auth = { authorization: `Bearer ${await adminToken(a.url)}` };
      await vi.waitFor(async () => {
        const r = await fetch(`${a.url}api/series?entity=compound:longhu-huating&fields=t_indoor&from=${ts}&to=${ts + 1}&every=raw`, { headers: auth });
        const body = (await r.json()) as { series: Array<{ points: Array<[number, number]> }> };
        expect(body.series[0]?.points).toEqual([[ts, 17.75]]);
      }, { timeout: 15_000, interval: 100 });
    } finally {
      await gw.endAsync();
      await a.stop();
    }
  });
});
