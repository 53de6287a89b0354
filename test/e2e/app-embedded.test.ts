// The whole app on embedded defaults (aedes + DuckDB), as `npm start` runs it: a reading
// published over MQTT — by mqtt.js and by the real `mosquitto_pub` — is stored, served by
// /api/series and pushed live to the page in a real browser; a malformed payload among good
// ones is rejected with its reason on heat/v1/_rejected while the good ones are stored.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { chromium, type Browser } from 'playwright-core';
import { createLogger } from '../../app/logger';
import { startApp, type RunningApp } from '../../app/start-app';
import { findBinary, requireBinary } from '../support/require-binary';
import { adminToken, E2E_ADMIN_PASSWORD, e2eConfig } from './app-config';

interface SeriesResponse { series: Array<{ field: string; points: Array<[number, number]> }> }

describe('app on embedded defaults', () => {
  let app: RunningApp;
  let client: MqttClient;
  let auth: { authorization: string };

  beforeAll(async () => {
    app = await startApp(e2eConfig(), createLogger('warn'));
    client = await connectAsync(app.mqttUrl, { clientId: 'e2e-station-gateway' });
    auth = { authorization: `Bearer ${await adminToken(app.url)}` };
  });
  afterAll(async () => {
    await client?.endAsync();
    await app?.stop();
  });

  const series = async (entity: string, field: string, from: number, to: number): Promise<Array<[number, number]>> => {
    const r = await fetch(`${app.url}api/series?entity=${entity}&fields=${field}&from=${from}&to=${to}&every=raw`, { headers: auth });
    expect(r.status).toBe(200);
    const body = (await r.json()) as SeriesResponse;
    return body.series.find((s) => s.field === field)?.points ?? [];
  };

  it('stores good readings, rejects the malformed one with a reason on heat/v1/_rejected', async () => {
    const now = Date.now();
    const rejected: Array<{ topic: string; code: string; reason: string }> = [];
    const watcher = await connectAsync(app.mqttUrl, { clientId: 'e2e-rejected-watcher' });
    watcher.on('message', (_t, p) => rejected.push(JSON.parse(p.toString()) as { topic: string; code: string; reason: string }));
    await watcher.subscribeAsync('heat/v1/_rejected', { qos: 1 });

    await client.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts: now - 120_000, values: { t2_supply: 51.5 } }), { qos: 1 });
    await client.publishAsync('heat/v1/station/dexuan', '{"ts": 1, "values": {', { qos: 1 });
    await client.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts: now - 60_000, values: { t2_supply: 52.5, t2_return: 'warm' } }), { qos: 1 });

    await vi.waitFor(async () => expect((await series('station:dexuan', 't2_supply', now - 3_600_000, now + 1)).map((p) => p[1])).toEqual([51.5, 52.5]), { timeout: 15_000, interval: 100 });
    await vi.waitFor(() => expect(rejected.map((r) => r.code).sort()).toEqual(['FIELD_TYPE', 'PAYLOAD_NOT_JSON']), { timeout: 15_000, interval: 100 });
    expect(rejected.find((r) => r.code === 'FIELD_TYPE')?.reason).toMatch(/t2_return/);
    const metrics = await (await fetch(`${app.url}metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/heat_ingest_messages_rejected_total\{code="PAYLOAD_NOT_JSON"\} 1/);
    await watcher.endAsync();
  });

  const mosquittoPub = findBinary('mosquitto_pub');
  it.skipIf(mosquittoPub === undefined && process.env.CI !== 'true')('accepts a reading from the real mosquitto_pub client', async () => {
    const bin = requireBinary('mosquitto_pub', 'the README tells users to publish with it');
    const port = new URL(app.mqttUrl).port;
    const ts = Date.now() - 30_000;
    // Asynchronously: the broker runs in this very process and must keep answering.
    await promisify(execFile)(bin ?? 'mosquitto_pub', ['-p', port, '-q', '1', '-t', 'heat/v1/station/xingfu', '-m', JSON.stringify({ ts, values: { t2_supply: 47.5 } })], { timeout: 15_000 });
    await vi.waitFor(async () => expect(await series('station:xingfu', 't2_supply', ts, ts + 1)).toEqual([[ts, 47.5]]), { timeout: 15_000, interval: 100 });
  });

  const chromiumPath = requireBinary('chromium', 'the live page is checked in a real browser', ['chromium-browser']);
  describe.skipIf(chromiumPath === undefined)('live page', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('shows a reading published over MQTT on the open station page without reload', async () => {
      const page = await browser.newPage();
      await page.goto(`${app.url}#station=dexuan`);
      // No session yet: the login form comes first.
      await page.getByTestId('login-username').fill('admin');
      await page.getByTestId('login-password').fill(E2E_ADMIN_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('station-title').waitFor();
      // Wait until the page has subscribed, or the reading could arrive before it listens.
      await vi.waitFor(() => expect(app.liveSubscribers('station:dexuan')).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });
      await client.publishAsync('heat/v1/station/dexuan', JSON.stringify({ ts: Date.now(), values: { t2_supply: 63.7 } }), { qos: 1 });
      await page.locator('.tile[data-field="t2_supply"] .tile-value', { hasText: '63.7' }).waitFor({ timeout: 15_000 });
      await page.close();
    });
  });
});
