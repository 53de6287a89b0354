import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { chromium } from 'playwright-core';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../app/logger';
import { MemoryStore } from '../../store/memory-store';
import type { SeasonComparison, SeasonReport } from '../../reports/season-model';
import { simulateInto, type SimSeason } from '../../reports/testing/sim-season';
import { requireBinary } from '../../test/support/require-binary';
import { errorHandler } from '../error-handler';
import { securityHeaders } from '../security-headers';
import { createReportsRoute } from './reports-route';

const chromiumPath = requireBinary('chromium', 'the printable season report is rendered to PDF in a real browser', ['chromium-browser']);
const HOUR = 3_600_000;

describe('season report routes over HTTP', () => {
  let server: Server;
  let base: string;
  let sim: SimSeason;
  beforeAll(async () => {
    const store = new MemoryStore({ maxPoints: 10_000_000 });
    await store.connect();
    sim = await simulateInto(store);
    const app = express();
    app.use(securityHeaders);
    app.use(express.json());
    app.use(createReportsRoute({ network: sim.network, store }, { open: true }).router);
    app.use(errorHandler(createLogger('silent')));
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });
  const q = (): string => `from=${sim.from}&to=${encodeURIComponent(new Date(sim.to).toISOString())}`;

  it('JSON: the report of the range, with the tail end on top', async () => {
    const res = await fetch(`${base}/api/reports/season?${q()}`);
    expect(res.status).toBe(200);
    const r = (await res.json()) as SeasonReport;
    expect(r.from).toBe(sim.from);
    expect(r.candidates[0]?.stationId).toBe('dexuan');
    expect(r.compounds.length).toBe(sim.network.compounds.length);
  });

  it('bad ranges are refused with BAD_REQUEST', async () => {
    expect((await fetch(`${base}/api/reports/season?from=${sim.to}&to=${sim.from}`)).status).toBe(400);
    expect((await fetch(`${base}/api/reports/season?from=yesterday&to=${sim.to}`)).status).toBe(400);
    expect((await fetch(`${base}/api/reports/season.csv?${q()}&table=nope`)).status).toBe(400);
  });

  it('CSV parses back to the same compounds and figures', async () => {
    const res = await fetch(`${base}/api/reports/season.csv?${q()}`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const wb = XLSX.read(text.replace(/^\uFEFF/, ''), { type: 'string', raw: true });
    const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0] ?? ''] ?? {}, { header: 1, raw: false });
    const report = (await (await fetch(`${base}/api/reports/season?${q()}`)).json()) as SeasonReport;
    expect(rows.length).toBe(report.compounds.length + 1);
    const longhu = rows.find((r) => r[0] === 'longhu-huating');
    expect(longhu?.[1]).toBe('龙湖华庭');
    const col = rows[0]?.findIndex((h) => h.startsWith('每户低于18°C度时')) ?? -1;
    expect(Number(longhu?.[col])).toBeCloseTo(report.compounds.find((c) => c.id === 'longhu-huating')?.underheatingDegreeHoursPerHousehold ?? -1, 2);
  });

  it('XLSX reads back with a sheet per table', async () => {
    const res = await fetch(`${base}/api/reports/season.xlsx?${q()}`);
    const wb = XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['summary', 'candidates', 'compounds', 'stations', 'networks']);
    const cands = XLSX.utils.sheet_to_json<Array<string | number>>(wb.Sheets['candidates'] ?? {}, { header: 1 });
    expect(new Set(cands.slice(1, 3).map((r) => r[1]))).toEqual(new Set(['longhu-huating', 'donghu-yiyuan']));
    expect(cands[1]?.[4]).toBe('hydraulic-imbalance');
    const stations = XLSX.utils.sheet_to_json<Array<string | number>>(wb.Sheets['stations'] ?? {}, { header: 1 });
    expect(stations.length).toBe(sim.network.stations.length + 1);
  });

  it('jobs: start, poll to done, unknown id 404, cancel answers', async () => {
    const start = await fetch(`${base}/api/reports/season/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: sim.from, to: sim.from + 12 * HOUR }) });
    expect(start.status).toBe(202);
    const job = (await start.json()) as { jobId: string };
    let state = 'running';
    const deadline = Date.now() + 20_000;
    while (state === 'running' && Date.now() < deadline) state = ((await (await fetch(`${base}/api/reports/season/jobs/${job.jobId}`)).json()) as { state: string }).state;
    expect(state).toBe('done');
    expect((await fetch(`${base}/api/reports/season/jobs/nope`)).status).toBe(404);
    expect((await fetch(`${base}/api/reports/season/jobs/nope`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${base}/api/reports/season/jobs/${job.jobId}`, { method: 'DELETE' })).status).toBe(200);
  });

  it('compare: the same compounds normalised by degree-days', async () => {
    const res = await fetch(`${base}/api/reports/season/compare?beforeFrom=${sim.from}&beforeTo=${sim.from + 24 * HOUR}&from=${sim.from + 24 * HOUR}&to=${sim.to}`);
    const c = (await res.json()) as SeasonComparison;
    expect(c.before.heatingDegreeDays).toBeGreaterThan(0);
    expect(c.after.heatingDegreeDays).toBeGreaterThan(c.before.heatingDegreeDays);
    expect(c.rows.length).toBe(sim.network.compounds.length);
  });

  it.skipIf(chromiumPath === undefined)('the printable page renders in Chromium to an A4 PDF', async () => {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/report/?${q()}`);
      await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 20_000 });
      expect(errors).toEqual([]);
      expect(await page.evaluate(() => document.body.dataset.ready)).toBe('1');
      expect(await page.locator('li.candidate').first().textContent()).toMatch(/龙湖华庭|东湖怡园/);
      expect(await page.locator('.chart svg').count()).toBe(2);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(30_000);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
