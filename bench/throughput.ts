// End-to-end ingest throughput: the publisher child publishes the whole workload (QoS 1) as fast
// as the broker acknowledges; the clock runs from its first publish to the moment the last field
// value is stored and queryable (the ingest child's store.write resolved). Rates are over that span.

import { startChild } from './child';
import { cpuAccount } from './cpu-account';
import { sampleRss, type RssSummary } from './rss-sampler';
import type { IngestChildConfig, IngestStoreConfig } from './ingest-child';
import type { PublisherConfig } from './publisher';
import type { Workload } from './workload';

export interface ThroughputResult {
  readonly label: string;
  /** First publish → last field value stored, ms. */
  readonly elapsedMs: number;
  readonly messages: number;
  readonly fieldValues: number;
  readonly msgPerS: number;
  readonly fieldValuesPerS: number;
  /** Everything expected arrived before the deadline. */
  readonly complete: boolean;
  /** Field values stored by the end mark (or the deadline). */
  readonly stored: number;
  /** Field values counted in the store afterwards (not timed); undefined when not counted. */
  readonly verified?: number;
  readonly rss?: RssSummary & { readonly maxRssKb?: number };
  readonly publishMs?: number;
  /** CPU seconds each process used during the run (Linux). */
  readonly cpuS?: Readonly<Record<string, number>>;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface RunContext {
  readonly mqttUrl: string;
  /** Servers whose CPU time each run reports (name → pid). */
  readonly serverPids?: Readonly<Record<string, number | undefined>>;
  readonly workload: Workload;
  readonly publisherClients: number;
  readonly publisherWindow: number;
  readonly deadlineMs: number;
  readonly log: (line: string) => void;
}

export function rates(label: string, elapsedMs: number, messages: number, fieldValues: number, rest: Omit<ThroughputResult, 'label' | 'elapsedMs' | 'messages' | 'fieldValues' | 'msgPerS' | 'fieldValuesPerS'>): ThroughputResult {
  const s = elapsedMs / 1000;
  return { label, elapsedMs: Math.round(elapsedMs), messages, fieldValues, msgPerS: Math.round(messages / s), fieldValuesPerS: Math.round(fieldValues / s), ...rest };
}

export function publisherConfig(ctx: RunContext): PublisherConfig {
  return { url: ctx.mqttUrl, workload: ctx.workload.path, clients: ctx.publisherClients, window: ctx.publisherWindow, mode: 'burst' };
}

/** Our ingest path (child process) against the given store. */
export async function ingestThroughput(
  ctx: RunContext,
  label: string,
  store: IngestStoreConfig,
  opts: { profileFile?: string; env?: Readonly<Record<string, string>>; execArgv?: readonly string[]; ingester?: IngestChildConfig['ingester'] } = {},
): Promise<ThroughputResult> {
  const meta = ctx.workload.meta;
  const cfg: IngestChildConfig = {
    mqttUrl: ctx.mqttUrl,
    clientId: `bench-ingest-${label.replace(/[^A-Za-z0-9]/g, '')}-${process.pid}-${Date.now() % 100000}`,
    networkFile: meta.networkFile,
    store,
    expectFieldValues: meta.fieldValues,
    verify: true,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.profileFile ? { profileFile: opts.profileFile } : {}),
    ...(opts.ingester ? { ingester: opts.ingester } : {}),
  };
  // A profiled run goes through tsx: the profile then names source files, not the bundle.
  const ingest = startChild('./ingest-child.ts', cfg, { execArgv: opts.execArgv ?? [], source: opts.profileFile !== undefined, product: true });
  const pub = startChild('./publisher.ts', publisherConfig(ctx));
  try {
    await ingest.next('ready', 60_000);
    await pub.next('ready', 120_000);
    if (opts.profileFile) {
      ingest.send({ type: 'profile-start' });
      await ingest.next('profiling', 10_000);
    }
    const rss = sampleRss(ingest.pid);
    const cpu = cpuAccount({ ingest: ingest.pid, publisher: pub.pid, ...ctx.serverPids });
    let last = 0;
    ingest.onMessage((m) => {
      if (m.type === 'progress') {
        last = Number(m.fieldValues);
        if (process.env.BENCH_VERBOSE) ctx.log(`  ${label} progress ${JSON.stringify(m)}`);
      }
    });
    pub.send({ type: 'go' });
    const started = await pub.next<{ type: string; at: number }>('started', 30_000);
    const published = pub.next<{ type: string; at: number }>('published', ctx.deadlineMs).catch(() => undefined);
    let done: { at: number; fieldValues: number } | undefined;
    try {
      done = await ingest.next<{ type: string; at: number; fieldValues: number }>('done', ctx.deadlineMs);
    } catch (e) {
      ctx.log(`  ${label}: not complete within ${ctx.deadlineMs / 1000} s (${(e as Error).message})`);
    }
    const end = done?.at ?? performance.timeOrigin + performance.now();
    const cpuS = cpu.stop();
    const pubDone = await Promise.race([published, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000))]);
    const r = rss.stop();
    ingest.send({ type: 'stop' });
    const final = await ingest.next<{
      type: string;
      verified?: number;
      maxRssKb: number;
      storedFieldValues: number;
      rewrittenPoints: number;
      log: Record<string, number>;
      metrics: Record<string, number>;
    }>('final', 120_000);
    const stored = done?.fieldValues ?? last;
    const fraction = meta.fieldValues > 0 ? stored / meta.fieldValues : 0;
    return rates(label, end - started.at, Math.round(meta.messages * Math.min(1, fraction)), stored, {
      complete: done !== undefined,
      stored,
      ...(final.verified !== undefined ? { verified: final.verified } : {}),
      rss: { ...r, maxRssKb: final.maxRssKb },
      ...(pubDone ? { publishMs: Math.round(pubDone.at - started.at) } : {}),
      cpuS,
      extra: { ingestCounters: final.metrics, rewrittenPoints: final.rewrittenPoints, reconnects: final.log['MQTT connection lost; reconnecting'] ?? 0, logged: final.log },
    });
  } finally {
    await pub.stop(5000);
    await ingest.stop(30_000);
  }
}

/**
 * The MQTT path alone: the same publisher and broker, and a subscriber that only acknowledges
 * (what any consumer of this broker could reach at most, with this publisher on this machine).
 */
export async function brokerCeiling(ctx: RunContext): Promise<ThroughputResult> {
  const meta = ctx.workload.meta;
  const sub = startChild('./null-subscriber.ts', { url: ctx.mqttUrl, expect: meta.messages, receiveMaximum: 1000 });
  const pub = startChild('./publisher.ts', publisherConfig(ctx));
  try {
    await sub.next('ready', 30_000);
    await pub.next('ready', 120_000);
    const cpu = cpuAccount({ subscriber: sub.pid, publisher: pub.pid, ...ctx.serverPids });
    pub.send({ type: 'go' });
    const started = await pub.next<{ type: string; at: number }>('started', 30_000);
    const done = await sub.next<{ type: string; at: number; messages: number }>('done', ctx.deadlineMs);
    return rates('broker-ceiling', done.at - started.at, done.messages, meta.fieldValues, { complete: true, stored: 0, cpuS: cpu.stop() });
  } finally {
    await pub.stop(5000);
    await sub.stop(5000);
  }
}
