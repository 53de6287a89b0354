// The dashboard in a REAL headless Chromium against the whole app (embedded broker, DuckDB, rules
// engine, tickets, visits, access control), on the 3-station test network and on a day in the
// heating season (rules judge only in season): log in, the overview renders; an alert raised by
// readings published over MQTT appears on the board without reload and is acknowledged; a crew
// records a visit outcome on the phone-sized view; a ticket whose text is HTML renders as text.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createLogger } from '../../app/logger';
import { startApp, type RunningApp } from '../../app/start-app';
import { ManualClock } from '../../domain/clock';
import { adminToken, E2E_ADMIN_PASSWORD, e2eConfig } from '../e2e/app-config';
import { requireBinary } from '../support/require-binary';
import { api, CHROMIUM_ARGS, logIn, minSide, publish, type Reading } from './dashboard-support';

const chromiumPath = requireBinary('chromium', 'the dashboard is checked in a real browser', ['chromium-browser']);

const MIN = 60_000;
/** 12:00 in Shanghai on 15 January 2025: deep in the heating season. */
const T0 = Date.parse('2025-01-15T04:00:00Z');
const EVIL = '<img src=x onerror=alert(1)>';
const CREW_PASSWORD = 'crew-password-gangcheng-1';

function every(from: number, to: number, stepMs: number, values: (t: number) => Reading['values']): Reading[] {
  const out: Reading[] = [];
  for (let t = from; t <= to; t += stepMs) out.push({ ts: t, values: values(t) });
  return out;
}

/**
 * Runs the app's clock forward like a live feed: at each step the clock moves, then that
 * instant's readings are published, so every reading is ahead of the rules' watermark (which
 * follows the newest data, and the clock when data pauses).
 */
async function feed(clock: ManualClock, to: number, stepMs: number, publishAt: (t: number) => Promise<void>): Promise<void> {
  for (let t = clock.now() + stepMs; t <= to; t += stepMs) {
    clock.set(t);
    await publishAt(t);
  }
}

interface AlertJson { id: string; state: string; ruleId: string; acknowledged?: { by: string; comment?: string } }
interface VisitJson { id: string; compoundId: string; crew: string; loop: { stage: string }; outcome?: { cause: string; result: string; by: string; indoorC?: number } }

describe.skipIf(chromiumPath === undefined)('dashboard in headless Chromium (whole app)', () => {
  let app: RunningApp;
  let client: MqttClient;
  let browser: Browser;
  let desk: BrowserContext;
  let page: Page;
  let A: ReturnType<typeof api>;
  const clock = new ManualClock(T0);
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp(e2eConfig({ HEAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'heat-dash-')) }), createLogger('warn'), { clock });
    client = await connectAsync(app.mqttUrl, { clientId: 'dash-test-gateway' });
    A = api(app.url, await adminToken(app.url));
    // The city's normal state an hour back: stations running, compounds warm, −12 °C outside.
    await publish(client, 'weather', 'jyg', every(T0 - 60 * MIN, T0, 5 * MIN, () => ({ t_outdoor: -12 })));
    for (const id of ['dexuan', 'xingfu', 'xiyu']) {
      await publish(client, 'station', id, every(T0 - 60 * MIN, T0 - 10 * MIN, 5 * MIN, () => ({ t2_supply: 55, t2_return: 42, flow2: 300, pump_state: 'run', pump_hz: 44 })));
    }
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    // A control-room screen far from Shanghai: the page must still show Shanghai times.
    desk = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'America/New_York', locale: 'zh-CN' });
    page = await desk.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await client?.endAsync();
    await app?.stop();
  });

  it('logs in and renders the overview: counters, the schematic, Shanghai time', async () => {
    await page.goto(app.url);
    await logIn(page, 'admin', E2E_ADMIN_PASSWORD);
    await expect.poll(() => page.url()).toContain('#/overview');
    await page.getByTestId('schematic').locator('canvas').first().waitFor();
    await expect.poll(() => page.getByTestId('counter-outdoor').locator('.counter-value').textContent(), { timeout: 15_000 }).toBe('-12.0');
    // Alerts API, tickets and visits all answer on the whole app: no "not available" counter.
    await expect.poll(() => page.locator('.counter.unavailable').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('counter-open').locator('.counter-value').textContent()).toMatch(/^\d+$/);
    // The application's clock (simulated or injected) in Shanghai time: 12:00 on 2025-01-15.
    await expect.poll(() => page.getByTestId('clock').textContent()).toMatch(/2025-01-15 12:0\d:\d\d/);
    expect(await page.getByTestId('nav-overview').getAttribute('class')).toContain('active');
    // The season report (冬病夏治) is one click away for roles that may read reports.
    expect(await page.getByTestId('nav-report').getAttribute('href')).toBe('/report/');
  });

  it('shows an alert raised over MQTT on the board without reload, and acknowledges it', async () => {
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alert-list').waitFor();
    await page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });
    const before = await page.locator('[data-testid="alert-row"][data-alert^="pump-trip@station/xingfu@"]').count();
    expect(before).toBe(0);
    // 幸福's circulation pump trips: the rule fires on the first scan past the watermark.
    await feed(clock, clock.now() + 10 * MIN, MIN, (t) => publish(client, 'station', 'xingfu', [{ ts: t, values: { pump_state: 'fault', pump_hz: 0, flow2: 4, t2_supply: 50, t2_return: 47 } }]));
    const row = page.locator('[data-testid="alert-row"][data-alert^="pump-trip@station/xingfu@"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-state')).toBe('open');
    expect(await row.locator('.alert-title').textContent()).toBe('循环泵停运');
    expect(await row.locator('.sev-pill').textContent()).toBe('紧急');

    await row.getByTestId('alert-acknowledge').click();
    await row.getByTestId('alert-note').fill('已电话通知幸福站值班员');
    await row.getByTestId('alert-submit').click();
    const acked = page.locator('[data-testid="alert-row"][data-alert^="pump-trip@station/xingfu@"][data-state="acknowledged"]');
    await acked.waitFor({ timeout: 15_000 });
    const id = (await acked.getAttribute('data-alert')) ?? '';
    const stored = await A.get<AlertJson>(`/api/alerts/${encodeURIComponent(id)}`);
    expect(stored).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'admin', comment: '已电话通知幸福站值班员' } });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    // The filter narrows the board to critical alerts; the row is still there.
    await page.getByTestId('filter-severity').locator('[data-severity="critical"]').click();
    await expect.poll(() => page.url()).toContain('severity=critical');
    await acked.waitFor();
  });

  it('lets a crew record a visit outcome with one tap on the phone-sized view', async () => {
    const created = await A.post<unknown>('/api/auth/users', { username: 'gangcheng1', role: 'crew', crewId: 'crew-gangcheng', password: CREW_PASSWORD });
    expect(created.status).toBe(201);
    // 龙湖华庭 (tail end of 德轩) goes cold: both sensors near 15 °C for three hours (a little
    // noise, as real sensors have: a dead-flat line is a sensor fault to the quality rules).
    await feed(clock, clock.now() + 180 * MIN, 5 * MIN, async (t) => {
      const wobble = 0.15 * Math.sin(t / (7 * MIN));
      await publish(client, 'compound', 'longhu-huating', [{ ts: t, values: { 't_indoor.longhu-huating-s1': 15.1 + wobble, 't_indoor.longhu-huating-s2': 15.4 - wobble, t_supply: 44 + wobble, t_return: 38, dp: 12 + wobble } }]);
      await publish(client, 'weather', 'jyg', [{ ts: t, values: { t_outdoor: -12 + wobble } }]);
    });
    let visit: VisitJson | undefined;
    await vi.waitFor(
      async () => {
        const list = await A.get<{ items: VisitJson[] }>('/api/visits?compound=longhu-huating');
        visit = list.items[0];
        expect(visit).toBeDefined();
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(visit?.crew).toBe('crew-gangcheng');

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    try {
      const p = await phone.newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(app.url);
      await logIn(p, 'gangcheng1', CREW_PASSWORD);
      // A crew lands on its own view.
      await expect.poll(() => p.url()).toContain('#/crew');
      expect(await p.getByTestId('crew-title').textContent()).toBe('crew-gangcheng');
      // Crews have no reports:read: no link to the city-wide season report.
      expect(await p.getByTestId('nav-crew').count()).toBe(1);
      expect(await p.getByTestId('nav-report').count()).toBe(0);
      const card = p.locator(`[data-testid="visit-card"][data-visit="${visit?.id ?? ''}"]`);
      await card.waitFor({ timeout: 15_000 });
      expect(await card.locator('.visit-name').textContent()).toBe('龙湖华庭');
      expect(await card.locator('.visit-address').textContent()).toContain('德轩换热站');
      expect(await card.locator('.visit-homes li').count()).toBeGreaterThan(0);
      // Big enough for cold hands.
      expect(await minSide(p, '[data-testid="visit-card"] .quick-buttons .btn')).toBeGreaterThanOrEqual(48);
      // Measured 16.0 °C (two taps down from 18), then one tap records the outcome.
      await card.locator('.btn.stepper').first().tap();
      await card.locator('.btn.stepper').first().tap();
      expect(await card.getByTestId('indoor-value').textContent()).toBe('17.0 °C');
      await card.locator('.btn.stepper').first().tap();
      await card.locator('.btn.stepper').first().tap();
      await card.getByTestId('outcome-network-fixed').tap();
      await vi.waitFor(
        async () => {
          const v = await A.get<VisitJson>(`/api/visits/${encodeURIComponent(visit?.id ?? '')}`);
          expect(v.outcome).toMatchObject({ cause: 'network', result: 'fixed', by: 'gangcheng1', indoorC: 16 });
        },
        { timeout: 15_000, interval: 200 },
      );
      // The card moves to "recently recorded" with its outcome.
      await p.locator(`[data-testid="visit-card"][data-visit="${visit?.id ?? ''}"] [data-testid="visit-outcome"]`).waitFor({ timeout: 15_000 });
      await p.screenshot({ path: '/tmp/heatwatch-crew-view.png', fullPage: false });
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('renders a ticket whose text is HTML as text, on the compound page and in the queue', async () => {
    const placed = await A.post<{ ticket: { id: string; resolution: { review: string; compoundId?: string } } }>('/api/tickets', {
      externalId: 'dash-xss-1',
      receivedAt: clock.now() - 30 * MIN,
      text: EVIL,
      address: '龙湖华庭3号楼2单元501',
      channel: 'phone',
    });
    expect(placed.status).toBe(201);
    expect(placed.body.ticket.resolution.compoundId).toBe('longhu-huating');
    const queued = await A.post<{ ticket: { id: string; resolution: { review: string } } }>('/api/tickets', {
      externalId: 'dash-xss-2',
      receivedAt: clock.now() - 20 * MIN,
      text: `暖气不热 ${EVIL}`,
      address: '某小区',
      channel: 'phone',
    });
    expect(queued.status).toBe(201);
    expect(queued.body.ticket.resolution.review).toBe('needs-review');

    await page.goto(`${app.url}#/compound/longhu-huating?range=6h`);
    const text = page.locator(`[data-testid="event-ticket"][data-ticket="${placed.body.ticket.id}"] .event-text`);
    await text.waitFor({ timeout: 15_000 });
    expect(await text.textContent()).toBe(EVIL);
    expect(await page.locator('[data-testid="events"] img').count()).toBe(0);

    await page.getByTestId('nav-tickets').click();
    const q = page.locator(`[data-testid="queue-item"][data-ticket="${queued.body.ticket.id}"] [data-testid="ticket-text"]`);
    await q.waitFor({ timeout: 15_000 });
    expect(await q.textContent()).toBe(`暖气不热 ${EVIL}`);
    expect(await page.locator('[data-testid="ticket-queue"] img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
