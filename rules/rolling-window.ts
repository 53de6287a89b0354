// A time-based rolling window over one numeric signal with O(1) amortised work per sample:
// running sums give count/mean/stddev/slope, monotonic queues give min/max. Samples must come
// in event-time order (the engine's watermark guarantees it).
//
// Long windows (a 72 h make-up-flow baseline at a 10 s scan) would hold tens of thousands of
// samples per station, so they merge samples into cells of `cellMs`: memory is bounded by
// span / cellMs, and the window edge is exact to one cell. Short windows keep every sample.

import { RingDeque } from './ring-deque';

const HOUR_MS = 3_600_000;

interface Cell {
  readonly key: number;
  tFirst: number;
  tLast: number;
  n: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
  first: number;
  last: number;
  /** Sums over sample times in hours since the window's base, for the least-squares slope. */
  sT: number;
  sTT: number;
  sTY: number;
}

export interface RollingWindowOptions {
  readonly spanMs: number;
  /** 0 keeps every sample as its own cell. */
  readonly cellMs?: number;
  /** Hard cap on cells; the oldest are dropped beyond it and counted in `overflow`. */
  readonly maxCells?: number;
  /** Keep min/max (monotonic queues); off when no rule asks for min, max or range. */
  readonly extremes?: boolean;
}

export class RollingWindow {
  readonly spanMs: number;
  readonly cellMs: number;
  private readonly maxCells: number;
  private readonly extremes: boolean;
  private readonly cells = new RingDeque<Cell>(32);
  private readonly minQ = new RingDeque<Cell>(16);
  private readonly maxQ = new RingDeque<Cell>(16);
  /** The newest cell; it joins the min/max queues once closed (a cell's extremes change while open). */
  private open: Cell | undefined;
  private seq = 0;
  private baseMs = 0;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private sT = 0;
  private sTT = 0;
  private sTY = 0;
  /** Cells dropped because the cap was reached before they left the span. */
  overflow = 0;

  constructor(opts: RollingWindowOptions) {
    this.spanMs = opts.spanMs;
    this.cellMs = opts.cellMs ?? 0;
    this.maxCells = opts.maxCells ?? 4096;
    this.extremes = opts.extremes ?? true;
  }

  push(t: number, v: number): void {
    this.evict(t);
    if (this.cells.size === 0) this.baseMs = t;
    else if (t - this.baseMs > 4 * this.spanMs + HOUR_MS) this.rebase();
    const th = (t - this.baseMs) / HOUR_MS;
    const key = this.cellMs > 0 ? Math.floor(t / this.cellMs) : this.seq++;
    let c = this.open;
    if (c === undefined || c.key !== key) {
      if (c !== undefined && this.extremes) this.close(c);
      c = { key, tFirst: t, tLast: t, n: 0, sum: 0, sumSq: 0, min: v, max: v, first: v, last: v, sT: 0, sTT: 0, sTY: 0 };
      this.cells.pushBack(c);
      this.open = c;
      if (this.cells.size > this.maxCells) {
        this.dropFront();
        this.overflow++;
      }
    }
    c.tLast = t;
    c.n++;
    c.sum += v;
    c.sumSq += v * v;
    if (v < c.min) c.min = v;
    if (v > c.max) c.max = v;
    c.last = v;
    c.sT += th;
    c.sTT += th * th;
    c.sTY += th * v;
    this.n++;
    this.sum += v;
    this.sumSq += v * v;
    this.sT += th;
    this.sTT += th * th;
    this.sTY += th * v;
  }

  /** Forget cells whose newest sample is at or before `now − span`. */
  evict(now: number): void {
    const edge = now - this.spanMs;
    for (let c = this.cells.front(); c !== undefined && c.tLast <= edge; c = this.cells.front()) this.dropFront();
  }

  get count(): number {
    return this.n;
  }
  get mean(): number | undefined {
    return this.n === 0 ? undefined : this.sum / this.n;
  }
  get total(): number | undefined {
    return this.n === 0 ? undefined : this.sum;
  }
  get min(): number | undefined {
    const q = this.minQ.front()?.min;
    const o = this.open?.min;
    return q === undefined ? o : o === undefined ? q : Math.min(q, o);
  }
  get max(): number | undefined {
    const q = this.maxQ.front()?.max;
    const o = this.open?.max;
    return q === undefined ? o : o === undefined ? q : Math.max(q, o);
  }
  get first(): number | undefined {
    return this.cells.front()?.first;
  }
  get last(): number | undefined {
    return this.cells.back()?.last;
  }
  get stddev(): number | undefined {
    if (this.n === 0) return undefined;
    const m = this.sum / this.n;
    return Math.sqrt(Math.max(0, this.sumSq / this.n - m * m));
  }
  /** Least-squares slope in units per hour; undefined with fewer than two distinct times. */
  get slopePerHour(): number | undefined {
    if (this.n < 2) return undefined;
    const den = this.n * this.sTT - this.sT * this.sT;
    if (!(den > 1e-12 * this.n * this.n)) return undefined;
    return (this.n * this.sTY - this.sT * this.sum) / den;
  }
  /** Time between the oldest and the newest sample held, ms. */
  get coveredMs(): number {
    const f = this.cells.front();
    const b = this.cells.back();
    return f === undefined || b === undefined ? 0 : b.tLast - f.tFirst;
  }
  get newestTime(): number | undefined {
    return this.cells.back()?.tLast;
  }

  private close(c: Cell): void {
    for (let b = this.minQ.back(); b !== undefined && b.min >= c.min; b = this.minQ.back()) this.minQ.popBack();
    this.minQ.pushBack(c);
    for (let b = this.maxQ.back(); b !== undefined && b.max <= c.max; b = this.maxQ.back()) this.maxQ.popBack();
    this.maxQ.pushBack(c);
  }

  private dropFront(): void {
    const c = this.cells.popFront();
    if (c === undefined) return;
    if (this.minQ.front() === c) this.minQ.popFront();
    if (this.maxQ.front() === c) this.maxQ.popFront();
    if (this.open === c) this.open = undefined;
    this.n -= c.n;
    this.sum -= c.sum;
    this.sumSq -= c.sumSq;
    this.sT -= c.sT;
    this.sTT -= c.sTT;
    this.sTY -= c.sTY;
    if (this.cells.size === 0) this.resetTotals();
  }

  /** Move the time base next to the data (keeps the slope sums well-conditioned) and re-add sums. */
  private rebase(): void {
    const front = this.cells.front();
    if (front === undefined) return;
    const d = (front.tFirst - this.baseMs) / HOUR_MS;
    this.baseMs = front.tFirst;
    this.resetTotals();
    for (let i = 0; i < this.cells.size; i++) {
      const c = this.cells.at(i);
      if (c === undefined) continue;
      c.sTY -= d * c.sum;
      c.sTT += -2 * d * c.sT + c.n * d * d;
      c.sT -= c.n * d;
      this.n += c.n;
      this.sum += c.sum;
      this.sumSq += c.sumSq;
      this.sT += c.sT;
      this.sTT += c.sTT;
      this.sTY += c.sTY;
    }
  }

  private resetTotals(): void {
    this.n = 0;
    this.sum = 0;
    this.sumSq = 0;
    this.sT = 0;
    this.sTT = 0;
    this.sTY = 0;
  }
}
