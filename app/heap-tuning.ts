// The ingest + rules process's JS heap is mostly long-lived state (the network, the rules' window
// cells, the newest values); what dies mostly dies old (batches held through a store write,
// readings held for the rules' lateness), and V8 by default lets old space grow to 1.5–4× what
// survived the last full collection before the next. At city scale that garbage was ≈ 45 MB of
// the process's RSS after a minute. Growing by 25 % at a time (HEAT_HEAP_GROWING_PERCENT) costs
// more (concurrent) marking: up to ≈ 15 % more ingest CPU per value in a burst, within run-to-run
// noise in other runs (bench/README.md).
// Tighter still (10 %) saves ≈ 30 MB more at city load but costs ≈ 20 % more ingest CPU at full
// speed, so the process grows by the tight figure while its event loop is calm (a city's steady
// trickle) and by the looser one while it is busy (a backlog after an outage, a burst).
// V8 reads the flag at each collection, so setting it at run time works.
import { setFlagsFromString } from 'node:v8';
import { performance } from 'node:perf_hooks';

/** `percent` 0 leaves V8's own heuristics. */
export function tuneHeap(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export interface HeapGrowthOptions {
  /** While the event loop is busy (HEAT_HEAP_GROWING_PERCENT); 0: V8's own heuristics, nothing adapts. */
  readonly busyPercent: number;
  /** While it is calm (HEAT_HEAP_GROWING_PERCENT_CALM). */
  readonly calmPercent: number;
  /** How often the event loop's utilization is read, ms. */
  readonly everyMs?: number;
  /** Busy as soon as one interval is busier than this share (0–1) — a burst gets the looser figure
   * within a second; calm again after `calmAfter` intervals in a row below `calmBelow`. */
  readonly busyAbove?: number;
  readonly calmBelow?: number;
  readonly calmAfter?: number;
  /** Utilization since the previous call (0–1); default: the event loop's own (perf_hooks). */
  readonly utilization?: () => number;
  /** Applies a percentage; default `tuneHeap`. */
  readonly apply?: (percent: number) => void;
}

export interface HeapGrowth {
  /** The percentage in force. */
  readonly percent: number;
  /** Stops adapting (at shutdown); the percentage in force stays. */
  stop(): void;
}

export const HEAP_GROWTH_EVERY_MS = 1_000;

/**
 * Starts busy (start-up builds the network and the rules' state), then follows the event loop.
 * Lifecycle: call once at start-up, before the state is built; `stop()` at shutdown.
 */
export function adaptHeapGrowth(o: HeapGrowthOptions): HeapGrowth {
  const apply = o.apply ?? tuneHeap;
  let percent = o.busyPercent;
  apply(percent);
  if (o.busyPercent === 0 || o.calmPercent === o.busyPercent) return { percent, stop: () => undefined };
  const busyAbove = o.busyAbove ?? 0.6;
  const calmBelow = o.calmBelow ?? 0.4;
  const calmAfter = o.calmAfter ?? 5;
  const utilization = o.utilization ?? eventLoopUtilization();
  let calmRun = 0;
  const timer = setInterval(() => {
    const u = utilization();
    calmRun = u < calmBelow ? calmRun + 1 : 0;
    const next = u > busyAbove ? o.busyPercent : calmRun >= calmAfter ? o.calmPercent : percent;
    if (next !== percent) apply((percent = next));
  }, o.everyMs ?? HEAP_GROWTH_EVERY_MS);
  timer.unref();
  return {
    get percent() {
      return percent;
    },
    stop: () => clearInterval(timer),
  };
}

/** The event loop's utilization over each interval between calls. */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
}
