// The station page in a REAL headless Chromium (API alone, no access control): pick 德轩, see a
// reading published on the bus appear without reload, times in Asia/Shanghai whatever the
// browser's zone, switch to English (remembered across reloads), and names rendered as text.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parseNetwork } from '../../domain/network-loader';
import type { Metric } from '../../domain/telemetry';
import { MINI_NETWORK, startApi, T0, type ApiHarness } from '../../api/testing/api-harness';
import { overviewRoute } from '../../api/routes/overview-route';
import { stationDetailRoute } from '../../api/routes/station-detail-route';
import { ManualClock } from '../../domain/clock';
import { loadNetwork } from '../../domain/network-loader';
import type { NetworkModel } from '../../domain/network';
import { MemoryStore } from '../../store/memory-store';
import { requireBinary } from '../support/require-binary';

const chromiumPath = requireBinary('chromium', 'the live-page test drives a real headless browser', ['chromium-browser']);
const SCREENSHOT_ZH = '/tmp/heatwatch-live-page.png';
const SCREENSHOT_EN = '/tmp/heatwatch-live-page-en.png';

const MIN = 60_000;
const H = 60 * MIN;

/** A plausible cold day at 德轩 (outdoor about −12 °C): 24 h of readings every 2 minutes. */
function history(): Metric[] {
  const out: Metric[] = [];
  for (let t = T0 - 24 * H; t < T0; t += 2 * MIN) {
    const phase = Math.sin(((t - T0) / (24 * H)) * 2 * Math.PI);
    const s2 = 52 + 3 * phase;
    out.push({
      measurement: 'station',
      tags: { id: 'dexuan' },
      fields: { t2_supply: s2, t2_return: s2 - 11 - phase, t2_supply_sp: 53, t1_supply: 98 + 6 * phase, t1_return: 52 + 2 * phase, flow1: 61 + 4 * phase, flow2: 196 + 5 * phase, pump_hz: 44, pump_state: 'run' },
      time: t,
    });
  }
  const compounds: [string, number, number, number][] = [
    ['dexuan-xq', 51.2, 41.0, 62],
    ['jianshe', 50.1, 40.2, 48],
    ['changsheng', 48.7, 39.6, 33],
    ['longhu-huating', 45.3, 38.9, 14],
    ['donghu-yiyuan', 44.1, 38.4, 11],
  ];
  for (const [id, ts, tr, dp] of compounds) out.push({ measurement: 'compound', tags: { id }, fields: { t_supply: ts, t_return: tr, dp, flow: 30 }, time: T0 - 2 * MIN });
  out.push({ measurement: 'compound', tags: { id: 'dexuan-xq', sensor: 'dexuan-xq-s1' }, fields: { t_indoor: 21.4 }, time: T0 - 2 * MIN });
  out.push({ measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s1' }, fields: { t_indoor: 17.6 }, time: T0 - 2 * MIN });
  out.push({ measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s2' }, fields: { t_indoor: 18.3 }, time: T0 - 2 * MIN });
  out.push({ measurement: 'compound', tags: { id: 'donghu-yiyuan', sensor: 'donghu-yiyuan-s1' }, fields: { t_indoor: 16.9 }, time: T0 - 2 * MIN });
  out.push({ measurement: 'weather', tags: { id: 'jyg' }, fields: { t_outdoor: -12.4 }, time: T0 - 2 * MIN });
  return out;
}

/** Stored first, then published: the order the ingest writer keeps. */
async function deliver(h: ApiHarness, batch: Metric[]): Promise<void> {
  await h.store.write(batch);
  h.bus.publish(batch);
}

async function waitForRoom(h: ApiHarness, entity: string): Promise<void> {
  await vi.waitFor(() => expect(h.api.io.sockets.adapter.rooms.get(`entity:${entity}`)?.size ?? 0).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });
}

/** The API with the dashboard's own helpers mounted (the page reads the server's clock from /api/overview). */
async function startDashboardApi(network: NetworkModel = loadNetwork(MINI_NETWORK)): Promise<ApiHarness> {
  const store = new MemoryStore();
  const clock = new ManualClock(T0);
  return startApi({ store, network, api: { buildWeb: true, routes: [overviewRoute(network, store, clock, { open: true }), stationDetailRoute(network, store, clock, { open: true })] } });
}

describe.skipIf(chromiumPath === undefined)('live page in headless Chromium', () => {
  let h: ApiHarness;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    h = await startDashboardApi();
    await h.store.write(history());
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    // A browser far from Shanghai: the page must still show Shanghai times.
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'America/New_York', locale: 'zh-CN' });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('picks 德轩 from the grouped, searchable list and shows its compounds in hydraulic order, tail end marked', async () => {
    await page.goto(`${h.base}/#/station`);
    await expect.poll(() => page.locator('main .placeholder').textContent()).toBe('请在左侧选择一个换热站');
    const list = page.getByTestId('station-list');
    await expect.poll(() => list.locator('h3').allTextContents()).toEqual(['一次网1号线', '一次网2号线']);
    await page.getByTestId('station-search').fill('dx');
    await expect.poll(() => list.locator('button.station').count()).toBe(1);
    await list.locator('button[data-station="dexuan"]').click();
    await expect.poll(() => page.getByTestId('station-title').textContent()).toBe('德轩换热站');
    await expect.poll(() => page.url()).toContain('#/station/dexuan');

    const names = await page.locator('[data-testid="compounds"] .c-name').allTextContents();
    expect(names).toEqual(['德轩小区', '建设小区', '昌盛小区', '龙湖华庭', '东湖怡园']);
    const tails = await page.locator('[data-testid="compounds"] li.tail .c-name').allTextContents();
    expect(tails).toEqual(['龙湖华庭', '东湖怡园']);
    expect(await page.locator('li[data-compound="longhu-huating"] [data-testid="tail-badge"]').textContent()).toBe('末端');
    // latest values from the store, Shanghai time (T0 − 2 min = 11:58 in Shanghai, 22:58 in New York)
    expect(await page.locator('.tile[data-field="t2_supply"] .tile-value').textContent()).toMatch(/^\d{2}\.\d$/);
    expect(await page.locator('.tile[data-field="t2_supply"] .tile-unit').textContent()).toBe('°C');
    expect(await page.locator('.tile[data-field="t2_supply"] .tile-time').textContent()).toBe('11:58:00');
    expect(await page.locator('.tile[data-field="t_outdoor"] .tile-value').textContent()).toBe('-12.4');
    // the coldest indoor sensor decides the colour
    const indoor = page.locator('li[data-compound="donghu-yiyuan"] .c-cell[data-field="t_indoor"]');
    expect(await indoor.locator('.c-value').textContent()).toBe('16.9');
    expect(await indoor.getAttribute('class')).toContain('low');
    // every chart drawn (echarts canvases): temperatures, curve, flows, pressures, valve, pump, compounds
    await expect.poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(7);
    // the compensation curve against the actual points, from the station's own history
    expect(await page.getByTestId('chart-curve').locator('canvas').count()).toBeGreaterThan(0);
  });

  it('shows a reading published on the bus without reload', async () => {
    await waitForRoom(h, 'station:dexuan');
    await waitForRoom(h, 'compound:longhu-huating');
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    await deliver(h, [
      { measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 52.6, flow2: 203.4 }, time: T0 + MIN },
      { measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s2' }, fields: { t_indoor: 15.2 }, time: T0 + MIN },
    ]);
    const tile = page.locator('.tile[data-field="t2_supply"]');
    await expect.poll(() => tile.locator('.tile-value').textContent(), { timeout: 10_000 }).toBe('52.6');
    expect(await tile.locator('.tile-time').textContent()).toBe('12:01:00');
    expect(await page.locator('.tile[data-field="flow2"] .tile-value').textContent()).toBe('203.4');
    expect(await page.getByTestId('last-data').textContent()).toContain('12:01:00');
    const cold = page.locator('li[data-compound="longhu-huating"] .c-cell[data-field="t_indoor"]');
    await expect.poll(() => cold.locator('.c-value').textContent()).toBe('15.2');
    expect(await cold.getAttribute('class')).toContain('cold-band');
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expect.poll(() => page.getByTestId('live-state').getAttribute('class')).toContain('live');
    await page.screenshot({ path: SCREENSHOT_ZH });
  });

  it('switches to English, keeps the values, and remembers the choice across a reload', async () => {
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('.tile[data-field="t2_supply"] .tile-label').textContent()).toBe('Secondary supply temp.');
    expect(await page.locator('li[data-compound="longhu-huating"] [data-testid="tail-badge"]').textContent()).toBe('Tail end');
    expect(await page.locator('.tile[data-field="t2_supply"] .tile-value').textContent()).toBe('52.6');
    expect(await page.locator('.compounds-card h2').textContent()).toContain('hydraulic order');
    expect(await page.evaluate(() => localStorage.getItem('heatwatch.lang'))).toBe('en');
    await page.screenshot({ path: SCREENSHOT_EN });

    await page.reload();
    await expect.poll(() => page.locator('.tile[data-field="t2_supply"] .tile-label').textContent()).toBe('Secondary supply temp.');
    await expect.poll(() => page.getByTestId('station-title').textContent()).toBe('德轩换热站'); // the station came back from the URL
    await expect.poll(() => page.locator('.tile[data-field="t2_supply"] .tile-value').textContent()).toBe('52.6'); // from the store now
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(chromiumPath === undefined)('names from outside render as text', () => {
  it('a compound named like an HTML injection shows literally and runs nothing', async () => {
    const raw = JSON.parse(readFileSync(MINI_NETWORK, 'utf8')) as { compounds: { id: string; name: string }[] };
    const evil = '<img src=x onerror=alert(1)>';
    for (const c of raw.compounds) if (c.id === 'longhu-huating') c.name = evil;
    const h = await startDashboardApi(parseNetwork(raw));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const dialogs: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${h.base}/#station=dexuan`); // the old link form still opens the station
      const name = page.locator('li[data-compound="longhu-huating"] .c-name');
      await expect.poll(() => name.textContent()).toBe(evil);
      expect(await page.locator('[data-testid="compounds"] img').count()).toBe(0);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
      await h.close();
    }
  });
});
