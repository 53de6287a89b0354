// The overview of the whole city (83 stations, 279 compounds, 6 primary networks) in a REAL
// headless Chromium, against the whole app: every node drawn, counters filled from one reading
// per entity published over MQTT. The time to the first interactive view is measured with the
// Performance API and reported (never asserted: wall-clock speed depends on the machine).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { chromium, type Browser } from 'playwright-core';
import { createLogger } from '../../app/logger';
import { startApp, type RunningApp } from '../../app/start-app';
import { ManualClock } from '../../domain/clock';
import { E2E_ADMIN_PASSWORD, e2eConfig } from '../e2e/app-config';
import { requireBinary } from '../support/require-binary';
import { CHROMIUM_ARGS, logIn, publish } from './dashboard-support';

const chromiumPath = requireBinary('chromium', 'the overview is checked in a real browser', ['chromium-browser']);
const CITY = new URL('../../fixtures/networks/jiayuguan.json', import.meta.url).pathname;
const T0 = Date.parse('2025-01-15T04:00:00Z');

interface CityFile {
  stations: { id: string }[];
  compounds: { id: string; indoorSensors: string[]; households: number }[];
  weatherSites: { id: string }[];
}

describe.skipIf(chromiumPath === undefined)('overview of the 83-station city', () => {
  let app: RunningApp;
  let client: MqttClient;
  let browser: Browser;
  const city = JSON.parse(readFileSync(CITY, 'utf8')) as CityFile;
  // Every fourth sensor reads 16.5 °C, the rest 20.5 °C: a known number of homes below 18 °C.
  let coldHouseholds = 0;

  beforeAll(async () => {
    app = await startApp(e2eConfig({ HEAT_NETWORK: CITY, HEAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'heat-city-')) }), createLogger('warn'), { clock: new ManualClock(T0) });
    client = await connectAsync(app.mqttUrl, { clientId: 'city-test-gateway' });
    const ts = T0 - 60_000;
    await Promise.all(city.stations.map((s) => publish(client, 'station', s.id, [{ ts, values: { t2_supply: 52, t2_return: 41, flow2: 400, pump_state: 'run' } }])));
    let n = 0;
    await Promise.all(
      city.compounds.map((c) => {
        const values: Record<string, number> = { t_supply: 50, t_return: 40, dp: 60 };
        let cold = 0;
        for (const s of c.indoorSensors) {
          const isCold = n++ % 4 === 0;
          values[`t_indoor.${s}`] = isCold ? 16.5 : 20.5;
          if (isCold) cold++;
        }
        if (c.indoorSensors.length > 0) coldHouseholds += Math.round((c.households * cold) / c.indoorSensors.length);
        return publish(client, 'compound', c.id, [{ ts, values }]);
      }),
    );
    await Promise.all(city.weatherSites.map((w) => publish(client, 'weather', w.id, [{ ts, values: { t_outdoor: -14.5 } }])));
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await client?.endAsync();
    await app?.stop();
  });

  it('draws the whole network with its counters, and reports the time to the first interactive view', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(app.url);
    await logIn(page, 'admin', E2E_ADMIN_PASSWORD);
    const below = page.getByTestId('counter-below18').locator('.counter-value');
    // The readings are stored within a flush interval: the estimate settles on the expected count.
    await expect.poll(() => below.textContent(), { timeout: 20_000, interval: 250 }).toBe(coldHouseholds.toLocaleString('zh-CN'));
    expect(await page.getByTestId('counter-outdoor').locator('.counter-value').textContent()).toBe('-14.5');

    // A fresh load with the session cookie: the first view an operator gets each morning.
    await page.reload();
    await page.getByTestId('schematic').locator('canvas').first().waitFor();
    const timing = await page.evaluate(async () => {
      const deadline = performance.now() + 15_000;
      while (performance.getEntriesByName('heat:overview-ready').length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { ready: performance.getEntriesByName('heat:overview-ready')[0]?.startTime, domInteractive: nav?.domInteractive, load: nav?.loadEventEnd };
    });
    expect(timing.ready).toBeGreaterThan(0);
    process.stdout.write(
      `\n  overview, 83 stations / ${city.compounds.length} compounds: first interactive view ${Math.round(timing.ready ?? NaN)} ms after navigation start (DOM interactive ${Math.round(timing.domInteractive ?? NaN)} ms, load ${Math.round(timing.load ?? NaN)} ms)\n`,
    );
    // The schematic is a canvas; the side list beside it is DOM: the coldest compounds read 16.5 °C.
    expect(await page.getByTestId('coldest').locator('.cold-value').first().textContent()).toBe('16.5 °C');
    await page.close();
  });
});
