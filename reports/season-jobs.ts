// Season analyses as cancellable jobs with progress, results cached per range. A long range over
// the 83-station network takes a while on the embedded store: the API starts a job and polls.
//
// Lifecycle: one SeasonJobs per app; `start` returns at once (the same job for a range already
// running or cached); `get` polls; `cancel` aborts between entities. Cached results stay until
// `maxCached` newer ranges push them out (oldest first) or `clear()`.

import { HeatError } from '../domain/errors';
import { analyseSeason, checkRange, type SeasonDeps } from './season-analysis';
import type { SeasonReport } from './season-model';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface SeasonJob {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  state: JobState;
  /** 0..1 */
  progress: number;
  error?: string;
  result?: SeasonReport;
  readonly done: Promise<void>;
}

export interface SeasonJobView {
  readonly jobId: string;
  readonly from: number;
  readonly to: number;
  readonly state: JobState;
  readonly progress: number;
  readonly error?: string;
}

export class SeasonJobs {
  private readonly jobs = new Map<string, SeasonJob & { abort: AbortController }>();
  private seq = 0;

  constructor(
    private readonly deps: SeasonDeps,
    private readonly maxCached = 8,
  ) {}

  private key(from: number, to: number): string {
    return `${from}-${to}`;
  }

  /** Starts (or finds) the analysis of [from, to). BAD_REQUEST on a bad range. */
  start(from: number, to: number): SeasonJob {
    checkRange(from, to);
    for (const j of this.jobs.values()) if (j.from === from && j.to === to && (j.state === 'running' || j.state === 'done')) return j;
    this.seq += 1;
    const id = `season-${this.key(from, to)}-${this.seq}`;
    const abort = new AbortController();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const job: SeasonJob & { abort: AbortController } = { id, from, to, state: 'running', progress: 0, done, abort };
    this.jobs.set(id, job);
    void analyseSeason(this.deps, from, to, { signal: abort.signal, onProgress: (d, t) => (job.progress = t > 0 ? d / t : 1) })
      .then((r) => {
        if (job.state !== 'running') return;
        job.result = r;
        job.state = 'done';
        job.progress = 1;
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) job.state = 'cancelled';
        else {
          job.state = 'failed';
          job.error = e instanceof Error ? e.message : String(e);
        }
      })
      .finally(() => {
        this.evict();
        resolveDone();
      });
    return job;
  }

  /** The finished report of [from, to): cached, or computed now (awaiting the job). */
  async report(from: number, to: number): Promise<SeasonReport> {
    const job = this.start(from, to);
    await job.done;
    if (job.state === 'done' && job.result) return job.result;
    throw new HeatError(job.state === 'cancelled' ? 'CONFLICT' : 'INTERNAL', job.error ?? `the analysis was ${job.state}`);
  }

  get(id: string): SeasonJob | undefined {
    return this.jobs.get(id);
  }

  view(j: SeasonJob): SeasonJobView {
    return { jobId: j.id, from: j.from, to: j.to, state: j.state, progress: Math.round(j.progress * 1000) / 1000, error: j.error };
  }

  /** Cancels a running job; false when there is none with that id. */
  cancel(id: string): boolean {
    const j = this.jobs.get(id);
    if (!j) return false;
    if (j.state === 'running') {
      j.abort.abort();
      j.state = 'cancelled';
    }
    return true;
  }

  clear(): void {
    for (const j of this.jobs.values()) if (j.state === 'running') j.abort.abort();
    this.jobs.clear();
  }

  private evict(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    // Cancelled and failed jobs go first, then the oldest results beyond the cache size.
    for (const j of finished) if (j.state !== 'done' && finished.length > this.maxCached) this.jobs.delete(j.id);
    const dones = [...this.jobs.values()].filter((j) => j.state === 'done');
    for (const j of dones.slice(0, Math.max(0, dones.length - this.maxCached))) this.jobs.delete(j.id);
  }
}
