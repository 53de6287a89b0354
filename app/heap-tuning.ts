// The ingest + rules process's JS heap is mostly long-lived state (the network, the rules' window
// cells, the newest values); what dies mostly dies old (batches held through a store write,
// readings held for the rules' lateness), and V8 by default lets old space grow to 1.5–4× what
// survived the last full collection before the next. At city scale that garbage was ≈ 45 MB of
// the process's RSS after a minute. Growing by 25 % at a time (HEAT_HEAP_GROWING_PERCENT) costs
// more (concurrent) marking: up to ≈ 15 % more ingest CPU per value in a burst, within run-to-run
// noise in other runs (bench/README.md).
// V8 reads the flag at each collection, so setting it at run time, before the state is built, works.
import { setFlagsFromString } from 'node:v8';

/** `percent` 0 leaves V8's own heuristics. */
export function tuneHeap(percent: number): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
