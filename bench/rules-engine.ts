// Micro-bench of the rules engine at city scale (issue 8, bench/README.md item 6): the 5,000-station
// synthetic network with the built-in pack, fed N minutes of simulated city readings in event
// time, in batches as the ingest writer publishes them. Deterministic input (fixed seed and start).
// Baseline in the same run: parsing the same messages and dispatching them over the telemetry bus
// to a listener that does nothing (what ingest pays per reading without rules).
//
//   node --expose-gc --import tsx bench/rules-engine.ts [--stations 5000] [--minutes 3] [--batch 500]
//   (add --cpu-prof --cpu-prof-dir out/bench to profile; the engine phase dominates)
//
// Prints readings/s, CPU µs per reading (engine and baseline, and the ratio), the heap the engine
// holds after start-up and after the load (after a full GC; with array buffers' memory, which is
// off the JS heap), and a fingerprint of the events so two versions of the engine can be checked
// to give the same alerts on the same input.

import { createHash } from 'node:crypto';
import { generateNetwork } from '../fixtures/networks/generate-jiayuguan';
import { createCity } from '../fixtures/sim/city';
import { parseNetwork } from '../domain/network-loader';
import type { Metric } from '../domain/telemetry';
import { countFieldValues } from '../domain/telemetry';
import { createTelemetryBus } from '../domain/telemetry-bus';
import { parseMessage } from '../ingest/parse-message';
import { createMemoryAlertStore } from '../rules/alert-store-memory';
import { createRulesEngine } from '../rules/engine';
import { loadBuiltinRules } from '../rules/rule-loader';
import { hash } from './live-plan';
import { defaultLimits } from './workload';

interface Args {
  readonly stations: number;
  readonly minutes: number;
  readonly batch: number;
  readonly tripEvery: number;
}

function parseArgs(argv: readonly string[]): Args {
  const out = { stations: 5000, minutes: 3, batch: 500, tripEvery: 50 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const v = Number(argv[i + 1]);
    if (key === undefined || !(key in out) || !Number.isFinite(v) || v <= 0) throw new Error(`usage: --stations N --minutes N --batch N --tripEvery N (got ${argv[i]} ${argv[i + 1]})`);
    out[key as keyof typeof out] = v;
  }
  return out;
}

/**
 * Heap in use after a full GC (needs --expose-gc), MB, plus the memory of array buffers (typed
 * arrays' backing stores live outside the JS heap: the engine keeps window cells in them).
 */
function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return Number.NaN;
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

/** Array buffers' share of the last heapMb(), MB. */
function buffersMb(): number {
  return process.memoryUsage().arrayBuffers / 1e6;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// A mid-January night in season: the season check and the prediction rules are on.
const START = Date.parse('2026-01-15T02:00:00+08:00');
const STATION_SCAN_MS = 10_000;

function main(): void {
  const a = parseArgs(process.argv.slice(2));
  const log = (s: string): void => void process.stdout.write(`${s}\n`);
  const heap0 = heapMb();
  const network = parseNetwork(generateNetwork({ stations: a.stations, seed: 2024 }), 'bench');
  const heapNetwork = heapMb();
  log(`network: ${network.stations.length} stations, ${network.compounds.length} compounds (${(heapNetwork - heap0).toFixed(0)} MB heap)`);

  // The city's messages, serialised as they go over MQTT; built before anything is timed.
  const t0 = performance.now();
  const city = createCity({ network, seed: 1, start: START, stationScanMs: STATION_SCAN_MS, compoundScanMs: 60_000, warmupMs: 10 * 60_000 });
  const steps: { topic: string; payload: Buffer; ts: number }[][] = [];
  const stationIds = network.stations.map((s) => s.id);
  const tripped = new Set(stationIds.filter((_, i) => i % a.tripEvery === 0));
  const nSteps = Math.round((a.minutes * 60_000) / STATION_SCAN_MS);
  for (let i = 0; i < nSteps; i++) {
    steps.push(
      city.step().messages.map((m) => {
        // Half-way, every `tripEvery`-th station's circulation pump trips: alerts to open.
        const id = m.topic.slice(m.topic.lastIndexOf('/') + 1);
        if (i >= nSteps / 2 && m.topic.includes('/station/') && tripped.has(id)) {
          m.payload.values.pump_state = 'stop';
          m.payload.values.pump_hz = 0;
        }
        // Field devices are not synchronised: each entity reports at its own phase within its
        // scan (as the live bench plays it), so instants hold a few readings, not thousands.
        const scan = m.topic.includes('/station/') ? STATION_SCAN_MS : 60_000;
        m.payload.ts += (hash(m.payload.sensor ?? id) % scan) - scan;
        return { topic: m.topic, payload: Buffer.from(JSON.stringify(m.payload)), ts: m.payload.ts };
      }),
    );
  }
  // Published in time order, as the live publisher does.
  const ordered = steps.flat().sort((x, y) => x.ts - y.ts);
  const messages = ordered.length;
  log(`workload: ${a.minutes} min, ${messages} messages, simulated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Baseline: parse every message and dispatch the metrics over the bus, in writer-sized batches.
  const limits = defaultLimits();
  const bus = createTelemetryBus();
  let dispatched = 0;
  bus.subscribe((b) => void (dispatched += b.length));
  const batches: Metric[][] = [];
  let cur: Metric[] = [];
  const parseCpu0 = cpuMs();
  const parseWall0 = performance.now();
  const now = START + steps.length * STATION_SCAN_MS + 60_000;
  for (const m of ordered) {
    for (const x of parseMessage(m.topic, m.payload, network, now, limits).metrics) cur.push(x);
    if (cur.length >= a.batch) {
      bus.publish(cur);
      batches.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) {
    bus.publish(cur);
    batches.push(cur);
  }
  const parseCpu = cpuMs() - parseCpu0;
  const parseWall = performance.now() - parseWall0;
  const readings = dispatched;
  const values = batches.reduce((n, b) => n + countFieldValues(b), 0);

  // The engine: built-in pack, 200 ms lateness as in the latency bench, an event-time clock.
  const heapBefore = heapMb();
  const buffersBefore = buffersMb();
  let clockNow = START;
  const digest = createHash('sha256');
  let events = 0;
  const opened = new Map<string, number>();
  const buildCpu0 = cpuMs();
  const engine = createRulesEngine({
    network,
    rules: loadBuiltinRules(),
    alertStore: createMemoryAlertStore(),
    clock: { now: () => clockNow },
    tuning: { allowedLatenessMs: 200 },
    onEvent: (e) => {
      events++;
      const what = 'alert' in e ? `${e.alert.ruleId}|${e.alert.entity.kind}/${e.alert.entity.id}|${e.alert.state}|${e.alert.severity}|${e.alert.lastSeenAt}` : 'incident' in e ? `${e.incident.id}|${e.incident.state}` : '';
      digest.update(`${e.type}|${what}\n`);
      if (e.type === 'alert.opened') opened.set(e.alert.ruleId, (opened.get(e.alert.ruleId) ?? 0) + 1);
    },
  });
  const buildCpu = cpuMs() - buildCpu0;
  const heapStart = heapMb();
  const cpu0 = cpuMs();
  const wall0 = performance.now();
  for (const b of batches) {
    let newest = clockNow;
    for (const m of b) if (m.time > newest) newest = m.time;
    clockNow = newest;
    engine.ingest(b);
  }
  engine.advanceWatermark(clockNow);
  const engineCpu = cpuMs() - cpu0;
  const engineWall = performance.now() - wall0;
  const heapLoaded = heapMb();
  const buffersLoaded = buffersMb() - buffersBefore;
  const st = engine.stats();

  const us = (ms: number): string => ((ms * 1000) / readings).toFixed(2);
  log(`readings: ${readings} metrics, ${values} field values, ${batches.length} batches of ≤ ${a.batch}`);
  log(`baseline parse + bus dispatch: ${(readings / (parseWall / 1000)).toFixed(0)} readings/s, ${us(parseCpu)} µs CPU per reading`);
  log(`rules engine ingest:           ${(readings / (engineWall / 1000)).toFixed(0)} readings/s, ${us(engineCpu)} µs CPU per reading (${(engineCpu / parseCpu).toFixed(2)}× the baseline)`);
  log(`  engine build ${buildCpu.toFixed(0)} ms CPU; ${st.evaluations} rule evaluations (${(st.evaluations / readings).toFixed(1)} per reading), ${st.instants} instants, ${st.ticks} ticks`);
  log(`heap (+ array buffers): network ${(heapNetwork - heap0).toFixed(0)} MB; engine after start-up ${(heapStart - heapBefore).toFixed(0)} MB, after the load ${(heapLoaded - heapBefore).toFixed(0)} MB (${buffersLoaded.toFixed(0)} MB of it array buffers)`);
  log(`events: ${events}, live alerts ${st.liveAlerts}, opened by rule ${JSON.stringify(Object.fromEntries([...opened].sort()))}`);
  log(`events fingerprint: ${digest.digest('hex').slice(0, 16)}`);
  log(`summary ${JSON.stringify({ readings, readingsPerS: Math.round(readings / (engineWall / 1000)), engineUsPerReading: Number(us(engineCpu)), baselineUsPerReading: Number(us(parseCpu)), heapStartMb: Math.round(heapStart - heapBefore), heapLoadedMb: Math.round(heapLoaded - heapBefore), events })}`);
}

main();
