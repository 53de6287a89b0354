// The ingest + rules process's JS heap is mostly long-lived state (the network, the rules' window
// cells, the newest values); what dies mostly dies old (batches held through a store write,
// readings held for the rules' lateness), and V8 by default lets old space grow to 1.5–4× what
// survived the last full collection before the next. At city scale that garbage was ≈ 50–100 MB
// of the process's RSS. Growing by 15 % at a time costs a few more (concurrent) marking cycles:
// measured in bench/README.md (peak RSS and alert latency). Called first thing in a process that
// builds this state; V8 reads the flag at each collection, so setting it at run time works.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 15;

export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
