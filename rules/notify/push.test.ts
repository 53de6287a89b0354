// socket.io push on the real API server, and the MQTT alert topic on a real (embedded aedes) broker.
import { connectAsync } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApi, type ApiHarness } from '../../api/testing/api-harness';
import { EmbeddedBroker } from '../../ingest/embedded-broker';
import type { Alert } from '../alert';
import { sampleAlert, sampleIncident } from '../alert-store.contract';
import { createNotifyMetrics } from './notify-metrics';
import { alertTopic, connectAlertPublisher, MqttAlertNotifier, type AlertPublisher } from './mqtt-notifier';
import type { AlertPushEvent, IncidentPushEvent } from './push-events';
import { attachSocketAlertPush } from './socket-notifier';

const critical = (over: Partial<Alert> = {}): Alert =>
  sampleAlert({ id: 'pump-trip@station/xingfu@1', ruleId: 'pump-trip', severity: 'critical', peakSeverity: 'critical', route: { stationId: 'xingfu', primaryNetworkId: 'pn1', crew: 'crew-a' }, ...over });

describe('socket.io alert push', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => {
    await h.close();
  });

  it('emits every alert and incident event to connected dashboards', async () => {
    const push = attachSocketAlertPush(h.api.io);
    const client = connectSocket(h.base, { transports: ['websocket'] });
    const alerts: AlertPushEvent[] = [];
    const incidents: IncidentPushEvent[] = [];
    client.on('alert', (e: AlertPushEvent) => alerts.push(e));
    client.on('incident', (e: IncidentPushEvent) => incidents.push(e));
    await new Promise<void>((r) => client.on('connect', () => r()));
    // The server joins the socket to its room on connection; wait until it has.
    await vi.waitFor(() => expect(h.api.io.sockets.adapter.rooms.get('alerts:all')?.size).toBe(1));
    push.onEvent({ type: 'alert.opened', reason: 'opened', alert: critical() });
    push.onEvent({ type: 'alert.acknowledged', reason: 'acknowledged', alert: critical({ state: 'acknowledged', version: 2 }) });
    push.onEvent({ type: 'incident.opened', incident: sampleIncident({ id: 'inc1' }) });
    await vi.waitFor(() => expect(alerts).toHaveLength(2));
    await vi.waitFor(() => expect(incidents).toHaveLength(1));
    expect(alerts.map((e) => [e.type, e.reason, e.alert.state])).toEqual([
      ['alert.opened', 'opened', 'open'],
      ['alert.acknowledged', 'acknowledged', 'acknowledged'],
    ]);
    expect(incidents[0]).toMatchObject({ type: 'incident.opened', incident: { id: 'inc1' } });
    client.disconnect();
  });
});

describe('MQTT alert topic', () => {
  let broker: EmbeddedBroker;
  let url: string;
  beforeAll(async () => {
    broker = new EmbeddedBroker({ port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }) });
    url = (await broker.start()).url;
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('publishes heat/v1/_alerts/{severity}/{stationId} with QoS 1, not retained', async () => {
    const sub = await connectAsync(url, { clientId: 'alert-sub' });
    const got: { topic: string; payload: AlertPushEvent; qos: number; retain: boolean }[] = [];
    sub.on('message', (topic, payload, packet) => got.push({ topic, payload: JSON.parse(payload.toString('utf8')) as AlertPushEvent, qos: packet.qos, retain: packet.retain }));
    await sub.subscribeAsync('heat/v1/_alerts/#', { qos: 1 });
    const registry = new Registry();
    const n = new MqttAlertNotifier({ publisher: await connectAlertPublisher(url, { clientId: 'alert-pub' }), metrics: createNotifyMetrics(registry) });
    n.onEvent({ type: 'alert.opened', reason: 'opened', alert: critical() });
    n.onEvent({ type: 'alert.opened', reason: 'opened', alert: critical({ id: 'pn-drop@primary/pn1@1', severity: 'high', entity: { kind: 'primary', id: 'pn1', name: '一次网1号线' }, route: { primaryNetworkId: 'pn1' } }) });
    n.onEvent({ type: 'incident.opened', incident: sampleIncident({ id: 'inc' }) });
    await n.close();
    await vi.waitFor(() => expect(got).toHaveLength(2));
    expect(got.map((g) => [g.topic, g.qos, g.retain, g.payload.alert.id])).toEqual([
      ['heat/v1/_alerts/critical/xingfu', 1, false, 'pump-trip@station/xingfu@1'],
      ['heat/v1/_alerts/high/pn1', 1, false, 'pn-drop@primary/pn1@1'],
    ]);
    const sent = (await registry.getMetricsAsJSON()).find((m) => m.name === 'heat_notify_sent_total');
    expect(sent?.values.find((v) => v.labels['channel'] === 'mqtt')?.value).toBe(2);
    await sub.endAsync();
  });

  it('counts and logs a publish that fails, and bounds what is in flight', async () => {
    const registry = new Registry();
    const logs: string[] = [];
    let release: () => void = () => {};
    const stuck = new Promise<void>((r) => (release = r));
    let calls = 0;
    const publisher: AlertPublisher = {
      publish: async () => {
        calls++;
        if (calls === 1) throw new Error('connection closed');
        await stuck;
      },
      close: async () => {},
    };
    const n = new MqttAlertNotifier({ publisher, metrics: createNotifyMetrics(registry), maxInflight: 2, logger: { warn: (_o, m) => logs.push(m), error: (_o, m) => logs.push(m) } });
    const e = { type: 'alert.opened' as const, reason: 'opened' as const, alert: critical() };
    n.onEvent(e); // fails
    await vi.waitFor(() => expect(logs).toHaveLength(1));
    n.onEvent(e);
    n.onEvent(e); // two in flight now
    n.onEvent(e); // over the bound: lost
    const lost = (await registry.getMetricsAsJSON()).find((m) => m.name === 'heat_notify_lost_total');
    expect(Object.fromEntries((lost?.values ?? []).map((v) => [v.labels['reason'], v.value]))).toEqual({ 'publish-failed': 1, 'queue-full': 1 });
    release();
    await n.close();
    expect(alertTopic(critical({ route: {}, entity: { kind: 'weather', id: 'jyg', name: '嘉峪关' } }))).toBe('heat/v1/_alerts/critical/jyg');
  });
});
