// Latency under city-scale load: the publisher child plays the city live (5,000 stations at a
// 10 s scan, compounds and indoor sensors at 60 s, each entity at its own phase, ts = publish time)
// into the ingest child (DuckDB store, API with socket.io live push, rules engine on the bus).
// Meanwhile this process, holding one clock for both ends, probes:
//   reading: publishes a reading for one of a few probe stations (kept out of the load) and waits
//            for that reading's `reading` event on a socket.io client subscribed to the station;
//   alert:   publishes a reading with the circulation pump stopped for a station of the load
//            (each station once) and waits for the pump-trip `alert.opened` event.
// The ingest child's RSS is sampled all along: the memory figure at city-scale load.

import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import type { ReadingEvent } from '../api/dto';
import { startChild, nowMs } from './child';
import { cpuAccount } from './cpu-account';
import type { BenchAlertEvent, IngestChildConfig } from './ingest-child';
import { entityOf, restamp } from './live-plan';
import type { PublisherConfig } from './publisher';
import { sampleRss, type RssSummary } from './rss-sampler';
import { summarise, type LatencySummary } from './stats';
import { COMPOUND_SCAN_MS, STATION_SCAN_MS, type Workload } from './workload';
import { readWorkload, type WorkloadMessage } from './workload-file';

export interface LatencyOptions {
  readonly mqttUrl: string;
  readonly workload: Workload;
  readonly dataDir: string;
  readonly durationMs: number;
  /** Probe readings per second (round robin over the probe stations). */
  readonly readingProbesPerS: number;
  /** Pump trips per second (each on a different station). */
  readonly alertProbesPerS: number;
  /** Run the rules engine in the ingest process (and probe pump-trip alerts). */
  readonly withRules: boolean;
  /** Rules engine allowed lateness (event time), ms. */
  readonly latenessMs: number;
  readonly publisherClients: number;
  /** Servers whose CPU time the run reports (name → pid). */
  readonly serverPids?: Readonly<Record<string, number | undefined>>;
  /** Write a CPU profile of the ingest process over the live run here. */
  readonly profileFile?: string;
  /** Configuration overrides for the ingest process (the product defaults otherwise). */
  readonly env?: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
}

export interface LatencyResult {
  readonly durationMs: number;
  readonly offeredMsgPerS: number;
  readonly offeredFieldValuesPerS: number;
  readonly publishedMessages: number;
  readonly publisherBehindMaxMs: number;
  readonly reading: LatencySummary & { readonly sent: number; readonly missing: number };
  readonly alert: (LatencySummary & { readonly sent: number; readonly missing: number }) | undefined;
  readonly rss: RssSummary & { readonly maxRssKb?: number };
  /** CPU seconds per process over the live run (the share of a core each needs at this load). */
  readonly cpuS: Readonly<Record<string, number>>;
  readonly latenessMs: number;
  readonly rules?: Readonly<Record<string, unknown>>;
  /** Heap used after loading each part (MB, after a full GC): what the footprint is made of. */
  readonly heapMbAtStart?: Readonly<Record<string, number>>;
  readonly ingestCounters?: Readonly<Record<string, number>>;
}

const PROBE_STATIONS = 50;
const WARMUP_MS = 5_000;

export async function latencyUnderLoad(o: LatencyOptions): Promise<LatencyResult> {
  const messages = readWorkload(o.workload.path);
  const stationMsgs = messages.filter((m) => m.topic.startsWith('heat/v1/station/'));
  const stationIds = [...new Set(stationMsgs.map((m) => entityOf(m.topic)))];
  const probeIds = stationIds.slice(0, PROBE_STATIONS);
  const alertIds = stationIds.slice(PROBE_STATIONS);
  const template = new Map<string, WorkloadMessage>();
  for (const m of stationMsgs) if (!template.has(entityOf(m.topic))) template.set(entityOf(m.topic), m);

  const cfg: IngestChildConfig = {
    mqttUrl: o.mqttUrl,
    clientId: `bench-ingest-live-${process.pid}`,
    networkFile: o.workload.meta.networkFile,
    store: { kind: 'duckdb', dir: o.dataDir },
    api: true,
    ...(o.withRules ? { rules: { latenessMs: o.latenessMs } } : {}),
    ...(o.profileFile ? { profileFile: o.profileFile } : {}),
    ...(o.env ? { env: o.env } : {}),
  };
  const alertProbesPerS = o.withRules ? o.alertProbesPerS : 0;
  const ingest = startChild('./ingest-child.ts', cfg, { execArgv: ['--expose-gc'], product: true });
  if (process.env.BENCH_VERBOSE) ingest.onMessage((m) => m.type === 'progress' && o.log(`  live progress ${JSON.stringify(m)}`));
  const pubCfg: PublisherConfig = {
    url: o.mqttUrl,
    workload: o.workload.path,
    clients: o.publisherClients,
    window: 1000,
    mode: 'live',
    durationMs: o.durationMs,
    scanMs: { station: STATION_SCAN_MS, compound: COMPOUND_SCAN_MS, weather: COMPOUND_SCAN_MS },
    exclude: probeIds,
  };
  const pub = startChild('./publisher.ts', pubCfg);
  const sockets: Socket[] = [];
  let probe: MqttClient | undefined;
  try {
    const ready = await ingest.next<{ type: string; apiPort: number; heapMb: Record<string, number> }>('ready', 60_000);
    o.log(`  ingest process ready; heap after each part (MB, after GC): ${JSON.stringify(ready.heapMb)}`);
    await pub.next('ready', 120_000);
    const base = `http://127.0.0.1:${ready.apiPort}`;
    probe = await mqtt.connectAsync(o.mqttUrl, { clientId: `bench-probe-${process.pid}`, clean: true, protocolVersion: 4, reconnectPeriod: 0 });

    // Socket.io: readings of the probe stations (at most 64 rooms per connection), and alerts.
    const sent = new Map<string, number>();
    const readingLat: number[] = [];
    const live = io(base, { transports: ['websocket'] });
    sockets.push(live);
    await new Promise<void>((resolve, reject) => {
      live.once('connect', () => resolve());
      live.once('connect_error', reject);
    });
    for (const id of probeIds) {
      const ack = await live.timeout(10_000).emitWithAck('subscribe', { entity: `station:${id}` });
      if (!(ack as { ok: boolean }).ok) throw new Error(`subscribe station:${id} refused: ${JSON.stringify(ack)}`);
    }
    live.on('reading', (r: ReadingEvent) => {
      const key = `${r.entity}@${r.time}`;
      const at = sent.get(key);
      if (at === undefined) return;
      sent.delete(key);
      readingLat.push(nowMs() - at);
    });
    const tripped = new Map<string, number>();
    const alertLat: number[] = [];
    if (o.withRules) {
      const alerts = io(base, { path: '/bench-alerts', transports: ['websocket'] });
      sockets.push(alerts);
      alerts.on('alert', (a: BenchAlertEvent) => {
        if (a.type !== 'alert.opened' || a.ruleId !== 'pump-trip') return;
        const at = tripped.get(a.id);
        if (at === undefined) return;
        tripped.delete(a.id);
        alertLat.push(nowMs() - at);
      });
    }

    if (o.profileFile) {
      ingest.send({ type: 'profile-start' });
      await ingest.next('profiling', 10_000);
    }
    const rss = sampleRss(ingest.pid);
    const cpu = cpuAccount({ ingest: ingest.pid, publisher: pub.pid, ...o.serverPids });
    pub.send({ type: 'go' });
    const started = await pub.next<{ type: string; at: number; planned: number }>('started', 30_000);
    o.log(`  live load: ${started.planned} messages planned over ${o.durationMs / 1000} s; probes start after ${WARMUP_MS / 1000} s`);
    await sleep(WARMUP_MS);

    let readingSent = 0;
    let alertSent = 0;
    const client = probe;
    const probeUntil = started.at + o.durationMs - 3_000;
    const readingEvery = 1000 / o.readingProbesPerS;
    const alertEvery = alertProbesPerS > 0 ? 1000 / alertProbesPerS : Number.POSITIVE_INFINITY;
    let nextReading = nowMs();
    let nextAlert = nowMs();
    while (nowMs() < probeUntil) {
      const now = nowMs();
      if (now >= nextReading) {
        const id = probeIds[readingSent % probeIds.length] as string;
        const ts = Math.round(nowMs());
        sent.set(`station:${id}@${ts}`, nowMs());
        client.publish(`heat/v1/station/${id}`, restamp((template.get(id) as WorkloadMessage).payload, ts), { qos: 1 });
        readingSent++;
        nextReading += readingEvery;
      }
      if (now >= nextAlert && alertSent < alertIds.length) {
        const id = alertIds[alertSent] as string;
        const ts = Math.round(nowMs());
        tripped.set(id, nowMs());
        client.publish(`heat/v1/station/${id}`, pumpStopped((template.get(id) as WorkloadMessage).payload, ts), { qos: 1 });
        alertSent++;
        nextAlert += alertEvery;
      }
      await sleep(Math.max(1, Math.min(nextReading, nextAlert) - nowMs()));
    }
    const published = await pub.next<{ type: string; messages: number; behindMaxMs: number }>('published', o.durationMs + 60_000);
    const cpuS = cpu.stop();
    // The last probes' events may still be on their way.
    await sleep(3_000);
    const r = rss.stop();
    o.log(`  ingest process RSS peak per ${r.bucketMs / 1000} s (MB): ${r.peakKbPerBucket.map((kb) => Math.round(kb / 1024)).join(' ')}`);
    ingest.send({ type: 'stop' });
    const final = await ingest.next<{ type: string; maxRssKb: number; rules?: Record<string, unknown>; metrics: Record<string, number> }>('final', 120_000);
    const offered = o.workload.meta;
    const span = offered.minutes * 60_000;
    return {
      durationMs: o.durationMs,
      offeredMsgPerS: Math.round((offered.messages / span) * 1000),
      offeredFieldValuesPerS: Math.round((offered.fieldValues / span) * 1000),
      publishedMessages: published.messages,
      publisherBehindMaxMs: published.behindMaxMs,
      reading: { ...summarise(readingLat), sent: readingSent, missing: readingSent - readingLat.length },
      alert: alertProbesPerS > 0 ? { ...summarise(alertLat), sent: alertSent, missing: alertSent - alertLat.length } : undefined,
      rss: { ...r, maxRssKb: final.maxRssKb },
      cpuS,
      latenessMs: o.latenessMs,
      ...(final.rules ? { rules: final.rules } : {}),
      heapMbAtStart: ready.heapMb,
      ingestCounters: final.metrics,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await probe?.endAsync(true);
    await pub.stop(5000);
    await ingest.stop(30_000);
  }
}

/** The station's reading with its circulation pump stopped (what a tripped pump reports). */
function pumpStopped(payload: Buffer, ts: number): Buffer {
  const p = JSON.parse(payload.toString('utf8')) as { ts: number; values: Record<string, unknown> };
  p.ts = ts;
  p.values.pump_state = 'stop';
  p.values.pump_hz = 0;
  if (typeof p.values.flow2 === 'number') p.values.flow2 = Math.round(p.values.flow2 * 0.05 * 100) / 100;
  return Buffer.from(JSON.stringify(p));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
