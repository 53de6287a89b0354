// A time-based rolling window over one numeric signal with O(1) amortised work per sample:
// running sums give count/mean/stddev/slope; min/max are kept per cell and cached for the window.
// Samples must come in event-time order (the engine's watermark guarantees it).
//
// Long windows (a 72 h make-up-flow baseline at a 10 s scan) would hold tens of thousands of
// samples per station, so they merge samples into cells of `cellMs`: memory is bounded by
// span / cellMs, and the window edge is exact to one cell. Short windows keep every sample.
//
// Memory: a city holds a quarter of a million windows, so a window is one array of doubles (its
// running totals, then a growable ring of cells, no object per cell or boxed number per total)
// with only the columns the rules read (min/max, stddev, slope, first and coverage are optional), and a
// layout shared by every window of the same shape.

const HOUR_MS = 3_600_000;

/** What a window must be able to answer beyond count/sum/mean/last. */
export interface WindowFeatures {
  /** min, max, range. */
  readonly extremes: boolean;
  readonly stddev: boolean;
  /** slope (least squares over sample times). */
  readonly slope: boolean;
  /** The oldest value held (delta). */
  readonly first: boolean;
  /** coveredMs (a read's `minSpan`): the oldest sample time of each cell, when cells merge samples. */
  readonly coverage: boolean;
}

export const ALL_FEATURES: WindowFeatures = { extremes: true, stddev: true, slope: true, first: true, coverage: true };

export interface RollingWindowOptions {
  readonly spanMs: number;
  /** 0 keeps every sample as its own cell. */
  readonly cellMs?: number;
  /** Hard cap on cells; the oldest are dropped beyond it and counted in `overflow`. */
  readonly maxCells?: number;
  /** Columns to keep; all by default. */
  readonly features?: Partial<WindowFeatures>;
}

// Header slots (the window's state) at the start of its array; the optional ones only when a
// column needs them (a mean-only window's header is 9 doubles, not 17: a city holds 230 k windows).
const H_HEAD = 0;
const H_LEN = 1;
const H_CAP = 2;
/** Key (cell number, or sample sequence) of the newest cell: the one still open. */
const H_BACK_KEY = 3;
const H_LAST_V = 4;
const H_N = 5;
const H_SUM = 6;
const H_OVERFLOW = 7;
/** Time base of the slope sums; also when the totals are re-added from the cells (rebase). */
const H_BASE = 8;
const BASE_HEADER = 9;

// Column offsets within a cell; optional ones are -1 when not kept.
const T_LAST = 0;
const N = 1;
const SUM = 2;

interface Layout {
  readonly spanMs: number;
  readonly cellMs: number;
  readonly maxCells: number;
  /** Header length, doubles. */
  readonly header: number;
  /** Header slots of the optional totals: sum of squares; slope sums (Σt, Σt², Σty); cached min, max, valid flag. */
  readonly hSumSq: number;
  readonly hSlope: number;
  readonly hExt: number;
  readonly stride: number;
  /** Oldest sample time of a cell: its own column when cells merge samples (if coverage is kept), else the sample's time. */
  readonly oTFirst: number;
  readonly oSumSq: number;
  readonly oST: number;
  readonly oMin: number;
  readonly oFirst: number;
  /** Cells a span can hold at most (one more while the newest opens), capped. */
  readonly maxCap: number;
}

const layouts = new Map<string, Layout>();

function layoutOf(opts: RollingWindowOptions): Layout {
  const spanMs = opts.spanMs;
  const cellMs = opts.cellMs ?? 0;
  const maxCells = opts.maxCells ?? 4096;
  const f: WindowFeatures = { ...ALL_FEATURES, ...opts.features };
  const key = `${spanMs}|${cellMs}|${maxCells}|${f.extremes}|${f.stddev}|${f.slope}|${f.first}|${f.coverage}`;
  let l = layouts.get(key);
  if (l !== undefined) return l;
  let h = BASE_HEADER;
  const slot = (on: boolean, width: number): number => {
    if (!on) return -1;
    h += width;
    return h - width;
  };
  const hSumSq = slot(f.stddev, 1);
  const hSlope = slot(f.slope, 3);
  const hExt = slot(f.extremes, 3);
  let o = SUM + 1;
  const col = (on: boolean, width: number): number => {
    if (!on) return -1;
    o += width;
    return o - width;
  };
  const oTFirst = cellMs > 0 ? col(f.coverage, 1) : T_LAST;
  const oSumSq = col(f.stddev, 1);
  const oST = col(f.slope, 3);
  const oMin = col(f.extremes, 2);
  const oFirst = col(f.first, 1);
  const maxCap = Math.min(cellMs > 0 ? Math.ceil(spanMs / cellMs) + 2 : maxCells + 1, maxCells + 1);
  l = { spanMs, cellMs, maxCells, header: h, hSumSq, hSlope, hExt, stride: o, oTFirst, oSumSq, oST, oMin, oFirst, maxCap };
  layouts.set(key, l);
  return l;
}

/** A new window starts with room for this many cells and doubles as it fills. */
const INITIAL_CELLS = 2;

export class RollingWindow {
  private readonly l: Layout;
  /** Header, then `cap` cells of `stride` doubles in a ring. */
  private buf: number[];

  constructor(opts: RollingWindowOptions) {
    this.l = layoutOf(opts);
    this.buf = RollingWindow.alloc(this.l, Math.min(INITIAL_CELLS, this.l.maxCap));
  }

  get spanMs(): number {
    return this.l.spanMs;
  }
  get cellMs(): number {
    return this.l.cellMs;
  }
  /** Cells dropped because the cap was reached before they left the span. */
  get overflow(): number {
    return this.buf[H_OVERFLOW] as number;
  }

  push(t: number, v: number): void {
    const l = this.l;
    this.evict(t);
    let b = this.buf;
    if (b[H_LEN] === 0) b[H_BASE] = t;
    else if (t - (b[H_BASE] as number) > 4 * l.spanMs + HOUR_MS) this.rebase();
    let c: number;
    // Cells that merge samples are keyed by cell number; otherwise every sample opens its own.
    const key = l.cellMs > 0 ? Math.floor(t / l.cellMs) : 0;
    if (b[H_LEN] === 0 || l.cellMs === 0 || b[H_BACK_KEY] !== key) {
      c = this.openCell(key, t, v);
      b = this.buf; // openCell may have grown the array
      if ((b[H_LEN] as number) > l.maxCells) {
        this.dropFront();
        b[H_OVERFLOW] = (b[H_OVERFLOW] as number) + 1;
      }
    } else c = this.offset(b, (b[H_LEN] as number) - 1);
    b[c + T_LAST] = t;
    b[c + N] = (b[c + N] as number) + 1;
    b[c + SUM] = (b[c + SUM] as number) + v;
    if (l.oSumSq >= 0) {
      b[c + l.oSumSq] = (b[c + l.oSumSq] as number) + v * v;
      b[l.hSumSq] = (b[l.hSumSq] as number) + v * v;
    }
    if (l.oMin >= 0) {
      if (v < (b[c + l.oMin] as number)) b[c + l.oMin] = v;
      if (v > (b[c + l.oMin + 1] as number)) b[c + l.oMin + 1] = v;
      const h = l.hExt;
      if (b[h + 2] === 1) {
        if (v < (b[h] as number)) b[h] = v;
        if (v > (b[h + 1] as number)) b[h + 1] = v;
      }
    }
    if (l.oST >= 0) {
      const th = (t - (b[H_BASE] as number)) / HOUR_MS;
      const s = c + l.oST;
      b[s] = (b[s] as number) + th;
      b[s + 1] = (b[s + 1] as number) + th * th;
      b[s + 2] = (b[s + 2] as number) + th * v;
      const h = l.hSlope;
      b[h] = (b[h] as number) + th;
      b[h + 1] = (b[h + 1] as number) + th * th;
      b[h + 2] = (b[h + 2] as number) + th * v;
    }
    b[H_LAST_V] = v;
    b[H_N] = (b[H_N] as number) + 1;
    b[H_SUM] = (b[H_SUM] as number) + v;
  }

  /** Forget cells whose newest sample is at or before `now − span`. */
  evict(now: number): void {
    const edge = now - this.l.spanMs;
    const b = this.buf;
    while ((b[H_LEN] as number) > 0 && (b[this.offset(b, 0) + T_LAST] as number) <= edge) this.dropFront();
  }

  get count(): number {
    return this.buf[H_N] as number;
  }
  get mean(): number | undefined {
    const b = this.buf;
    return b[H_N] === 0 ? undefined : (b[H_SUM] as number) / (b[H_N] as number);
  }
  get total(): number | undefined {
    const b = this.buf;
    return b[H_N] === 0 ? undefined : b[H_SUM];
  }
  get min(): number | undefined {
    if (this.buf[H_LEN] === 0) return undefined;
    this.needs(this.l.oMin, 'min/max');
    if (this.buf[this.l.hExt + 2] !== 1) this.rescanExtremes();
    return this.buf[this.l.hExt];
  }
  get max(): number | undefined {
    if (this.buf[H_LEN] === 0) return undefined;
    this.needs(this.l.oMin, 'min/max');
    if (this.buf[this.l.hExt + 2] !== 1) this.rescanExtremes();
    return this.buf[this.l.hExt + 1];
  }
  get first(): number | undefined {
    const b = this.buf;
    if (b[H_LEN] === 0) return undefined;
    this.needs(this.l.oFirst, 'first');
    return b[this.offset(b, 0) + this.l.oFirst];
  }
  get last(): number | undefined {
    const b = this.buf;
    return b[H_LEN] === 0 ? undefined : b[H_LAST_V];
  }
  get stddev(): number | undefined {
    const b = this.buf;
    const n = b[H_N] as number;
    if (n === 0) return undefined;
    this.needs(this.l.oSumSq, 'stddev');
    const m = (b[H_SUM] as number) / n;
    return Math.sqrt(Math.max(0, (b[this.l.hSumSq] as number) / n - m * m));
  }
  /** Least-squares slope in units per hour; undefined with fewer than two distinct times. */
  get slopePerHour(): number | undefined {
    const b = this.buf;
    const n = b[H_N] as number;
    if (n < 2) return undefined;
    this.needs(this.l.oST, 'slope');
    const h = this.l.hSlope;
    const sT = b[h] as number;
    const den = n * (b[h + 1] as number) - sT * sT;
    if (!(den > 1e-12 * n * n)) return undefined;
    return (n * (b[h + 2] as number) - sT * (b[H_SUM] as number)) / den;
  }
  /** Time between the oldest and the newest sample held, ms. */
  get coveredMs(): number {
    const b = this.buf;
    const len = b[H_LEN] as number;
    if (len === 0) return 0;
    this.needs(this.l.oTFirst, 'coverage');
    return (b[this.offset(b, len - 1) + T_LAST] as number) - (b[this.offset(b, 0) + this.l.oTFirst] as number);
  }
  /** When the oldest cell leaves (reads stay the same until then or the next sample); +Infinity when empty. */
  get nextEvictionAt(): number {
    const b = this.buf;
    return b[H_LEN] === 0 ? Number.POSITIVE_INFINITY : (b[this.offset(b, 0) + T_LAST] as number) + this.l.spanMs;
  }
  get newestTime(): number | undefined {
    const b = this.buf;
    const len = b[H_LEN] as number;
    return len === 0 ? undefined : b[this.offset(b, len - 1) + T_LAST];
  }

  /** A header and `cap` empty cells, as an array of doubles (filled with a double, never a small integer). */
  private static alloc(l: Layout, cap: number): number[] {
    const b = new Array<number>(l.header + cap * l.stride).fill(0.5);
    b.fill(0);
    b[H_CAP] = cap;
    return b;
  }

  /** A read of a column the plan left out is a bug in the plan, not a value to guess. */
  private needs(col: number, what: string): void {
    if (col < 0) throw new Error(`rolling window: ${what} read but not planned`);
  }

  /** Offset of the i-th cell from the front. */
  private offset(b: number[], i: number): number {
    return this.l.header + (((b[H_HEAD] as number) + i) % (b[H_CAP] as number)) * this.l.stride;
  }

  /** Appends an empty cell for `key` whose first sample is (t, v); returns its offset. */
  private openCell(key: number, t: number, v: number): number {
    const l = this.l;
    if (this.buf[H_LEN] === this.buf[H_CAP]) this.grow();
    const b = this.buf;
    const c = this.offset(b, b[H_LEN] as number);
    for (let k = 0; k < l.stride; k++) b[c + k] = 0;
    if (l.oTFirst >= 0) b[c + l.oTFirst] = t;
    b[c + T_LAST] = t;
    if (l.oMin >= 0) {
      b[c + l.oMin] = v;
      b[c + l.oMin + 1] = v;
    }
    if (l.oFirst >= 0) b[c + l.oFirst] = v;
    b[H_LEN] = (b[H_LEN] as number) + 1;
    b[H_BACK_KEY] = key;
    return c;
  }

  private grow(): void {
    const l = this.l;
    const old = this.buf;
    const { stride, header } = l;
    const len = old[H_LEN] as number;
    const cap = Math.min(Math.max(1, (old[H_CAP] as number) * 2), Math.max(l.maxCap, len + 1));
    const next = RollingWindow.alloc(l, cap);
    for (let h = 0; h < header; h++) next[h] = old[h] as number;
    next[H_HEAD] = 0;
    next[H_CAP] = cap;
    for (let i = 0; i < len; i++) {
      const from = this.offset(old, i);
      for (let k = 0; k < stride; k++) next[header + i * stride + k] = old[from + k] as number;
    }
    this.buf = next;
  }

  private dropFront(): void {
    const l = this.l;
    const b = this.buf;
    const len = b[H_LEN] as number;
    if (len === 0) return;
    const c = this.offset(b, 0);
    if (l.oMin >= 0) {
      const h = l.hExt;
      if (b[h + 2] === 1 && ((b[c + l.oMin] as number) <= (b[h] as number) || (b[c + l.oMin + 1] as number) >= (b[h + 1] as number))) b[h + 2] = 0;
    }
    b[H_HEAD] = ((b[H_HEAD] as number) + 1) % (b[H_CAP] as number);
    b[H_LEN] = len - 1;
    b[H_N] = (b[H_N] as number) - (b[c + N] as number);
    b[H_SUM] = (b[H_SUM] as number) - (b[c + SUM] as number);
    if (l.oSumSq >= 0) b[l.hSumSq] = (b[l.hSumSq] as number) - (b[c + l.oSumSq] as number);
    if (l.oST >= 0) {
      const h = l.hSlope;
      b[h] = (b[h] as number) - (b[c + l.oST] as number);
      b[h + 1] = (b[h + 1] as number) - (b[c + l.oST + 1] as number);
      b[h + 2] = (b[h + 2] as number) - (b[c + l.oST + 2] as number);
    }
    if (len === 1) this.resetTotals();
  }

  private rescanExtremes(): void {
    const b = this.buf;
    const len = b[H_LEN] as number;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < len; i++) {
      const c = this.offset(b, i) + this.l.oMin;
      const a = b[c] as number;
      const z = b[c + 1] as number;
      if (a < lo) lo = a;
      if (z > hi) hi = z;
    }
    const h = this.l.hExt;
    b[h] = lo;
    b[h + 1] = hi;
    b[h + 2] = 1;
  }

  /** Move the time base next to the data (keeps the slope sums well-conditioned) and re-add sums. */
  private rebase(): void {
    const l = this.l;
    const b = this.buf;
    const len = b[H_LEN] as number;
    if (len === 0) return;
    // Any time near the data will do as the base: the front cell's oldest sample when kept.
    const front = b[this.offset(b, 0) + (l.oTFirst >= 0 ? l.oTFirst : T_LAST)] as number;
    const d = (front - (b[H_BASE] as number)) / HOUR_MS;
    b[H_BASE] = front;
    this.resetTotals();
    for (let i = 0; i < len; i++) {
      const c = this.offset(b, i);
      const cn = b[c + N] as number;
      const cs = b[c + SUM] as number;
      if (l.oST >= 0) {
        const s = c + l.oST;
        const h = l.hSlope;
        const sT = b[s] as number;
        b[s + 2] = (b[s + 2] as number) - d * cs;
        b[s + 1] = (b[s + 1] as number) + (-2 * d * sT + cn * d * d);
        b[s] = sT - cn * d;
        b[h] = (b[h] as number) + (b[s] as number);
        b[h + 1] = (b[h + 1] as number) + (b[s + 1] as number);
        b[h + 2] = (b[h + 2] as number) + (b[s + 2] as number);
      }
      b[H_N] = (b[H_N] as number) + cn;
      b[H_SUM] = (b[H_SUM] as number) + cs;
      if (l.oSumSq >= 0) b[l.hSumSq] = (b[l.hSumSq] as number) + (b[c + l.oSumSq] as number);
    }
  }

  private resetTotals(): void {
    const l = this.l;
    const b = this.buf;
    b[H_N] = 0;
    b[H_SUM] = 0;
    if (l.hSumSq >= 0) b[l.hSumSq] = 0;
    if (l.hSlope >= 0) {
      b[l.hSlope] = 0;
      b[l.hSlope + 1] = 0;
      b[l.hSlope + 2] = 0;
    }
  }
}
