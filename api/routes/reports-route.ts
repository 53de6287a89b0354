// Season report routes (issue 7): the analysis as JSON, CSV and XLSX, long runs as jobs, the
// season-over-season comparison, and the printable page (web/report/, bundled on first request).
//
//   GET    /api/reports/season?from=&to=                 → SeasonReport (cached per range)
//   GET    /api/reports/season.csv?from=&to=&table=      → CSV (compounds | candidates | stations | networks)
//   GET    /api/reports/season.xlsx?from=&to=            → XLSX (summary + one sheet per table)
//   GET    /api/reports/season/compare?beforeFrom=&beforeTo=&from=&to= → SeasonComparison
//   POST   /api/reports/season/jobs   {from, to}         → 202 {jobId, state, progress}
//   GET    /api/reports/season/jobs/:id                  → {jobId, state, progress, error?}
//   DELETE /api/reports/season/jobs/:id                  → cancels
//   GET    /report/  (and /report/report.js)             → the printable page
// Times: ISO 8601 (with offset) or epoch ms.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Router, type Request } from 'express';
import { scopeFor } from '../../auth/scope';
import { HeatError } from '../../domain/errors';
import type { SeasonDeps } from '../../reports/season-analysis';
import type { SeasonReport } from '../../reports/season-model';
import { compareSeasons } from '../../reports/season-compare';
import { seasonCsv, seasonXlsx } from '../../reports/season-export';
import { SeasonJobs } from '../../reports/season-jobs';
import { scopeComparison, scopeReport } from '../../reports/season-scope';

const REPORT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'report');
const TABLES = ['candidates', 'compounds', 'stations', 'networks'] as const;
type TableName = (typeof TABLES)[number];

export function parseTime(v: unknown, name: string): number {
  if (typeof v !== 'string' && typeof v !== 'number') throw new HeatError('BAD_REQUEST', `${name} is required (ISO 8601 or epoch ms)`);
  const s = String(v);
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) throw new HeatError('BAD_REQUEST', `${name}: cannot read ${s.slice(0, 40)} as a time`);
  return t;
}

function range(q: Record<string, unknown>, fromKey = 'from', toKey = 'to'): [number, number] {
  return [parseTime(q[fromKey], fromKey), parseTime(q[toKey], toKey)];
}

const query = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;

export interface ReportsRoute {
  readonly router: Router;
  readonly jobs: SeasonJobs;
}

export interface ReportsRouteOptions {
  /** An API without access control (tests of the API alone): every station is visible. */
  readonly open?: boolean;
}

export function reportsRoute(deps: SeasonDeps, opts: ReportsRouteOptions = {}): Router {
  return createReportsRoute(deps, opts).router;
}

export function createReportsRoute(deps: SeasonDeps, opts: ReportsRouteOptions = {}): ReportsRoute {
  const jobs = new SeasonJobs(deps);
  // Computed once for the whole network, cut to the caller's stations (a crew sees its own).
  const scoped = async (req: Request, from: number, to: number): Promise<SeasonReport> => scopeReport(await jobs.report(from, to), scopeFor(req, opts.open ?? false));
  const r = Router();
  let bundle: Promise<string> | undefined;

  r.get('/api/reports/season', async (req, res) => {
    const [from, to] = range(query(req));
    res.json(await scoped(req, from, to));
  });
  r.get('/api/reports/season.csv', async (req, res) => {
    const [from, to] = range(query(req));
    const t = query(req)['table'];
    const table: TableName = typeof t === 'string' && (TABLES as readonly string[]).includes(t) ? (t as TableName) : 'compounds';
    if (t !== undefined && t !== table) throw new HeatError('BAD_REQUEST', `table must be one of ${TABLES.join(', ')}`);
    const csv = seasonCsv(await scoped(req, from, to), table);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="season-${table}.csv"`);
    res.send(csv);
  });
  r.get('/api/reports/season.xlsx', async (req, res) => {
    const [from, to] = range(query(req));
    const buf = seasonXlsx(await scoped(req, from, to));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', 'attachment; filename="season.xlsx"');
    res.send(buf);
  });
  r.get('/api/reports/season/compare', async (req, res) => {
    const [bf, bt] = range(query(req), 'beforeFrom', 'beforeTo');
    const [af, at] = range(query(req));
    const [before, after] = await Promise.all([jobs.report(bf, bt), jobs.report(af, at)]);
    res.json(scopeComparison(compareSeasons(before, after), before, scopeFor(req, opts.open ?? false)));
  });
  r.post('/api/reports/season/jobs', (req, res) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const src = body['from'] !== undefined ? body : query(req);
    const [from, to] = range(src);
    const job = jobs.start(from, to);
    res.status(202).json(jobs.view(job));
  });
  r.get('/api/reports/season/jobs/:id', (req, res) => {
    const job = jobs.get(req.params.id);
    if (!job) throw new HeatError('NOT_FOUND', `no report job ${req.params.id}`);
    res.json(jobs.view(job));
  });
  r.delete('/api/reports/season/jobs/:id', (req, res) => {
    if (!jobs.cancel(req.params.id)) throw new HeatError('NOT_FOUND', `no report job ${req.params.id}`);
    const job = jobs.get(req.params.id);
    res.json(job ? jobs.view(job) : { jobId: req.params.id, state: 'cancelled' });
  });

  r.get(['/report', '/report/', '/report/index.html'], async (req, res) => {
    if (req.path === '/report') {
      res.redirect(301, '/report/');
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(await readFile(join(REPORT_DIR, 'index.html'), 'utf8'));
  });
  r.get('/report/report.css', async (_req, res) => {
    res.setHeader('Content-Type', 'text/css; charset=utf-8');
    res.send(await readFile(join(REPORT_DIR, 'report.css'), 'utf8'));
  });
  r.get('/report/report.js', async (_req, res) => {
    bundle ??= build({ entryPoints: [join(REPORT_DIR, 'report.ts')], bundle: true, write: false, format: 'esm', minify: true, target: 'es2022', logLevel: 'silent' }).then(
      (out) => out.outputFiles[0]?.text ?? '',
    );
    try {
      const js = await bundle;
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      res.send(js);
    } catch (e) {
      bundle = undefined;
      throw e;
    }
  });
  return { router: r, jobs };
}
