// The whole app against real servers, as a utility would deploy it: a real Mosquitto as the
// broker and a real InfluxDB 1.6 as the store. A reading published over MQTT is stored in
// InfluxDB and served by /api/series; the malformed one beside it is rejected and counted.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { createLogger } from '../../app/logger';
import { startApp, type RunningApp } from '../../app/start-app';
import { startInfluxd, type RunningInfluxd } from '../support/influxd';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { adminToken, e2eConfig } from './app-config';

const mosquitto = await startMosquitto();
const influxd = mosquitto ? await startInfluxd() : undefined;

describe.skipIf(!mosquitto || !influxd)('app on Mosquitto + InfluxDB 1.6', () => {
  let app: RunningApp;
  let client: MqttClient;
  let auth: { authorization: string };
  const mq = mosquitto as Mosquitto;
  const db = influxd as RunningInfluxd;

  beforeAll(async () => {
    app = await startApp(
      e2eConfig({ HEAT_MQTT_URL: mq.url, HEAT_STORE: 'influx', INFLUX_API: 'v1', INFLUX_URL: db.url, INFLUX_DB: 'heat_e2e' }),
      createLogger('warn'),
    );
    client = await connectAsync(mq.url, { clientId: 'e2e-gateway-dexuan', protocolVersion: 5 });
    auth = { authorization: `Bearer ${await adminToken(app.url)}` };
  });
  afterAll(async () => {
    await client?.endAsync();
    await app?.stop();
    await mq.stop();
    await db.stop();
  });

  it('stores a published reading in InfluxDB and serves it, rejecting the bad one', async () => {
    const ts = Date.now() - 60_000;
    await client.publishAsync('heat/v1/compound/longhu-huating', JSON.stringify({ ts, sensor: 'longhu-huating-s1', values: { t_indoor: 15.8 } }), { qos: 1 });
    await client.publishAsync('heat/v1/compound/longhu-huating', JSON.stringify({ ts, values: { t_indoor: Number.MAX_VALUE, dp: 'high' } }), { qos: 1 });
    await client.publishAsync('heat/v1/station/nowhere', JSON.stringify({ ts, values: { t2_supply: 50 } }), { qos: 1 });
    await vi.waitFor(
      async () => {
        const r = await fetch(`${app.url}api/series?entity=compound:longhu-huating&fields=t_indoor&from=${ts}&to=${ts + 1}&every=raw`, { headers: auth });
        const body = (await r.json()) as { series: Array<{ sensor?: string; points: Array<[number, number]> }> };
        expect(body.series.map((s) => [s.sensor, s.points])).toEqual([['longhu-huating-s1', [[ts, 15.8]]]]);
      },
      { timeout: 20_000, interval: 200 },
    );
    await vi.waitFor(
      async () => {
        const m = await (await fetch(`${app.url}metrics`, { headers: auth })).text();
        expect(m).toMatch(/heat_ingest_messages_rejected_total\{code="UNKNOWN_ENTITY"\} 1/);
      },
      { timeout: 10_000, interval: 200 },
    );
    // Read back from InfluxDB itself, not only through our API.
    const q = await fetch(`${db.url}/query?db=heat_e2e&q=${encodeURIComponent('SELECT t_indoor FROM compound')}`);
    expect(JSON.stringify(await q.json())).toContain('15.8');
  });
});
