// The few InfluxDB 1.x HTTP calls the bench makes itself: create a database, write a body of line
// protocol, count what a database holds, and read influxd's own count of points its shards took in
// (/debug/vars → shard writePointsOk), which tells when a run's points are all in without querying
// the data: the end mark of the Node-RED run.

import { z } from 'zod';

async function post(url: string, body: string, contentType: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(120_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`InfluxDB ${url.replace(/\?.*/, '')} HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function influxQuery(base: string, q: string, db?: string): Promise<unknown> {
  const params = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}) });
  return JSON.parse(await post(`${base}/query`, params.toString(), 'application/x-www-form-urlencoded')) as unknown;
}

export async function createDatabase(base: string, db: string): Promise<void> {
  await influxQuery(base, `CREATE DATABASE "${db}"`);
}

export async function writeLines(base: string, db: string, body: string): Promise<void> {
  await post(`${base}/write?${new URLSearchParams({ db, precision: 'ms' }).toString()}`, body, 'text/plain; charset=utf-8');
}

const CountResult = z.object({
  results: z.array(z.object({ series: z.array(z.object({ columns: z.array(z.string()), values: z.array(z.array(z.unknown())) })).optional() })),
});

/** Field values stored in the database: the sum of count(*) over every field of every measurement. */
export async function influxFieldValueCount(base: string, db: string): Promise<number> {
  const raw = await influxQuery(base, 'SELECT count(*) FROM "station"; SELECT count(*) FROM "compound"; SELECT count(*) FROM "weather"', db);
  const parsed = CountResult.parse(raw);
  let n = 0;
  for (const r of parsed.results) {
    for (const s of r.series ?? []) {
      for (const row of s.values) {
        s.columns.forEach((c, i) => {
          const v = row[i];
          if (c.startsWith('count_') && typeof v === 'number') n += v;
        });
      }
    }
  }
  return n;
}

const Vars = z.record(z.string(), z.unknown());
const Shard = z.object({
  name: z.literal('shard'),
  tags: z.object({ database: z.string() }).passthrough(),
  values: z.object({ writePointsOk: z.number() }).passthrough(),
});

/**
 * Points the shards of `db` have taken in (influxd's own statistics). Counted at the shard, so a
 * write the HTTP layer answered with a timeout but that still landed counts, as it should.
 */
export async function shardPointsWritten(base: string, db: string): Promise<number> {
  const vars = Vars.parse(await (await fetch(`${base}/debug/vars`, { signal: AbortSignal.timeout(30_000) })).json());
  let n = 0;
  for (const [k, v] of Object.entries(vars)) {
    if (!k.startsWith('shard')) continue;
    const s = Shard.safeParse(v);
    if (s.success && s.data.tags.database === db) n += s.data.values.writePointsOk;
  }
  return n;
}

/**
 * Polls shardPointsWritten(db) until it reaches `points`, or stopped growing for
 * `settleMs` (a writer that lost points never gets there), or the deadline passed. `lastGrowthAt`
 * is when the newest growth was seen (epoch ms): the end of the useful work.
 */
export async function waitForPoints(
  base: string,
  db: string,
  points: number,
  o: { deadline: number; settleMs: number; everyMs?: number },
): Promise<{ complete: boolean; seen: number; lastGrowthAt: number }> {
  let seen = 0;
  let lastGrowthAt = performance.timeOrigin + performance.now();
  for (;;) {
    const now = performance.timeOrigin + performance.now();
    const n = await shardPointsWritten(base, db);
    if (n > seen) {
      seen = n;
      lastGrowthAt = now;
    }
    if (seen >= points) return { complete: true, seen, lastGrowthAt };
    if (now - lastGrowthAt > o.settleMs || Date.now() > o.deadline) return { complete: false, seen, lastGrowthAt };
    await new Promise((r) => setTimeout(r, o.everyMs ?? 50));
  }
}
