// The flush loop between the write buffer and the store (Telegraf's running_output + buffer).
//
// Lifecycle: construct, start() once (arms the flush timer), submit() any number of times,
// drain() to write out everything buffered, stop() once. Only the ingester submits in production;
// it passes a DeliveryTicket per MQTT message and acknowledges the message in ticket.done().
//
// A flush starts when a full batch is buffered, when `flushAtInflight` messages wait for storage
// (the broker's in-flight window: waiting longer only stalls the broker), or every `flushMs`.
// A flush writes batches, one write at a time, until the buffer is empty or a partial batch was
// written (then what arrived meanwhile waits for the next trigger, unless a drain or a full window
// asks for everything).
// - success: the batch is removed, its tickets are completed, the batch is published on the bus;
// - retryable HeatError (canRetry): the batch goes back in front; retry after the strategy's delay;
// - other HeatError: the batch is bisected to find the metrics the store refuses; those are
//   rejected (counted, logged, reported through ticket.rejected), the rest is stored.
// Errors that are not HeatErrors break the store port's contract; they are treated as transient
// (retried), never as a reason to drop data.
//
// With a spill buffer (the bounded on-disk buffer, ingest/disk-buffer.ts), a batch refused with a
// retryable error is appended to disk instead, and its tickets complete once it is durable there
// (so the MQTT messages are acknowledged: "stored" in a Delivery means durably kept, in the store
// or on disk awaiting replay). While anything waits on disk, new batches are spilled behind it and
// the disk is replayed into the store, oldest first, whenever the retry delay allows: the store
// sees batches in arrival order. A full disk buffer (policy `block`) refuses the batch: it stays
// in memory, unacknowledged, and the ingester's backpressure takes over.

import type { Logger } from 'pino';
import { systemClock, type Clock } from '../domain/clock';
import { HeatError, isHeatError } from '../domain/errors';
import type { TelemetryBus } from '../domain/telemetry-bus';
import { countFieldValues, type Metric } from '../domain/telemetry';
import type { TelemetryStore } from '../store/telemetry-store';
import { countRejection, type IngestMetrics } from './ingest-metrics';
import type { SpillBuffer } from './disk-buffer';
import { exponentialRetry, type RetryStrategy } from './retry-strategy';
import { systemTimers, type Timers } from './timers';
import { WriteBuffer } from './write-buffer';

/** What became of the metrics submitted with one ticket (counts of metrics). */
export interface Delivery {
  readonly stored: number;
  readonly rejected: number;
  readonly dropped: number;
}

/** The caller's handle on one submission (one MQTT message). */
export interface DeliveryTicket {
  /** Called for each metric the store refused for good, before `done`. */
  rejected?(metric: Metric, error: HeatError): void;
  /** Called once, when every metric of the submission is stored, refused or dropped. */
  done(delivery: Delivery): void;
}

export interface IngestWriterOptions {
  readonly store: Pick<TelemetryStore, 'write'>;
  readonly logger: Logger;
  readonly metrics?: IngestMetrics;
  /** Stored batches are published here (live push, rules). */
  readonly bus?: TelemetryBus;
  /** HEAT_BATCH_SIZE: most metrics per store write. */
  readonly batchSize: number;
  /** HEAT_BUFFER_MAX: most metrics buffered. */
  readonly bufferMax: number;
  /** HEAT_FLUSH_MS. */
  readonly flushMs: number;
  /** Flush at once when this many tickets wait for storage; default: never for that reason. */
  readonly flushAtInflight?: number;
  readonly retry?: RetryStrategy;
  readonly timers?: Timers;
  /** Measures write latency. */
  readonly clock?: Clock;
  /** Where batches go while the store is unavailable; none = retried from memory only. */
  readonly spill?: SpillBuffer;
}

/** What started a flush; counted in heat_ingest_flushes_total. */
export type FlushReason = 'batch' | 'inflight' | 'interval' | 'retry' | 'drain' | 'replay';

interface TicketState {
  readonly ticket: DeliveryTicket;
  remaining: number;
  stored: number;
  rejected: number;
  dropped: number;
}

interface Entry {
  readonly metric: Metric;
  readonly state: TicketState | undefined;
}

export class IngestWriter {
  private readonly buffer: WriteBuffer<Entry>;
  private readonly timers: Timers;
  private readonly clock: Clock;
  private readonly retry: RetryStrategy;
  private readonly log: Logger;
  private flushAtInflight: number;
  private pendingTickets = 0;
  private writing = false;
  private started = false;
  private stopped = false;
  private attempt = 0;
  /** The spill buffer refused the last batch (full or a disk error): memory waits for a replay. */
  private spillFull = false;
  private flushTimer: unknown;
  private retryTimer: unknown;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: IngestWriterOptions) {
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
    if (!(opts.flushMs > 0)) throw new RangeError(`flushMs must be positive, got ${opts.flushMs}`);
    this.buffer = new WriteBuffer<Entry>(opts.bufferMax, (d) => this.onDropped(d));
    this.timers = opts.timers ?? systemTimers;
    this.clock = opts.clock ?? systemClock;
    this.retry = opts.retry ?? exponentialRetry();
    this.log = opts.logger;
    this.flushAtInflight = opts.flushAtInflight ?? Number.POSITIVE_INFINITY;
  }

  /** Arms the periodic flush. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.armFlushTimer();
    // A backlog left on disk by a previous run goes into the store first.
    if (this.opts.spill?.hasPending()) this.kick('replay');
  }

  /**
   * Buffers metrics for storage. With a ticket, `ticket.done` is called once all of them are
   * stored, refused or dropped (at once for an empty list). Never throws.
   */
  submit(metrics: readonly Metric[], ticket?: DeliveryTicket): void {
    let state: TicketState | undefined;
    if (ticket) {
      if (metrics.length === 0) {
        this.safeDone(ticket, { stored: 0, rejected: 0, dropped: 0 });
        return;
      }
      state = { ticket, remaining: metrics.length, stored: 0, rejected: 0, dropped: 0 };
      this.pendingTickets++;
    }
    const entries = new Array<Entry>(metrics.length);
    for (let i = 0; i < metrics.length; i++) entries[i] = { metric: metrics[i] as Metric, state };
    this.buffer.add(entries);
    this.updateDepth();
    if (this.buffer.length >= this.opts.batchSize) this.kick('batch');
    else if (this.pendingTickets >= this.flushAtInflight) this.kick('inflight');
  }

  /** Submissions whose ticket is not done yet. */
  get inflight(): number {
    return this.pendingTickets;
  }

  /** Metrics that can still be buffered without dropping any (buffered and outstanding count). */
  room(): number {
    const s = this.buffer.stats();
    return Math.max(0, s.capacity - s.length - s.outstanding);
  }

  /** The ingester sets this to the broker's in-flight window once it knows it. */
  setFlushAtInflight(n: number): void {
    this.flushAtInflight = n > 0 ? n : Number.POSITIVE_INFINITY;
    if (this.pendingTickets >= this.flushAtInflight) this.kick('inflight');
  }

  /** Starts a flush now (unless one is running or a retry is waiting). */
  flush(reason: FlushReason): void {
    this.kick(reason);
  }

  /**
   * Flushes until nothing is buffered or being written, or until `timeoutMs` passed (retries keep
   * their backoff meanwhile). Resolves true when everything submitted was stored or refused.
   */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    this.kick('drain');
    return new Promise((resolve) => {
      let settled = false;
      const timer = this.timers.set(() => {
        if (settled) return;
        settled = true;
        this.idleWaiters = this.idleWaiters.filter((w) => w !== onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = (): void => {
        if (settled) return;
        settled = true;
        this.timers.clear(timer);
        resolve(true);
      };
      this.idleWaiters.push(onIdle);
    });
  }

  /**
   * Stops the timers; nothing is written after a write in progress ends. Returns how many metrics
   * were left unwritten (logged; their messages are not acknowledged, so the broker redelivers).
   */
  stop(): number {
    this.stopped = true;
    if (this.flushTimer !== undefined) this.timers.clear(this.flushTimer);
    if (this.retryTimer !== undefined) this.timers.clear(this.retryTimer);
    this.flushTimer = this.retryTimer = undefined;
    const s = this.buffer.stats();
    const left = s.length + s.outstanding;
    if (left > 0) this.log.warn({ metrics: left, messages: this.pendingTickets }, 'ingest writer stopped with metrics not yet stored; their messages stay unacknowledged');
    return left;
  }

  private isIdle(): boolean {
    // A disk backlog does not count: everything in it is acknowledged and survives a restart.
    const s = this.buffer.stats();
    return s.length === 0 && s.outstanding === 0 && this.pendingTickets === 0;
  }

  private wakeIfIdle(): void {
    if (this.idleWaiters.length > 0 && this.isIdle()) this.wakeIdle();
  }

  /** Whether batches go to disk now (a backlog waits there, and the buffer takes more). */
  private spilling(): boolean {
    return this.opts.spill?.hasPending() === true && !this.spillFull;
  }

  private armFlushTimer(): void {
    if (this.stopped) return;
    this.flushTimer = this.timers.set(() => {
      this.flushTimer = undefined;
      if (this.buffer.length > 0 || this.opts.spill?.hasPending()) this.kick('interval');
      this.armFlushTimer();
    }, this.opts.flushMs);
  }

  private kick(reason: FlushReason): void {
    if (this.writing || this.stopped) return;
    // While the store is down, a retry waits; only spilling to disk may go on meanwhile.
    if (this.retryTimer !== undefined && !(this.spilling() && this.buffer.length > 0)) return;
    this.opts.metrics?.flushes.inc({ reason });
    void this.flushLoop();
  }

  /** Someone waits for the buffer to empty (drain), or the broker's window is full. */
  private mustContinue(): boolean {
    return this.idleWaiters.length > 0 || this.pendingTickets >= this.flushAtInflight;
  }

  private async flushLoop(): Promise<void> {
    this.writing = true;
    let wrotePartial = false;
    try {
      while (!this.stopped) {
        const spill = this.opts.spill;
        if (spill?.hasPending()) {
          // A backlog on disk: new batches go behind it, so that the store sees arrival order.
          if (this.buffer.length > 0 && !this.spillFull) {
            const spilled = await this.spillBatch(this.buffer.batch(this.opts.batchSize));
            this.wakeIfIdle();
            if (spilled) continue;
          }
          if (this.retryTimer !== undefined || this.stopped) return;
          if (!(await this.replayChunk(spill))) return;
          continue;
        }
        if (this.buffer.length === 0) break;
        // After a partial batch, what arrived meanwhile waits for the next trigger (timer, full
        // batch, window, drain): writing each trickle at once made tiny batches back to back, and
        // a store transaction costs about the same for 40 metrics as for 4000 (bench/README.md).
        if (wrotePartial && !this.mustContinue()) break;
        const batch = this.buffer.batch(this.opts.batchSize);
        this.updateDepth();
        if (!(await this.writeBatch(batch))) return;
        wrotePartial = batch.length < this.opts.batchSize;
        this.wakeIfIdle();
      }
    } catch (e) {
      // Only a bug gets here (writeBatch handles store errors); keep the loop alive.
      this.log.error({ err: e }, 'ingest writer flush loop failed');
    } finally {
      this.writing = false;
      this.updateDepth();
      if (this.isIdle()) this.wakeIdle();
    }
  }

  /** Appends a batch to the spill buffer; false (batch back in memory) when it was refused. */
  private async spillBatch(batch: Entry[]): Promise<boolean> {
    const spill = this.opts.spill as SpillBuffer;
    const first = !spill.hasPending();
    let r: 'spilled' | 'full';
    try {
      r = await spill.append(batch.map((e) => e.metric));
    } catch (e) {
      this.log.error({ err: e, metrics: batch.length }, 'disk buffer append failed; the batch stays in memory, unacknowledged');
      r = 'full';
    }
    if (r === 'full') {
      this.spillFull = true;
      this.buffer.reject(batch);
      this.updateDepth();
      return false;
    }
    if (first) this.log.warn({ metrics: batch.length }, 'store unavailable: batches go to the on-disk buffer until it is back');
    this.buffer.accept(batch);
    for (const e of batch) {
      if (e.state) {
        e.state.stored++;
        this.settle(e.state);
      }
    }
    this.updateDepth();
    return true;
  }

  /** Writes the oldest chunk of the disk backlog; false when a retry was scheduled. */
  private async replayChunk(spill: SpillBuffer): Promise<boolean> {
    let chunk;
    try {
      chunk = await spill.peek(this.opts.batchSize);
    } catch (e) {
      this.log.error({ err: e }, 'disk buffer read failed; retrying');
      this.scheduleRetry(new HeatError('STORE_UNAVAILABLE', `disk buffer read failed: ${e instanceof Error ? e.message : String(e)}`), 0);
      return false;
    }
    if (!chunk) {
      this.spillFull = false;
      return true;
    }
    const err = await this.tryWriteMetrics(chunk.metrics);
    if (err?.canRetry()) {
      this.scheduleRetry(err, chunk.metrics.length);
      return false;
    }
    if (err) {
      if (!(await this.isolateReplay(chunk.metrics, err))) return false;
    } else {
      this.onReplayed(chunk.metrics);
    }
    await spill.commit(chunk);
    this.attempt = 0;
    this.spillFull = false;
    if (!spill.hasPending()) this.log.info('disk buffer replayed: the store has every spilled reading');
    return true;
  }

  /** Bisects a replayed chunk the store refused; false when a retryable error interrupted it (the chunk is replayed again). */
  private async isolateReplay(metrics: readonly Metric[], first: HeatError): Promise<boolean> {
    const refused: Array<{ metric: Metric; error: HeatError }> = [];
    const queue: Metric[][] = metrics.length > 1 ? halves([...metrics]) : [];
    if (metrics.length === 1) refused.push({ metric: metrics[0] as Metric, error: first });
    while (queue.length > 0) {
      const part = queue.shift() as Metric[];
      const err = await this.tryWriteMetrics(part);
      if (!err) {
        this.onReplayed(part);
        continue;
      }
      if (err.canRetry()) {
        this.scheduleRetry(err, part.length);
        return false;
      }
      if (part.length === 1) refused.push({ metric: part[0] as Metric, error: err });
      else queue.unshift(...halves(part));
    }
    for (const r of refused) if (this.opts.metrics) countRejection(this.opts.metrics, 'store', r.error.code, Object.keys(r.metric.fields).length);
    if (refused.length > 0) {
      this.log.error(
        { metrics: refused.length, code: refused[0]?.error.code, detail: refused[0]?.error.detail },
        'store refused replayed metrics for good; they are rejected (their messages were acknowledged when spilled)',
      );
    }
    return true;
  }

  private onReplayed(metrics: readonly Metric[]): void {
    this.opts.metrics?.metricsStored.inc(metrics.length);
    this.opts.metrics?.fieldValuesStored.inc(countFieldValues(metrics));
    this.opts.bus?.publish(metrics);
  }

  /** Returns false when a retry was scheduled (the batch is back in the buffer). */
  private async writeBatch(batch: Entry[]): Promise<boolean> {
    const err = await this.tryWrite(batch);
    if (!err) {
      this.onStored(batch);
      this.attempt = 0;
      return true;
    }
    if (err.canRetry()) {
      this.scheduleRetry(err, batch.length);
      // With a disk buffer the batch is kept there (and acknowledged); the loop goes on spilling.
      if (this.opts.spill) return this.spillBatch(batch);
      this.buffer.reject(batch);
      return false;
    }
    return this.isolate(batch, err);
  }

  /** Bisects a batch the store refused to find the metrics it refuses; stores the rest. */
  private async isolate(batch: Entry[], first: HeatError): Promise<boolean> {
    const refused: Array<{ entry: Entry; error: HeatError }> = [];
    const queue: Entry[][] = batch.length > 1 ? halves(batch) : [];
    if (batch.length === 1) refused.push({ entry: batch[0] as Entry, error: first });
    let ok = true;
    while (queue.length > 0) {
      const part = queue.shift() as Entry[];
      const err = await this.tryWrite(part);
      if (!err) {
        this.onStored(part);
        continue;
      }
      if (err.canRetry()) {
        const rest = part.concat(...queue);
        this.buffer.reject(rest);
        this.scheduleRetry(err, rest.length);
        ok = false;
        break;
      }
      if (part.length === 1) refused.push({ entry: part[0] as Entry, error: err });
      else queue.unshift(...halves(part));
    }
    if (refused.length > 0) this.onRefused(refused);
    if (ok) this.attempt = 0;
    return ok;
  }

  private tryWrite(part: Entry[]): Promise<HeatError | undefined> {
    return this.tryWriteMetrics(part.map((e) => e.metric));
  }

  private async tryWriteMetrics(metrics: readonly Metric[]): Promise<HeatError | undefined> {
    const t0 = this.clock.now();
    try {
      await this.opts.store.write(metrics);
      this.opts.metrics?.writeDuration.observe((this.clock.now() - t0) / 1000);
      return undefined;
    } catch (e) {
      this.opts.metrics?.writeDuration.observe((this.clock.now() - t0) / 1000);
      const err = isHeatError(e)
        ? e
        : new HeatError('STORE_UNAVAILABLE', `store threw a non-HeatError: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      this.opts.metrics?.storeWriteErrors.inc({ retryable: String(err.canRetry()) });
      return err;
    }
  }

  private scheduleRetry(err: HeatError, metrics: number): void {
    this.attempt++;
    const delay = Math.max(0, this.retry.delayMs(this.attempt, err));
    this.log.warn({ code: err.code, detail: err.detail, attempt: this.attempt, delayMs: delay, metrics }, 'store write failed; retrying');
    this.retryTimer = this.timers.set(() => {
      this.retryTimer = undefined;
      this.kick('retry');
    }, delay);
  }

  private onStored(part: Entry[]): void {
    this.buffer.accept(part);
    const metrics = part.map((e) => e.metric);
    this.opts.metrics?.metricsStored.inc(metrics.length);
    this.opts.metrics?.fieldValuesStored.inc(countFieldValues(metrics));
    for (const e of part) {
      if (e.state) {
        e.state.stored++;
        this.settle(e.state);
      }
    }
    this.updateDepth();
    this.opts.bus?.publish(metrics);
  }

  private onRefused(refused: Array<{ entry: Entry; error: HeatError }>): void {
    this.buffer.accept(refused.map((r) => r.entry));
    for (const { entry, error } of refused) {
      if (this.opts.metrics) countRejection(this.opts.metrics, 'store', error.code, Object.keys(entry.metric.fields).length);
      if (entry.state) {
        try {
          entry.state.ticket.rejected?.(entry.metric, error);
        } catch (e) {
          this.log.error({ err: e }, 'ticket.rejected callback threw');
        }
        entry.state.rejected++;
        this.settle(entry.state);
      }
    }
    const firstRefused = refused[0];
    this.log.error(
      { metrics: refused.length, code: firstRefused?.error.code, detail: firstRefused?.error.detail },
      'store refused metrics for good; they are rejected and not retried',
    );
  }

  private onDropped(dropped: readonly Entry[]): void {
    this.opts.metrics?.bufferDropped.inc(dropped.length);
    for (const e of dropped) {
      if (e.state) {
        e.state.dropped++;
        this.settle(e.state);
      }
    }
    this.log.error({ metrics: dropped.length, capacity: this.opts.bufferMax }, 'write buffer full: dropped the oldest metrics');
  }

  private settle(s: TicketState): void {
    s.remaining--;
    if (s.remaining > 0) return;
    this.pendingTickets--;
    this.safeDone(s.ticket, { stored: s.stored, rejected: s.rejected, dropped: s.dropped });
  }

  private safeDone(ticket: DeliveryTicket, d: Delivery): void {
    try {
      ticket.done(d);
    } catch (e) {
      this.log.error({ err: e }, 'ticket.done callback threw');
    }
  }

  private updateDepth(): void {
    if (!this.opts.metrics) return;
    const s = this.buffer.stats();
    this.opts.metrics.bufferDepth.set(s.length + s.outstanding);
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function halves<T>(a: T[]): T[][] {
  const mid = Math.ceil(a.length / 2);
  return [a.slice(0, mid), a.slice(mid)];
}
