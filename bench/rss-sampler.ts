// Samples a process's resident set size from /proc/<pid>/status (VmRSS) every `everyMs`, from
// outside the process, so the sampling costs the measured process nothing.
// Lifecycle: sampleRss(pid) starts at once; stop() returns the peak, the samples' mean and the
// peak of each 10 s (windows fill over a run: the timeline shows whether RSS still grows).

import { readFileSync } from 'node:fs';

export interface RssSummary {
  readonly peakKb: number;
  readonly meanKb: number;
  readonly samples: number;
  /** Peak VmRSS (kB) of each `bucketMs` since the start, in order. */
  readonly peakKbPerBucket: readonly number[];
  readonly bucketMs: number;
}

/** VmRSS in kB, or undefined when the process is gone (or this is not Linux). */
export function readRssKb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function sampleRss(pid: number, everyMs = 200, bucketMs = 10_000): { stop(): RssSummary } {
  const t0 = performance.now();
  const buckets: number[] = [];
  let peak = 0;
  let sum = 0;
  let n = 0;
  const take = (): void => {
    const kb = readRssKb(pid);
    if (kb === undefined) return;
    const b = Math.floor((performance.now() - t0) / bucketMs);
    while (buckets.length <= b) buckets.push(0);
    buckets[b] = Math.max(buckets[b] as number, kb);
    peak = Math.max(peak, kb);
    sum += kb;
    n++;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakKb: peak, meanKb: n === 0 ? 0 : Math.round(sum / n), samples: n, peakKbPerBucket: buckets, bucketMs };
    },
  };
}
