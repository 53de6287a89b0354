// Bench child: the product's ingest path in its own process, built from the same parts as
// app/start-app.ts — store (DuckDB or InfluxDB) → ingest service (external mosquitto) → bus — and,
// for the latency run, the API with its socket.io live push and the rules engine wired as
// app/rules-wiring.ts wires it (DuckDB alert store in the data dir, timed ingest, attachLive: bus
// batches queued and evaluated in slices off the store-write path), except its lateness.
// It can profile itself (V8 CPU profile of the run only). The process is what the RSS figure is about.
//
// IPC: → ready {apiPort?}; → progress {fieldValues} each second; → done {at} when the expected
// field values are stored (store.write resolved: durable and queryable); ← stop → final {…}.

import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Session } from 'node:inspector/promises';
import { Server } from 'socket.io';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApi, type Api } from '../api/create-api';
import { adaptHeapGrowth, loopUtilization } from '../app/heap-tuning';
import { loadConfig } from '../config/config';
import { systemClock } from '../domain/clock';
import { loadNetwork } from '../domain/network-loader';
import { countFieldValues } from '../domain/telemetry';
import { createTelemetryBus } from '../domain/telemetry-bus';
import { createIngestService } from '../ingest/ingest-service';
import { DuckDBAlertStore } from '../rules/alert-store-duckdb';
import { createRulesEngine, type RulesEngine } from '../rules/engine';
import { attachLive, type LiveWiring } from '../rules/live';
import { loadBuiltinRules } from '../rules/rule-loader';
import { registerRulesMetrics, timedIngest } from '../rules/rules-metrics';
import { createStore } from '../store/create-store';
import { DuckDBStore } from '../store/duckdb-store';
import { childConfig, nowMs, toParent } from './child';
import { countDuckDBRows } from './duckdb-count';
import { influxFieldValueCount } from './influx-admin';

export type IngestStoreConfig = { readonly kind: 'duckdb'; readonly dir: string } | { readonly kind: 'influx'; readonly url: string; readonly database: string };

export interface IngestChildConfig {
  readonly mqttUrl: string;
  readonly clientId: string;
  readonly networkFile: string;
  readonly store: IngestStoreConfig;
  /** Report `done` once this many field values are stored. */
  readonly expectFieldValues?: number;
  /** Start the API (socket.io live push) on a free port. */
  readonly api?: boolean;
  /** Run the built-in rules on the bus and push alert events over socket.io (path /bench-alerts). */
  readonly rules?: { readonly latenessMs: number };
  /** Ingester settings beyond the configuration (keepalive …). */
  readonly ingester?: { readonly keepaliveSec?: number };
  /** Configuration overrides (HEAT_MAX_INFLIGHT, HEAT_FLUSH_MS …); the product defaults otherwise. */
  readonly env?: Readonly<Record<string, string>>;
  /** Count what the store holds at the end (not timed). */
  readonly verify?: boolean;
  /**
   * Write a V8 CPU profile (.cpuprofile, as node --cpu-prof) of the span between the parent's
   * `profile-start` and `stop` here: the run only, without start-up and shutdown.
   */
  readonly profileFile?: string;
}

/** What a socket.io client of /bench-alerts receives. */
export interface BenchAlertEvent {
  readonly type: string;
  readonly ruleId: string;
  readonly kind: string;
  readonly id: string;
  readonly at: number;
}

const cfg = childConfig<IngestChildConfig>();

/** Passes log lines to stderr and counts them by message: reconnects and rejections show in the results. */
const logCounter = Object.assign(
  new Writable({
    write(chunk: Buffer, _enc, done) {
      process.stderr.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        const m = /"msg":"([^"]*)"/.exec(line);
        if (m?.[1]) byMsg.set(m[1], (byMsg.get(m[1]) ?? 0) + 1);
      }
      done();
    },
  }),
  { counts: (): Record<string, number> => Object.fromEntries(byMsg) },
);
const byMsg = new Map<string, number>();

/** Heap in use after a full GC (when --expose-gc), in MB: what each part keeps. */
function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
}

async function main(): Promise<void> {
  const heap: Record<string, number> = { modules: heapMb() };
  const env: Record<string, string> = {
    HEAT_NETWORK: cfg.networkFile,
    HEAT_MQTT_URL: cfg.mqttUrl,
    HEAT_MQTT_CLIENT_ID: cfg.clientId,
    HEAT_SIM: 'false',
    LOG_LEVEL: 'warn',
    ...(cfg.store.kind === 'duckdb'
      ? { HEAT_STORE: 'duckdb', HEAT_DATA_DIR: cfg.store.dir }
      : { HEAT_STORE: 'influx', INFLUX_API: 'v1', INFLUX_URL: cfg.store.url, INFLUX_DB: cfg.store.database }),
    ...cfg.env,
  };
  const config = loadConfig(env);
  const heapGrowth = adaptHeapGrowth({ busyPercent: config.HEAT_HEAP_GROWING_PERCENT, calmPercent: config.HEAT_HEAP_GROWING_PERCENT_CALM }); // as app/main.ts
  const logger = pino({ level: config.LOG_LEVEL }, logCounter);
  const network = loadNetwork(config.HEAT_NETWORK);
  heap.network = heapMb();
  const registry = new Registry();
  const bus = createTelemetryBus((e) => logger.error({ err: e }, 'telemetry listener failed'));
  const store = createStore(config, logger.child({ part: 'store' }));
  await store.connect();
  heap.store = heapMb();

  // Distinct points: after a reconnect the broker redelivers what was not yet acknowledged, and
  // the store rewrites it (idempotent); counting those twice would end the run early.
  let stored = 0;
  let rewritten = 0;
  let doneSent = false;
  const seen = cfg.expectFieldValues !== undefined ? new Set<string>() : undefined;
  bus.subscribe((batch) => {
    if (!seen) {
      stored += countFieldValues(batch);
      return;
    }
    for (const m of batch) {
      const key = `${m.measurement}/${m.tags.id}/${m.tags.sensor ?? ''}@${m.time}`;
      if (seen.has(key)) {
        rewritten++;
        continue;
      }
      seen.add(key);
      for (const _f in m.fields) stored++;
    }
    if (!doneSent && cfg.expectFieldValues !== undefined && stored >= cfg.expectFieldValues) {
      doneSent = true;
      toParent({ type: 'done', at: nowMs(), fieldValues: stored });
    }
  });

  let api: Api | undefined;
  let engine: RulesEngine | undefined;
  let alertStore: DuckDBAlertStore | undefined;
  let live: LiveWiring | undefined;
  let liveQueuedMax = 0;
  let alertIo: Server | undefined;
  let apiPort: number | undefined;
  if (cfg.api) {
    api = createApi(
      { network, store, bus, registry, clock: systemClock, logger: logger.child({ part: 'api' }), health: async () => ({ store: { ok: true, detail: store.name } }) },
      { buildWeb: false },
    );
    apiPort = (await api.listen(0, '127.0.0.1')).port;
    heap.api = heapMb();
  }
  if (cfg.rules) {
    if (!api) throw new Error('rules need the api (alerts are pushed over its HTTP server)');
    // Not (yet) a product route: alert events go out on their own socket.io path, one event per change.
    const io = new Server(api.server, { path: '/bench-alerts', serveClient: false });
    alertIo = io;
    if (cfg.store.kind !== 'duckdb') throw new Error('rules keep their alerts in the DuckDB data dir, as the app does: use the duckdb store');
    const alerts = new DuckDBAlertStore({ dataDir: cfg.store.dir });
    alertStore = alerts;
    await alerts.open();
    const e = createRulesEngine({
      network,
      rules: loadBuiltinRules(),
      alertStore: alerts,
      clock: systemClock,
      logger: logger.child({ part: 'rules' }),
      tuning: { allowedLatenessMs: cfg.rules.latenessMs, maxFutureMs: config.HEAT_TS_MAX_FUTURE_MS },
      onEvent: (ev) => {
        if (!('alert' in ev)) return;
        const a = ev.alert;
        const out: BenchAlertEvent = { type: ev.type, ruleId: a.ruleId, kind: a.entity.kind, id: a.entity.id, at: nowMs() };
        io.emit('alert', out);
      },
    });
    engine = e;
    heap.rules = heapMb();
    // As app/rules-wiring.ts: ingest timed into the rules histogram, attachLive with its defaults.
    const rulesMetrics = registerRulesMetrics(registry, e, systemClock);
    live = attachLive({ engine: timedIngest(e, rulesMetrics), bus, clock: systemClock, allowedLatenessMs: cfg.rules.latenessMs });
  }

  const ingest = createIngestService({ config, network, store, bus, registry, logger, ...(cfg.ingester ? { ingester: cfg.ingester } : {}) });
  await ingest.start();
  heap.ingest = heapMb();
  toParent({ type: 'ready', ...(apiPort === undefined ? {} : { apiPort }), heapMb: heap, rssMb: Math.round(process.memoryUsage().rss / 1e6) });

  const loopUse = loopUtilization();
  const mb = (x: number): number => Math.round(x / 1048576); // MiB, as the RSS sampler's kB / 1024
  let tickN = 0;
  const verbose = Boolean(process.env.BENCH_VERBOSE); // as latency.ts, which prints these lines
  const duckMb: { store?: number; alerts?: number } = {};
  const progress = setInterval(() => {
    // Every 10 s, verbose runs only (the alerts file's query queues behind the alert writes it would
    // delay): DuckDB's own accounting of the telemetry store and the alerts file (MiB).
    if (verbose && ++tickN % 10 === 0) {
      if (store instanceof DuckDBStore) void store.memoryUsage().then((u) => (duckMb.store = mb(u.bytes)), () => undefined);
      void alertStore?.memoryUsage().then((b) => (duckMb.alerts = mb(b)), () => undefined);
    }
    const m = process.memoryUsage();
    const elu = Math.round(loopUse() * 100) / 100;
    const queued = live?.queued();
    if (queued !== undefined) liveQueuedMax = Math.max(liveQueuedMax, queued);
    toParent({ type: 'progress', fieldValues: stored, inflight: ingest.writer.inflight, ...(queued === undefined ? {} : { rulesQueued: queued }), elu, heapGrowingPercent: heapGrowth.percent, memMb: { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), ...duckMb } });
  }, 1000);

  const profiler = cfg.profileFile ? new Session() : undefined;
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'profile-start' && profiler) {
      profiler.connect();
      void profiler
        .post('Profiler.enable')
        .then(() => profiler.post('Profiler.start'))
        .then(() => toParent({ type: 'profiling' }));
      return;
    }
    if (m.type !== 'stop') return;
    clearInterval(progress);
    heapGrowth.stop();
    void finish().catch((e: unknown) => {
      toParent({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) });
      process.exit(1);
    });
  });

  async function finish(): Promise<void> {
    if (profiler && cfg.profileFile) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(cfg.profileFile, JSON.stringify(profile));
      profiler.disconnect();
    }
    await ingest.stop({ drainTimeoutMs: 10_000 });
    live?.stop();
    const rulesStats = engine ? { ...engine.stats(), liveQueuedMax } : undefined;
    await engine?.flush();
    await alertStore?.close();
    alertIo?.disconnectSockets(true);
    await api?.close();
    await store.close();
    let verified: number | undefined;
    if (cfg.verify) {
      verified = cfg.store.kind === 'duckdb' ? await countDuckDBRows(new DuckDBStore({ dataDir: cfg.store.dir }).path) : await influxFieldValueCount(cfg.store.url, cfg.store.database);
    }
    const metrics: Record<string, number> = {};
    for (const x of await registry.getMetricsAsJSON()) {
      if (!x.name.startsWith('heat_ingest_')) continue;
      const values = x.values as Array<{ value: number; metricName?: string; labels: Record<string, string | number> }>;
      if (String(x.type) === 'counter') metrics[x.name] = values.reduce((a, v) => a + v.value, 0);
      // Histograms: their sum and count (write time per batch, number of batches).
      for (const v of values) if (v.metricName?.endsWith('_sum') || v.metricName?.endsWith('_count')) metrics[v.metricName] = v.value;
      if (x.name === 'heat_ingest_flushes_total') for (const v of values) metrics[`${x.name}{reason=${String(v.labels.reason)}}`] = v.value;
    }
    toParent({
      type: 'final',
      storedFieldValues: stored,
      rewrittenPoints: rewritten,
      log: logCounter.counts(),
      verified,
      maxRssKb: process.resourceUsage().maxRSS,
      metrics,
      ...(rulesStats ? { rules: { ...rulesStats } } : {}),
    });
    // Leave time for the IPC message to go out; --cpu-prof writes its profile at exit.
    setTimeout(() => process.exit(0), 100);
  }
}

main().catch((e: unknown) => {
  toParent({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) });
  process.exit(1);
});
