// A time-based rolling window over one numeric signal with O(1) amortised work per sample:
// running sums give count/mean/stddev/slope; min/max are kept per cell and cached for the window.
// Samples must come in event-time order (the engine's watermark guarantees it).
//
// Long windows (a 72 h make-up-flow baseline at a 10 s scan) would hold tens of thousands of
// samples per station, so they merge samples into cells of `cellMs`: memory is bounded by
// span / cellMs, and the window edge is exact to one cell. Short windows keep every sample.
//
// Memory: a city holds hundreds of thousands of windows, so cells live in one growable
// Float64Array ring per window (no object per cell), with only the columns the rules read
// (min/max, stddev, slope and first are optional).

const HOUR_MS = 3_600_000;

/** What a window must be able to answer beyond count/sum/mean/last/coverage. */
export interface WindowFeatures {
  /** min, max, range. */
  readonly extremes: boolean;
  readonly stddev: boolean;
  /** slope (least squares over sample times). */
  readonly slope: boolean;
  /** The oldest value held (delta). */
  readonly first: boolean;
}

export const ALL_FEATURES: WindowFeatures = { extremes: true, stddev: true, slope: true, first: true };

export interface RollingWindowOptions {
  readonly spanMs: number;
  /** 0 keeps every sample as its own cell. */
  readonly cellMs?: number;
  /** Hard cap on cells; the oldest are dropped beyond it and counted in `overflow`. */
  readonly maxCells?: number;
  /** Columns to keep; all by default. */
  readonly features?: Partial<WindowFeatures>;
}

// Column offsets within a cell; -1 = not kept.
const T_FIRST = 0;
const T_LAST = 1;
const N = 2;
const SUM = 3;

export class RollingWindow {
  readonly spanMs: number;
  readonly cellMs: number;
  private readonly maxCells: number;
  private readonly stride: number;
  private readonly oSumSq: number;
  private readonly oST: number;
  private readonly oMin: number;
  private readonly oFirst: number;
  private buf: Float64Array;
  /** Capacity in cells. */
  private cap: number;
  private head = 0;
  private len = 0;
  /** Key (cell number, or sample sequence) of the newest cell: the one still open. */
  private backKey = 0;
  private lastV = 0;
  private seq = 0;
  private baseMs = 0;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private sT = 0;
  private sTT = 0;
  private sTY = 0;
  /** Cached min/max over the cells held; recomputed after the cell holding one leaves. */
  private minV = 0;
  private maxV = 0;
  private extremesValid = false;
  /** Cells dropped because the cap was reached before they left the span. */
  overflow = 0;

  constructor(opts: RollingWindowOptions) {
    this.spanMs = opts.spanMs;
    this.cellMs = opts.cellMs ?? 0;
    this.maxCells = opts.maxCells ?? 4096;
    const f: WindowFeatures = { ...ALL_FEATURES, ...opts.features };
    let o = SUM + 1;
    const col = (on: boolean, width: number): number => {
      if (!on) return -1;
      o += width;
      return o - width;
    };
    this.oSumSq = col(f.stddev, 1);
    this.oST = col(f.slope, 3);
    this.oMin = col(f.extremes, 2);
    this.oFirst = col(f.first, 1);
    this.stride = o;
    // Cells a span can hold at most (one more while the newest opens), capped; grown on demand.
    const need = this.cellMs > 0 ? Math.ceil(this.spanMs / this.cellMs) + 2 : this.maxCells + 1;
    this.cap = Math.min(8, need, this.maxCells + 1);
    this.buf = new Float64Array(this.cap * this.stride);
  }

  push(t: number, v: number): void {
    this.evict(t);
    if (this.len === 0) this.baseMs = t;
    else if (t - this.baseMs > 4 * this.spanMs + HOUR_MS) this.rebase();
    const th = (t - this.baseMs) / HOUR_MS;
    const key = this.cellMs > 0 ? Math.floor(t / this.cellMs) : this.seq++;
    let c: number;
    if (this.len === 0 || this.backKey !== key) {
      c = this.openCell(key, t, v);
      if (this.len > this.maxCells) {
        this.dropFront();
        this.overflow++;
      }
    } else c = this.offset(this.len - 1);
    const buf = this.buf; // after openCell: it may have grown the ring
    buf[c + T_LAST] = t;
    (buf[c + N] as number)++;
    buf[c + SUM] = (buf[c + SUM] as number) + v;
    if (this.oSumSq >= 0) buf[c + this.oSumSq] = (buf[c + this.oSumSq] as number) + v * v;
    if (this.oMin >= 0) {
      if (v < (buf[c + this.oMin] as number)) buf[c + this.oMin] = v;
      if (v > (buf[c + this.oMin + 1] as number)) buf[c + this.oMin + 1] = v;
      if (this.extremesValid) {
        if (v < this.minV) this.minV = v;
        if (v > this.maxV) this.maxV = v;
      }
    }
    if (this.oST >= 0) {
      const s = c + this.oST;
      buf[s] = (buf[s] as number) + th;
      buf[s + 1] = (buf[s + 1] as number) + th * th;
      buf[s + 2] = (buf[s + 2] as number) + th * v;
    }
    this.lastV = v;
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
    while (this.len > 0 && (this.buf[this.offset(0) + T_LAST] as number) <= edge) this.dropFront();
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
    if (this.len === 0) return undefined;
    this.needs(this.oMin, 'min/max');
    if (!this.extremesValid) this.rescanExtremes();
    return this.minV;
  }
  get max(): number | undefined {
    if (this.len === 0) return undefined;
    this.needs(this.oMin, 'min/max');
    if (!this.extremesValid) this.rescanExtremes();
    return this.maxV;
  }
  get first(): number | undefined {
    if (this.len === 0) return undefined;
    this.needs(this.oFirst, 'first');
    return this.buf[this.offset(0) + this.oFirst];
  }
  get last(): number | undefined {
    return this.len === 0 ? undefined : this.lastV;
  }
  get stddev(): number | undefined {
    if (this.n === 0) return undefined;
    this.needs(this.oSumSq, 'stddev');
    const m = this.sum / this.n;
    return Math.sqrt(Math.max(0, this.sumSq / this.n - m * m));
  }
  /** Least-squares slope in units per hour; undefined with fewer than two distinct times. */
  get slopePerHour(): number | undefined {
    if (this.n < 2) return undefined;
    this.needs(this.oST, 'slope');
    const den = this.n * this.sTT - this.sT * this.sT;
    if (!(den > 1e-12 * this.n * this.n)) return undefined;
    return (this.n * this.sTY - this.sT * this.sum) / den;
  }
  /** Time between the oldest and the newest sample held, ms. */
  get coveredMs(): number {
    if (this.len === 0) return 0;
    return (this.buf[this.offset(this.len - 1) + T_LAST] as number) - (this.buf[this.offset(0) + T_FIRST] as number);
  }
  get newestTime(): number | undefined {
    return this.len === 0 ? undefined : this.buf[this.offset(this.len - 1) + T_LAST];
  }

  /** A read of a column the plan left out is a bug in the plan, not a value to guess. */
  private needs(col: number, what: string): void {
    if (col < 0) throw new Error(`rolling window: ${what} read but not planned`);
  }

  private offset(i: number): number {
    return ((this.head + i) % this.cap) * this.stride;
  }

  /** Appends an empty cell for `key` whose first sample is (t, v); returns its offset. */
  private openCell(key: number, t: number, v: number): number {
    if (this.len === this.cap) this.grow();
    const c = this.offset(this.len);
    const buf = this.buf;
    buf.fill(0, c, c + this.stride);
    buf[c + T_FIRST] = t;
    buf[c + T_LAST] = t;
    if (this.oMin >= 0) {
      buf[c + this.oMin] = v;
      buf[c + this.oMin + 1] = v;
    }
    if (this.oFirst >= 0) buf[c + this.oFirst] = v;
    this.len++;
    this.backKey = key;
    return c;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const next = new Float64Array(cap * this.stride);
    for (let i = 0; i < this.len; i++) {
      const c = this.offset(i);
      next.set(this.buf.subarray(c, c + this.stride), i * this.stride);
    }
    this.buf = next;
    this.cap = cap;
    this.head = 0;
  }

  private dropFront(): void {
    if (this.len === 0) return;
    const c = this.offset(0);
    const buf = this.buf;
    if (this.oMin >= 0 && this.extremesValid && ((buf[c + this.oMin] as number) <= this.minV || (buf[c + this.oMin + 1] as number) >= this.maxV)) this.extremesValid = false;
    this.head = (this.head + 1) % this.cap;
    this.len--;
    this.n -= buf[c + N] as number;
    this.sum -= buf[c + SUM] as number;
    if (this.oSumSq >= 0) this.sumSq -= buf[c + this.oSumSq] as number;
    if (this.oST >= 0) {
      this.sT -= buf[c + this.oST] as number;
      this.sTT -= buf[c + this.oST + 1] as number;
      this.sTY -= buf[c + this.oST + 2] as number;
    }
    if (this.len === 0) this.resetTotals();
  }

  private rescanExtremes(): void {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.len; i++) {
      const c = this.offset(i) + this.oMin;
      const a = this.buf[c] as number;
      const b = this.buf[c + 1] as number;
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
    this.minV = lo;
    this.maxV = hi;
    this.extremesValid = true;
  }

  /** Move the time base next to the data (keeps the slope sums well-conditioned) and re-add sums. */
  private rebase(): void {
    if (this.len === 0) return;
    const buf = this.buf;
    const front = buf[this.offset(0) + T_FIRST] as number;
    const d = (front - this.baseMs) / HOUR_MS;
    this.baseMs = front;
    this.resetTotals();
    for (let i = 0; i < this.len; i++) {
      const c = this.offset(i);
      const cn = buf[c + N] as number;
      const cs = buf[c + SUM] as number;
      if (this.oST >= 0) {
        const s = c + this.oST;
        const sT = buf[s] as number;
        buf[s + 2] = (buf[s + 2] as number) - d * cs;
        buf[s + 1] = (buf[s + 1] as number) + (-2 * d * sT + cn * d * d);
        buf[s] = sT - cn * d;
        this.sT += buf[s] as number;
        this.sTT += buf[s + 1] as number;
        this.sTY += buf[s + 2] as number;
      }
      this.n += cn;
      this.sum += cs;
      if (this.oSumSq >= 0) this.sumSq += buf[c + this.oSumSq] as number;
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
