// `npm run bench` (≈ 10 min) and `npm run bench -- --quick` (≈ 2 min): HeatWatch measured against
// the tools a utility would otherwise use, on the same machine in the same run (issue 8).
// Starts a real mosquitto and influxd, builds (or reuses) the city workload, then:
//   1. end-to-end ingest throughput: HeatWatch → DuckDB, HeatWatch → InfluxDB, against the MQTT
//      path ceiling, InfluxDB's bulk line-protocol ceiling and Node-RED → InfluxDB;
//   2. publish → socket.io latency under city-scale load, ingest alone and with the rules engine
//      (pump-trip alerts), with the ingest process's RSS;
//   3. dashboard query latency on a stored season in DuckDB;
//   4. the season report (issue 7) over a stored season at the default scans, against a plain scan;
//   5. (full run) a CPU profile of the ingest process at full speed.
// Each run also reports the CPU seconds of every process involved (where the 2 cores went).
// Results: out/bench/results.json; see bench/README.md for what limits throughput.
//
// Options: --quick  --only throughput,latency,query,season,profile  --lateness-ms 200  --live-s 300
//          --nodered-stride 6  --out out/bench  --verbose  --duckdb-only (throughput: MQTT ceiling
//          and HeatWatch → DuckDB, no InfluxDB or Node-RED runs);  --report out/bench/results.json reprints.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadNetwork } from '../domain/network-loader';
import { startInfluxd, type RunningInfluxd } from '../test/support/influxd';
import { startMosquitto, type Mosquitto } from '../test/support/mosquitto';
import { bundleChildren } from './child';
import { childPids } from './cpu-account';
import { createDatabase } from './influx-admin';
import { buildBodies, influxBulk } from './influx-bulk';
import { latencyUnderLoad, type LatencyResult } from './latency';
import { nodeRedThroughput } from './node-red-run';
import { nodeRedVersion } from './node-red';
import { formatProfile, readProfile, summariseProfile } from './profile-summary';
import { queryLatency } from './query-latency';
import { checkTargets, formatReport, type BenchResults } from './report';
import { seasonDataset } from './season-dataset';
import { seasonReportBench } from './season-report';
import { brokerCeiling, ingestThroughput, type RunContext, type ThroughputResult } from './throughput';
import { loadOrBuildWorkload } from './workload';

const PHASES = ['throughput', 'latency', 'query', 'season', 'profile'] as const;
type Phase = (typeof PHASES)[number];

interface Args {
  readonly quick: boolean;
  readonly only: ReadonlySet<Phase>;
  readonly latenessMs: number;
  readonly noderedStride: number;
  readonly outDir: string;
  readonly duckdbOnly: boolean;
  /** Length of each live latency run, s (default 60, --quick 12); past the workload's minutes a longer one is built. */
  readonly liveS: number | undefined;
  /** Latency: only the run with rules (the memory target's process), not the ingest + API one before it. */
  readonly rulesOnly: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let only: Set<Phase> = new Set(PHASES);
  let latenessMs = 200;
  let noderedStride = 6;
  let outDir = 'out/bench';
  let duckdbOnly = false;
  let liveS: number | undefined;
  let rulesOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--quick':
        quick = true;
        break;
      case '--duckdb-only':
        duckdbOnly = true;
        break;
      case '--only': {
        const list = value().split(',');
        const bad = list.filter((p) => !(PHASES as readonly string[]).includes(p));
        if (bad.length > 0) throw new Error(`--only: unknown phase ${bad.join(', ')} (phases: ${PHASES.join(', ')})`);
        only = new Set(list as Phase[]);
        break;
      }
      case '--lateness-ms':
        latenessMs = nonNegative(a, value());
        break;
      case '--nodered-stride':
        noderedStride = Math.max(1, nonNegative(a, value()));
        break;
      case '--out':
        outDir = value();
        break;
      case '--live-s':
        liveS = nonNegative(a, value());
        if (liveS < 10) throw new Error(`--live-s must be at least 10 (probes start after a warm-up), got ${liveS}`);
        break;
      case '--rules-only':
        rulesOnly = true;
        break;
      case '--verbose':
        process.env.BENCH_VERBOSE = '1';
        break;
      default:
        throw new Error(`unknown option ${a} (options: --quick --only ${PHASES.join(',')} --lateness-ms N --nodered-stride N --out DIR --verbose --duckdb-only --live-s N --rules-only)`);
    }
  }
  if (rulesOnly && !only.has('latency')) throw new Error('--rules-only applies to the latency phase: add it to --only');
  return { quick, only, latenessMs, noderedStride, outDir, duckdbOnly, liveS, rulesOnly };
}

function nonNegative(name: string | undefined, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function binaryVersion(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0] ?? '?';
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? '';
    return out.trim().split('\n')[0] || '?';
  }
}

/** `--report <results.json>`: print an earlier run's report again (targets recomputed). */
function reprint(file: string): void {
  const r = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  const { targets: _t, notes, ...base } = r;
  process.stdout.write(`${formatReport({ ...r, targets: checkTargets(base), notes })}\n`);
}

async function main(): Promise<void> {
  const reportIdx = process.argv.indexOf('--report');
  if (reportIdx >= 0) {
    const file = process.argv[reportIdx + 1];
    if (file === undefined) throw new Error('--report needs the results.json to print');
    reprint(file);
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  const outDir = resolve(args.outDir);
  const cacheDir = join(outDir, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'heat-bench-'));
  // The ingest process runs as `npm start` runs the product: bundled, on plain Node (app/bundle.ts).
  await bundleChildren(['./ingest-child.ts']);
  const p = args.quick
    ? { minutes: 1, liveMs: 12_000, seasonDays: 14, reps: 10, deadlineMs: 60_000 }
    : { minutes: 3, liveMs: 60_000, seasonDays: 151, reps: 20, deadlineMs: 180_000 };
  const liveMs = args.liveS === undefined ? p.liveMs : args.liveS * 1000;
  log(`bench (${args.quick ? 'quick' : 'full'}): phases ${[...args.only].join(', ')}; scratch ${scratch}`);

  const throughput: Record<string, ThroughputResult> = {};
  const latency: { ingestOnly?: LatencyResult; withRules?: LatencyResult } = {};
  const notes: string[] = [];
  let queries: BenchResults['queries'];
  let season: BenchResults['season'];
  let profile: BenchResults['profile'];
  let mq: Mosquitto | undefined;
  let influx: RunningInfluxd | undefined;
  const versions: Record<string, string> = {
    mosquitto: binaryVersion('mosquitto', ['-h']).replace(/^mosquitto version /, ''),
    influxd: binaryVersion('influxd', ['version']).replace(/^InfluxDB /, ''),
    'node-red': nodeRedVersion(),
  };
  let workloadMeta: BenchResults['workload'];
  const serverPids: Record<string, number | undefined> = {};

  try {
    const needsBroker = args.only.has('throughput') || args.only.has('latency') || args.only.has('profile');
    if (needsBroker) {
      // A large queue per client: the publisher runs ahead of every subscriber in a burst.
      mq = await startMosquitto({ maxInflightMessages: 1000, maxQueuedMessages: 10_000_000 });
      if (!mq) throw new Error('mosquitto is not installed: the bench needs a real broker');
      serverPids.mosquitto = childPids(process.pid, 'mosquitto')[0];
    }
    const workload = needsBroker ? loadOrBuildWorkload({ stations: 5000, minutes: p.minutes, cacheDir, log }) : undefined;
    workloadMeta = workload?.meta;

    /** Part 1 on InfluxDB: HeatWatch → InfluxDB, the bulk ceiling and Node-RED, on one influxd. */
    const influxThroughputRuns = async (ctx: RunContext): Promise<void> => {
      const workload = ctx.workload;
      influx = await startInfluxd();
      if (!influx) throw new Error('influxd is not installed: the bench needs a real InfluxDB 1.x');
      serverPids.influxd = childPids(process.pid, 'influxd')[0];
      log('1. throughput: HeatWatch → InfluxDB …');
      await createDatabase(influx.url, 'heat_bench');
      throughput['heatwatch-influx'] = await ingestThroughput(ctx, 'heatwatch-influx', { kind: 'influx', url: influx.url, database: 'heat_bench' });
      log(`   ${throughput['heatwatch-influx'].fieldValuesPerS.toLocaleString('en')} values/s`);
      log('1. throughput: InfluxDB bulk line protocol …');
      const bodies = buildBodies(workload);
      for (const c of [1, 2]) {
        await createDatabase(influx.url, `bulk_${c}`);
        const r = await influxBulk(influx.url, `bulk_${c}`, bodies, workload.meta.messages, c, serverPids);
        throughput[r.label] = r;
        log(`   ${c} writer(s): ${r.fieldValuesPerS.toLocaleString('en')} values/s`);
      }
      log(`1. throughput: Node-RED → InfluxDB (every ${args.noderedStride}th message) …`);
      try {
        throughput['node-red'] = await nodeRedThroughput(ctx, influx.url, 'nodered', args.noderedStride);
        log(`   ${throughput['node-red'].fieldValuesPerS.toLocaleString('en')} values/s`);
      } catch (e) {
        notes.push(`Node-RED run failed: ${(e as Error).message.split('\n')[0]}`);
        log(`   failed: ${(e as Error).message}`);
      }
      if (args.noderedStride > 1) {
        notes.push(
          `Node-RED published every ${args.noderedStride}th message of the workload (same mix, a smaller burst): at the full burst its flow opens one HTTP write per message and runs out of sockets (EMFILE) — see bench/README.md. The smaller burst favours Node-RED.`,
        );
      }
      await influx.stop();
      influx = undefined;
      delete serverPids.influxd;
    };

    if (args.only.has('throughput') && mq && workload) {
      const ctx: RunContext = { mqttUrl: mq.url, workload, publisherClients: 4, publisherWindow: 250, deadlineMs: p.deadlineMs, log, serverPids };
      log('1. throughput: MQTT path ceiling …');
      throughput['broker-ceiling'] = await brokerCeiling(ctx);
      log(`   ${throughput['broker-ceiling'].fieldValuesPerS.toLocaleString('en')} values/s`);
      log('1. throughput: HeatWatch → DuckDB …');
      throughput['heatwatch-duckdb'] = await ingestThroughput(ctx, 'heatwatch-duckdb', { kind: 'duckdb', dir: join(scratch, 'duckdb') });
      log(`   ${throughput['heatwatch-duckdb'].fieldValuesPerS.toLocaleString('en')} values/s`);
      if (args.duckdbOnly) notes.push('--duckdb-only: no InfluxDB, bulk or Node-RED runs (their ratios are missing)');
      else await influxThroughputRuns(ctx);
    }

    if (args.only.has('latency') && mq && workload) {
      // The live run plays the workload's simulated minutes in real time: a longer run needs more of them.
      const liveMinutes = Math.ceil(liveMs / 60_000);
      const liveWorkload = liveMinutes > p.minutes ? loadOrBuildWorkload({ stations: 5000, minutes: liveMinutes, cacheDir, log }) : workload;
      if (args.rulesOnly) notes.push('--rules-only: no ingest + API latency run (its reading p99 is missing)');
      else {
        log(`2. latency: ingest + API under city load (${liveMs / 1000} s) …`);
        latency.ingestOnly = await latencyUnderLoad({
          mqttUrl: mq.url,
          workload: liveWorkload,
          dataDir: join(scratch, 'live-ingest'),
          durationMs: liveMs,
          readingProbesPerS: 25,
          alertProbesPerS: 0,
          latenessMs: args.latenessMs,
          publisherClients: 4,
          log,
          serverPids,
          withRules: false,
        });
      }
      log(`2. latency: ingest + API + rules under city load (${liveMs / 1000} s) …`);
      latency.withRules = await latencyUnderLoad({
        mqttUrl: mq.url,
        workload: liveWorkload,
        dataDir: join(scratch, 'live-rules'),
        durationMs: liveMs,
        readingProbesPerS: 25,
        alertProbesPerS: 5,
        latenessMs: args.latenessMs,
        publisherClients: 4,
        log,
        serverPids,
        withRules: true,
      });
    }

    if (args.only.has('query')) {
      log(`3. queries: season dataset (${p.seasonDays} days) …`);
      const network = loadNetwork('fixtures/networks/jiayuguan.json');
      const scanMs = 300_000;
      const data = await seasonDataset({ network, networkName: 'jiayuguan', from: Date.parse('2025-11-01T00:00:00+08:00'), days: p.seasonDays, scanMs, cacheDir, log });
      const timings = await queryLatency(network, data, p.reps, log);
      queries = { dataset: { ...data, days: p.seasonDays, network: `fixtures/networks/jiayuguan.json (${network.stations.length} stations)` }, timings };
    }

    if (args.only.has('season')) {
      log(`4. season report: dataset (${p.seasonDays} days, station 60 s, compound 5 min) …`);
      const network = loadNetwork('fixtures/networks/jiayuguan.json');
      const data = await seasonDataset({ network, networkName: 'jiayuguan', from: Date.parse('2025-11-01T00:00:00+08:00'), days: p.seasonDays, scanMs: 300_000, stationScanMs: 60_000, cacheDir, log });
      // One aggregate per entity (the port-only path) only in --quick: over 151 days it takes tens of minutes.
      season = await seasonReportBench(network, data, { perEntity: args.quick, log });
    }

    if (args.only.has('profile') && !args.quick && mq) {
      log('5. profile: HeatWatch → DuckDB under --cpu-prof (1-minute workload) …');
      const small = loadOrBuildWorkload({ stations: 5000, minutes: 1, cacheDir, log });
      const file = join(outDir, 'ingest-duckdb.cpuprofile');
      const ctx: RunContext = { mqttUrl: mq.url, workload: small, publisherClients: 4, publisherWindow: 250, deadlineMs: p.deadlineMs, log, serverPids };
      const r = await ingestThroughput(ctx, 'profiled-duckdb', { kind: 'duckdb', dir: join(scratch, 'profiled') }, { profileFile: file });
      const summary = summariseProfile(readProfile(file), 25);
      profile = { file, summary };
      writeFileSync(join(outDir, 'profile-summary.txt'), `${formatProfile(summary, 25)}\n`);
      log(`   ${r.fieldValuesPerS.toLocaleString('en')} values/s while profiled; summary in ${join(outDir, 'profile-summary.txt')} (open the .cpuprofile in Chrome DevTools)`);
    }
  } finally {
    await mq?.stop();
    await influx?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const base = {
    startedAt,
    mode: args.quick ? ('quick' as const) : ('full' as const),
    durationS: Math.round((performance.now() - t0) / 1000),
    machine: { cpus: cpus().length, loadAvgAtStart: loadStart, loadAvgAtEnd: loadavg(), node: process.version, memGb: Math.round(totalmem() / 1e9) },
    versions,
    ...(workloadMeta ? { workload: workloadMeta } : {}),
    throughput,
    latency,
    ...(queries ? { queries } : {}),
    ...(season ? { season } : {}),
    ...(profile ? { profile } : {}),
  };
  if (loadStart[0] !== undefined && loadStart[0] > cpus().length) {
    notes.push(`the machine was busy (load average ${loadStart[0].toFixed(1)} on ${cpus().length} cores at start): absolute figures are low; compare the in-run ratios`);
  }
  const results: BenchResults = { ...base, targets: checkTargets(base), notes };
  const file = join(outDir, 'results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatReport(results)}\n\nResults written to ${file}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
