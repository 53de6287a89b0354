import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../domain/network-loader';
import { createMqttAuthorizer } from './mqtt-authorizer';
import { derivedPassword, mosquittoPasswordLine, verifyMosquittoHash } from './mqtt-credentials';

const network = loadNetwork(new URL('../fixtures/networks/mini.json', import.meta.url).pathname);
const SECRET = 'a-gateway-secret-of-some-length';
const pw = (u: string) => Buffer.from(derivedPassword(SECRET, u));

describe('MQTT access rules', () => {
  const a = createMqttAuthorizer({ network, serviceUsername: 'heat-ingest', servicePassword: 'ingest-password-123', gatewaySecret: SECRET, servicePublishesTelemetry: false });

  it('authenticates gateways by derived password and the service account; refuses everyone else', () => {
    expect(a.authenticate('gw-dexuan', pw('gw-dexuan'))).toBe('gw-dexuan');
    expect(a.authenticate('gw-dexuan', pw('gw-xingfu'))).toBeUndefined();
    expect(a.authenticate('gw-nowhere', pw('gw-nowhere'))).toBeUndefined();
    expect(a.authenticate('wx-jyg', pw('wx-jyg'))).toBe('wx-jyg');
    expect(a.authenticate('heat-ingest', Buffer.from('ingest-password-123'))).toBe('service');
    expect(a.authenticate('heat-ingest', Buffer.from('ingest-password-12'))).toBeUndefined();
    expect(a.authenticate(undefined, undefined)).toBeUndefined();
    expect(a.authenticate('gw-dexuan', undefined)).toBeUndefined();
  });

  it('a station gateway publishes its station and its compounds only, and subscribes to nothing', () => {
    expect(a.canPublish('gw-dexuan', 'heat/v1/station/dexuan')).toBe(true);
    expect(a.canPublish('gw-dexuan', 'heat/v1/compound/longhu-huating')).toBe(true);
    expect(a.canPublish('gw-dexuan', 'heat/v1/station/xingfu')).toBe(false);
    expect(a.canPublish('gw-dexuan', 'heat/v1/compound/xingfu-b')).toBe(false);
    expect(a.canPublish('gw-dexuan', 'heat/v1/weather/jyg')).toBe(false);
    expect(a.canPublish('gw-dexuan', 'heat/v1/_rejected')).toBe(false);
    expect(a.canPublish('gw-dexuan', 'heat/v1/station/dexuan/extra')).toBe(false);
    expect(a.canSubscribe('gw-dexuan', 'heat/v1/#')).toBe(false);
    expect(a.canSubscribe('gw-dexuan', 'heat/v1/station/dexuan')).toBe(false);
    expect(a.canPublish('wx-jyg', 'heat/v1/weather/jyg')).toBe(true);
  });

  it('the service account reads telemetry (also shared) and reports rejections; publishes telemetry only with the simulator on', () => {
    for (const f of ['heat/v1/station/+', 'heat/v1/compound/+', 'heat/v1/weather/+', '$share/ingest/heat/v1/station/+', 'heat/v1/_rejected']) expect(a.canSubscribe('service', f)).toBe(true);
    expect(a.canSubscribe('service', '#')).toBe(false);
    expect(a.canSubscribe('service', '$SYS/#')).toBe(false);
    expect(a.canPublish('service', 'heat/v1/_rejected')).toBe(true);
    expect(a.canPublish('service', 'heat/v1/station/dexuan')).toBe(false);
    const sim = createMqttAuthorizer({ network, serviceUsername: 'heat-ingest', servicePassword: 'ingest-password-123', gatewaySecret: SECRET, servicePublishesTelemetry: true });
    expect(sim.canPublish('service', 'heat/v1/station/dexuan')).toBe(true);
    expect(sim.canPublish('service', 'heat/v1/other')).toBe(false);
  });

  it('refuses a configuration without a service account', () => {
    expect(() => createMqttAuthorizer({ network, serviceUsername: '', servicePassword: '', gatewaySecret: SECRET, servicePublishesTelemetry: false })).toThrow(/HEAT_MQTT_USERNAME/);
  });

  it('writes Mosquitto $7$ password lines that verify', () => {
    const line = mosquittoPasswordLine('gw-dexuan', 'pw-1234567890');
    expect(line).toMatch(/^gw-dexuan:\$7\$1000\$[A-Za-z0-9+/=]{16}\$[A-Za-z0-9+/=]{88}$/);
    const hash = line.slice('gw-dexuan:'.length);
    expect(verifyMosquittoHash('pw-1234567890', hash)).toBe(true);
    expect(verifyMosquittoHash('pw-1234567891', hash)).toBe(false);
  });
});
