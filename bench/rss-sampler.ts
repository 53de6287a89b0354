// Samples a process's resident set size from /proc/<pid>/status (VmRSS) every `everyMs`, from
// outside the process, so the sampling costs the measured process nothing.
// Lifecycle: sampleRss(pid) starts at once; stop() returns the peak and the samples' mean.

import { readFileSync } from 'node:fs';

export interface RssSummary {
  readonly peakKb: number;
  readonly meanKb: number;
  readonly samples: number;
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

export function sampleRss(pid: number, everyMs = 200): { stop(): RssSummary } {
  let peak = 0;
  let sum = 0;
  let n = 0;
  const take = (): void => {
    const kb = readRssKb(pid);
    if (kb === undefined) return;
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
      return { peakKb: peak, meanKb: n === 0 ? 0 : Math.round(sum / n), samples: n };
    },
  };
}
