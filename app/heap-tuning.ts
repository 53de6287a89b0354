// The ingest + rules process's JS heap is mostly long-lived state (the network, the rules' window
// cells, the newest values); what dies mostly dies old (batches held through a store write,
// readings held for the rules' lateness), and V8 by default lets old space grow to 1.5–4× what
// survived the last full collection before the next. At a city's steady load that headroom is most
// of what the process could give back: growing by 25 % at a time kept ≈ 45 MB less RSS than V8's own
// after a minute, 10 % (HEAT_HEAP_GROWING_PERCENT_CALM) another 15–30 MB over 10 minutes. In a burst
// (a backlog after an outage, a full-speed bench) the extra marking costs ingest CPU: 10 % ≈ 20 % more
// per value than 25 %. So the process grows by the tight figure while its event loop is calm and by
// HEAT_HEAP_GROWING_PERCENT (25) while it is busy. Busy at V8's own (0) was ≈ 10 % faster in bursts
// but kept the heap it grew at start-up: 446 vs 392 MB after a minute at city load (bench/README.md).
// V8 reads the flag at each collection, so setting it at run time works: a change takes effect at
// the next full collection, when V8 sets the next limit from what survived.
import { setFlagsFromString } from 'node:v8';
import { performance } from 'node:perf_hooks';

/** `percent` 0 leaves V8's own heuristics. */
export function tuneHeap(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export interface HeapGrowthOptions {
  /** While the event loop is busy (HEAT_HEAP_GROWING_PERCENT); 0: V8's own heuristics. */
  readonly busyPercent: number;
  /** While it is calm (HEAT_HEAP_GROWING_PERCENT_CALM); 0: V8's own. Equal to `busyPercent`: nothing adapts. */
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
  if (o.calmPercent === o.busyPercent) return { percent, stop: () => undefined };
  const busyAbove = o.busyAbove ?? 0.6;
  const calmBelow = o.calmBelow ?? 0.4;
  const calmAfter = o.calmAfter ?? 5;
  const utilization = o.utilization ?? loopUtilization();
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

/** A reader of the event loop's utilization (0–1) over the interval since its previous call. */
export function loopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
}
