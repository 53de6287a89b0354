// Alerts through the whole app (embedded broker, DuckDB, access control on): a station gateway
// publishes a stopped pump over MQTT; the alert reaches /api/alerts, the dashboard's socket.io,
// and the MQTT alert topic; the logged-in admin acknowledges it; a restart keeps it, live.
import { connectAsync, type MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../app/logger';
import { startApp, type RunningApp } from '../../app/start-app';
import type { Config } from '../../config/config';
import type { Alert } from '../../rules/alert';
import type { AlertPushEvent } from '../../rules/notify/push-events';
import { adminToken, e2eConfig } from '../../test/e2e/app-config';

describe('alerts in the composed app', () => {
  let config: Config;
  let app: RunningApp;
  let gateway: MqttClient;
  let watcher: MqttClient;
  let socket: Socket;
  let auth: { authorization: string };
  const pushed: AlertPushEvent[] = [];
  const onTopic: { topic: string; alert: Alert }[] = [];

  beforeAll(async () => {
    config = e2eConfig();
    app = await startApp(config, createLogger('warn'));
    const token = await adminToken(app.url);
    auth = { authorization: `Bearer ${token}` };
    gateway = await connectAsync(app.mqttUrl, { clientId: 'e2e-xingfu-gateway' });
    watcher = await connectAsync(app.mqttUrl, { clientId: 'e2e-alert-watcher' });
    watcher.on('message', (topic, p) => onTopic.push({ topic, alert: (JSON.parse(p.toString('utf8')) as AlertPushEvent).alert }));
    await watcher.subscribeAsync('heat/v1/_alerts/#', { qos: 1 });
    socket = connectSocket(app.url, { transports: ['websocket'], auth: { token } });
    socket.on('alert', (e: AlertPushEvent) => pushed.push(e));
    await new Promise<void>((r, j) => {
      socket.on('connect', () => r());
      socket.on('connect_error', j);
    });
  }, 60_000);

  afterAll(async () => {
    socket?.disconnect();
    await gateway?.endAsync();
    await watcher?.endAsync();
    await app?.stop();
  });

  const alerts = async (): Promise<{ items: Alert[]; total: number }> => (await (await fetch(`${app.url}api/alerts`, { headers: auth })).json()) as { items: Alert[]; total: number };

  it('raises a pump-trip alert from MQTT telemetry and pushes it everywhere', async () => {
    // Older than the allowed lateness, so the watermark passes them as the clock moves on.
    const t = Date.now() - 4 * 60_000;
    await gateway.publishAsync('heat/v1/station/xingfu', JSON.stringify({ ts: t, values: { pump_state: 'run', flow2: 400 } }), { qos: 1 });
    await gateway.publishAsync('heat/v1/station/xingfu', JSON.stringify({ ts: t + 60_000, values: { pump_state: 'stop', flow2: 0 } }), { qos: 1 });
    await vi.waitFor(async () => expect((await alerts()).items.map((a) => a.ruleId)).toContain('pump-trip'), { timeout: 30_000, interval: 250 });
    const a = (await alerts()).items.find((x) => x.ruleId === 'pump-trip');
    expect(a).toMatchObject({ entity: { kind: 'station', id: 'xingfu' }, severity: 'critical', state: 'open', openedAt: t + 60_000 });
    await vi.waitFor(() => expect(pushed.map((e) => e.alert.id)).toContain(a?.id), { timeout: 10_000 });
    await vi.waitFor(() => expect(onTopic.map((x) => x.topic)).toContain('heat/v1/_alerts/critical/xingfu'), { timeout: 10_000 });
    const metrics = await (await fetch(`${app.url}metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/heat_rules_alerts_live\{rule="pump-trip",state="open"\} 1/);
    expect(metrics).toMatch(/heat_notify_sent_total\{channel="mqtt",kind="alert.opened"\} [1-9]/);
  }, 60_000);

  it('acknowledges as the logged-in user; the alert survives a restart, still one', async () => {
    const id = (await alerts()).items.find((x) => x.ruleId === 'pump-trip')?.id ?? '';
    const r = await fetch(`${app.url}api/alerts/${encodeURIComponent(id)}/acknowledge`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'someone-else', comment: '已通知值班' }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'admin', comment: '已通知值班' } });
    await vi.waitFor(() => expect(pushed.some((e) => e.type === 'alert.acknowledged' && e.alert.id === id)).toBe(true), { timeout: 10_000 });

    socket.disconnect();
    await app.stop();
    app = await startApp(config, createLogger('warn'));
    auth = { authorization: `Bearer ${await adminToken(app.url)}` };
    const after = await alerts();
    expect(after.items.filter((x) => x.ruleId === 'pump-trip').map((x) => [x.id, x.state])).toEqual([[id, 'acknowledged']]);
  }, 60_000);
});
