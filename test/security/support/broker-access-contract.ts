// One access contract for both brokers we ship (aedes embedded, Mosquitto with deploy/mosquitto):
// credentials required; a station gateway publishes its own station's and compounds' topics only
// and subscribes to nothing; the service account reads telemetry. Run with MQTT 3.1.1 (aedes
// speaks nothing else): a refused publish is dropped by Mosquitto and closes the connection on
// aedes; either way it never reaches a subscriber, which is what is checked.

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedPassword } from '../../../auth/mqtt-credentials';

export interface BrokerUnderTest {
  readonly url: string;
  readonly service: { readonly username: string; readonly password: string };
  readonly secret: string;
  stop(): Promise<void>;
}

let seq = 0;

export function brokerAccessContract(name: string, setup: () => Promise<BrokerUnderTest | undefined>, skip: boolean): void {
  describe.skipIf(skip)(`${name}: MQTT access`, () => {
    let b: BrokerUnderTest;
    const clients: MqttClient[] = [];
    const connect = async (o: IClientOptions): Promise<MqttClient> => {
      const c = await mqtt.connectAsync(b.url, { clientId: `acl-${process.pid}-${++seq}`, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...o });
      clients.push(c);
      return c;
    };
    const gateway = (station: string, password = derivedPassword(b.secret, `gw-${station}`)) => connect({ username: `gw-${station}`, password });

    beforeAll(async () => {
      const got = await setup();
      if (!got) throw new Error('broker did not start');
      b = got;
    });
    afterAll(async () => {
      for (const c of clients) await c.endAsync(true).catch(() => {});
      await b?.stop();
    });

    it('refuses anonymous clients, wrong passwords, unknown users and one gateway’s password for another', async () => {
      await expect(connect({})).rejects.toThrow(/not authorized|bad user|refused/i);
      await expect(connect({ username: b.service.username, password: `${b.service.password}x` })).rejects.toThrow(/not authorized|bad user|refused/i);
      await expect(connect({ username: 'gw-nowhere', password: derivedPassword(b.secret, 'gw-nowhere') })).rejects.toThrow(/not authorized|bad user|refused/i);
      await expect(gateway('dexuan', derivedPassword(b.secret, 'gw-xingfu'))).rejects.toThrow(/not authorized|bad user|refused/i);
      await expect(gateway('dexuan', derivedPassword('another-secret-entirely', 'gw-dexuan'))).rejects.toThrow(/not authorized|bad user|refused/i);
    });

    it('a gateway cannot read telemetry (its subscription is refused, or granted and never fed); the service account reads it', async () => {
      const svc = await connect({ username: b.service.username, password: b.service.password });
      const s = await svc.subscribeAsync(['heat/v1/station/+', 'heat/v1/compound/+', 'heat/v1/weather/+', 'heat/v1/_rejected'], { qos: 1 });
      expect(s.map((x) => x.qos)).toEqual([1, 1, 1, 1]);
      const svcGot: string[] = [];
      svc.on('message', (t) => svcGot.push(t));
      const spy = await gateway('xingfu');
      const spied: string[] = [];
      spy.on('message', (t) => spied.push(t));
      // aedes refuses the subscription (0x80); Mosquitto 2 grants it and checks read access per message.
      // (mqtt.js rejects a SUBACK whose every code is a failure)
      const g = await spy.subscribeAsync(['heat/v1/#', 'heat/v1/station/dexuan'], { qos: 1 }).catch((e: Error) => e);
      if (g instanceof Error) expect(g.message).toMatch(/subscribe error/i);
      else for (const x of g) expect([0, 1, 128]).toContain(x.qos);
      const gw = await gateway('dexuan');
      await gw.publishAsync('heat/v1/station/dexuan', 'read-me-if-you-can', { qos: 1 });
      const deadline = Date.now() + 10_000;
      while (!svcGot.includes('heat/v1/station/dexuan') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(svcGot).toContain('heat/v1/station/dexuan');
      // The service account got it; by then a subscriber allowed to read would have too.
      await spy.publishAsync('heat/v1/station/xingfu', 'flush', { qos: 1 });
      expect(spied).toEqual([]);
    });

    it('a station gateway publishes its own station and compounds; another station’s topic never reaches a subscriber', async () => {
      const svc = await connect({ username: b.service.username, password: b.service.password });
      const got: string[] = [];
      svc.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
      await svc.subscribeAsync(['heat/v1/station/+', 'heat/v1/compound/+', 'heat/v1/_rejected'], { qos: 1 });
      const gw = await gateway('dexuan');
      await gw.publishAsync('heat/v1/station/dexuan', 'own-station', { qos: 1 });
      await gw.publishAsync('heat/v1/compound/longhu-huating', 'own-compound', { qos: 1 });
      // Refused: Mosquitto drops it (3.1.1 has no refusal code), aedes closes the connection.
      gw.publish('heat/v1/station/xingfu', 'forged-other-station', { qos: 1 });
      gw.publish('heat/v1/_rejected', 'forged-rejection', { qos: 1 });
      // Published after the refused ones on a fresh connection: once it is in, anything
      // forwarded before it would be too.
      const gw2 = await gateway('dexuan');
      await gw2.publishAsync('heat/v1/compound/donghu-yiyuan', 'marker', { qos: 1 });
      const deadline = Date.now() + 10_000;
      while (!got.some((m) => m.endsWith(' marker')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(got).toContain('heat/v1/station/dexuan own-station');
      expect(got).toContain('heat/v1/compound/longhu-huating own-compound');
      expect(got).toContain('heat/v1/compound/donghu-yiyuan marker');
      expect(got.filter((m) => m.includes('forged'))).toEqual([]);
      // and a gateway of another station cannot publish for dexuan
      const other = await gateway('xingfu');
      other.publish('heat/v1/station/dexuan', 'forged-by-xingfu', { qos: 1 });
      const gw3 = await gateway('xingfu');
      await gw3.publishAsync('heat/v1/compound/xingfu-b', 'marker-2', { qos: 1 });
      const d2 = Date.now() + 10_000;
      while (!got.some((m) => m.endsWith(' marker-2')) && Date.now() < d2) await new Promise((r) => setTimeout(r, 50));
      expect(got).toContain('heat/v1/compound/xingfu-b marker-2');
      expect(got.filter((m) => m.includes('forged'))).toEqual([]);
    });
  });
}
