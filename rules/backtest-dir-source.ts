// History for a backtest from a simulator output folder (fixtures/sim/batch.ts):
//   telemetry-YYYY-MM.ndjson[.gz]  one {topic, payload} per line, contract v1, in time order
//   forecast.ndjson                {site, issuedAt, points: [[validTime, °C], …]} per hourly issue
// Lines go through the ingest parser (ingest/parse-message.ts), so a replay sees exactly what the
// ingester would have stored; lines it rejects are counted, never silently skipped.

import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import type { Metric } from '../domain/telemetry';
import { parseMessage } from '../ingest/parse-message';
import { MAX_FIELDS_PER_READING, MAX_READINGS, type PayloadLimits } from '../ingest/payload-schema';
import type { ForecastPoint, ForecastProvider } from './forecast';

const TELEMETRY_FILE = /^telemetry-\d{4}-\d{2}\.ndjson(\.gz)?$/;
/** History has no "now": any timestamp is in range. */
const REPLAY_LIMITS: PayloadLimits = {
  maxPayloadBytes: 1 << 20,
  maxReadings: MAX_READINGS,
  maxFieldsPerReading: MAX_FIELDS_PER_READING,
  tsMaxFutureMs: Number.MAX_SAFE_INTEGER,
  tsMaxPastMs: Number.MAX_SAFE_INTEGER,
};

export interface DirSourceStats {
  lines: number;
  metrics: number;
  /** Lines or readings the parser refused (bad JSON, unknown entity, …). */
  rejected: number;
  /** Metrics outside [from, to). */
  outside: number;
}

export function telemetryFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new HeatError('BAD_REQUEST', `--dir ${dir}: no such folder`);
  const files = readdirSync(dir).filter((f) => TELEMETRY_FILE.test(f)).sort();
  if (files.length === 0) throw new HeatError('BAD_REQUEST', `--dir ${dir}: no telemetry-YYYY-MM.ndjson[.gz] files`);
  return files.map((f) => join(dir, f));
}

/**
 * Metrics with from ≤ time < to, in the files' order (time order for simulator output), in
 * batches of about `batchSize`. Files whose month lies wholly outside the range are not read.
 */
export async function* readDirTelemetry(
  dir: string,
  network: NetworkModel,
  range: { from: number; to: number },
  stats: DirSourceStats,
  batchSize = 5_000,
): AsyncGenerator<Metric[]> {
  let batch: Metric[] = [];
  for (const path of telemetryFiles(dir)) {
    if (!monthMayOverlap(path, range)) continue;
    const input = path.endsWith('.gz') ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.length === 0) continue;
      stats.lines++;
      const msg = splitLine(line);
      if (msg === undefined) {
        stats.rejected++;
        continue;
      }
      // Most lines of a month lie outside a short window: judge those by their leading "ts"
      // without parsing them (a line without one is parsed as usual).
      const ts = leadingTs(msg.payload);
      if (ts !== undefined && (ts < range.from || ts >= range.to)) {
        stats.outside++;
        // Simulator files are in time order: nothing later in this file can be in range.
        if (ts >= range.to + LATE_SLACK_MS) break;
        continue;
      }
      const r = parseMessage(msg.topic, Buffer.from(msg.payload), network, 0, REPLAY_LIMITS);
      stats.rejected += r.rejections.length;
      for (const m of r.metrics) {
        if (m.time < range.from || m.time >= range.to) {
          stats.outside++;
          continue;
        }
        batch.push(m);
        stats.metrics++;
      }
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    lines.close();
    input.destroy();
  }
  if (batch.length > 0) yield batch;
}

/** Readings of one file may be out of order by this much at most before reading stops early. */
const LATE_SLACK_MS = 3_600_000;
const LEADING_TS = /^\{"ts":(\d{10,16})[,}]/;

function leadingTs(payload: string): number | undefined {
  const m = LEADING_TS.exec(payload);
  return m === null ? undefined : Number(m[1]);
}

/** `{"topic":"…","payload":{…}}` → topic and the payload's text, without parsing the payload twice. */
function splitLine(line: string): { topic: string; payload: string } | undefined {
  const at = line.indexOf(',"payload":');
  if (!line.startsWith('{"topic":"') || at < 0 || !line.endsWith('}')) return undefined;
  const topic = line.slice(10, at - 1);
  if (topic.includes('"') || topic.includes('\\')) return undefined;
  return { topic, payload: line.slice(at + 11, -1) };
}

/** telemetry-2025-01 holds Shanghai January: skip it when the range cannot touch it (±1 day of slack). */
function monthMayOverlap(path: string, range: { from: number; to: number }): boolean {
  const m = /telemetry-(\d{4})-(\d{2})/.exec(path);
  if (m === null) return true;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const start = Date.UTC(y, mo - 1, 1) - 86_400_000;
  const end = Date.UTC(y, mo, 1) + 86_400_000;
  return start < range.to && end > range.from;
}

const ForecastLine = z.object({
  site: z.string().min(1),
  issuedAt: z.number(),
  points: z.array(z.tuple([z.number(), z.number()])),
});

/**
 * The simulator's forecast issues as a ForecastProvider: per site every issue, sorted by issue
 * time; a query finds the newest issue at or before `asOf` by binary search, so a replay never
 * sees a forecast before it was issued. Bad lines are refused with the line number.
 */
export function readDirForecasts(path: string, range: { from: number; to: number }): { provider: ForecastProvider; issues: number } {
  const bySite = new Map<string, { issuedAt: number; points: ForecastPoint[] }[]>();
  let issues = 0;
  let n = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    n++;
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new HeatError('BAD_REQUEST', `${path}:${n}: not JSON`);
    }
    const r = ForecastLine.safeParse(raw);
    if (!r.success) throw new HeatError('BAD_REQUEST', `${path}:${n}: ${r.error.issues[0]?.path.join('.') ?? '?'}: ${r.error.issues[0]?.message ?? 'invalid'}`);
    const f = r.data;
    if (f.issuedAt >= range.to) continue;
    const list = bySite.get(f.site) ?? [];
    list.push({ issuedAt: f.issuedAt, points: f.points.map(([time, outdoorC]) => ({ time, outdoorC })).sort((a, b) => a.time - b.time) });
    bySite.set(f.site, list);
    issues++;
  }
  for (const list of bySite.values()) list.sort((a, b) => a.issuedAt - b.issuedAt);
  const provider: ForecastProvider = {
    outdoor(siteId, asOf, horizonMs) {
      const list = bySite.get(siteId);
      if (list === undefined) return [];
      let lo = 0;
      let hi = list.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid]?.issuedAt ?? Number.POSITIVE_INFINITY) <= asOf) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      const issue = list[found];
      return issue === undefined ? [] : issue.points.filter((p) => p.time > asOf && p.time <= asOf + horizonMs);
    },
  };
  return { provider, issues };
}
