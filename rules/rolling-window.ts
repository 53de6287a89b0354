// A time-based rolling window over one numeric signal with O(1) amortised work per sample:
// running sums give count/mean/stddev/slope; min/max are kept per cell and cached for the window.
// Samples must come in event-time order (the engine's watermark guarantees it).
//
// Long windows (a 72 h make-up-flow baseline at a 10 s scan) would hold tens of thousands of
// samples per station, so they merge samples into cells of `cellMs`: memory is bounded by
// span / cellMs, and the window edge is exact to one cell. Short windows keep every sample.
//
// Memory: a city holds a quarter of a million windows, so a window is an array of doubles (its
// running totals) and a ring of cells (no object per cell or boxed number per total) with only the
// columns the rules read (min/max, stddev, slope, first and coverage are optional), and a layout
// shared by every window of the same shape. The most common shape — a mean over merged cells
// shorter than 4.6 h — keeps its cells in single precision (12 bytes a cell, not 24), in a fixed
// ring sized to the span: times as whole milliseconds from the window's time base (exact below
// 2^24 ms; the base moves up before that), counts exactly, and cell sums rounded to float32 once
// the cell is closed. The running totals stay double and add exactly what a cell will subtract
// when it leaves (the open cell's exact sum is kept beside them), so nothing drifts; a mean
// differs from an all-double one by the rounding of its closed cells' sums (≈ 1e-7 relative).

import { doubles } from './series-slots';

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

// Header slots (the window's state, doubles); the optional ones only when a column needs them
// (a mean window's header is 9 or 10 doubles, not 17: a city holds 230 k windows).
const H_HEAD = 0;
const H_LEN = 1;
const H_CAP = 2;
/** Key (cell number, or sample sequence) of the newest cell: the one still open. */
const H_BACK_KEY = 3;
const H_LAST_V = 4;
const H_N = 5;
const H_SUM = 6;
const H_OVERFLOW = 7;
/** Time base of the slope sums and of single-precision cell times; moved up by rebase. */
const H_BASE = 8;
const BASE_HEADER = 9;

// Column offsets within a cell; optional ones are -1 when not kept.
const T_LAST = 0;
const N = 1;
const SUM = 2;

/** Cell times in single precision are whole ms from the base, exact below this. */
const F32_TIME_LIMIT = 2 ** 24;

/** How a window of some options keeps its state (opaque outside this file; one per distinct shape, shared). */
export interface WindowLayout {
  readonly spanMs: number;
}

interface Layout extends WindowLayout {
  readonly cellMs: number;
  readonly maxCells: number;
  /** Header length, doubles. */
  readonly header: number;
  /** Header slots of the optional totals: sum of squares; slope sums (Σt, Σt², Σty); cached min, max, valid flag; the open cell's exact sum (single-precision cells). */
  readonly hSumSq: number;
  readonly hSlope: number;
  readonly hExt: number;
  readonly hOpen: number;
  readonly stride: number;
  /** Oldest sample time of a cell: its own column when cells merge samples (if coverage is kept), else the sample's time. */
  readonly oTFirst: number;
  readonly oSumSq: number;
  readonly oST: number;
  readonly oMin: number;
  readonly oFirst: number;
  /**
   * Cells a span can hold at most, capped: a push first evicts every cell whose newest sample is
   * at or before t − span, so the cells left have keys above (t − span)/cellMs − 1, the newest
   * is t/cellMs: fewer than span/cellMs + 2 of them.
   */
  readonly maxCap: number;
  /** Cells in single precision, in a fixed ring of `maxCap`. */
  readonly f32: boolean;
  /** Rebase when a sample is this far past the base. */
  readonly rebaseAfterMs: number;
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
  const maxCap = Math.min(cellMs > 0 ? Math.ceil(spanMs / cellMs) + 1 : maxCells + 1, maxCells + 1);
  // Means over merged cells whose times fit single precision: every other column is read back as
  // a value (min, max, first) or cancels badly (sums of squares, slope sums), so stays double.
  const f32 = cellMs > 0 && !f.extremes && !f.stddev && !f.slope && !f.first && !f.coverage && spanMs + 2 * cellMs < F32_TIME_LIMIT;
  let h = BASE_HEADER;
  const slot = (on: boolean, width: number): number => {
    if (!on) return -1;
    h += width;
    return h - width;
  };
  const hSumSq = slot(f.stddev, 1);
  const hSlope = slot(f.slope, 3);
  const hExt = slot(f.extremes, 3);
  const hOpen = slot(f32, 1);
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
  // Single precision: held times stay within [0, 2^24] ms of the base (a rebase puts it at the front, less than a span back).
  const rebaseAfterMs = f32 ? F32_TIME_LIMIT : 4 * spanMs + HOUR_MS;
  l = { spanMs, cellMs, maxCells, header: h, hSumSq, hSlope, hExt, hOpen, stride: o, oTFirst, oSumSq, oST, oMin, oFirst, maxCap, f32, rebaseAfterMs };
  layouts.set(key, l);
  return l;
}

/** The layout of windows of these options (see `RollingWindow.start` / `attach`). */
export function windowLayout(opts: RollingWindowOptions): WindowLayout {
  return layoutOf(opts);
}

/** Floats a window of these options keeps in a shared single-precision array; 0 when it keeps its own doubles. */
export function cellFloats(opts: RollingWindowOptions): number {
  const l = layoutOf(opts);
  return l.f32 ? l.maxCap * l.stride : 0;
}

/** Doubles of a window's header (running totals and ring state). */
export function headerDoubles(opts: RollingWindowOptions): number {
  return layoutOf(opts).header;
}

/** A new window starts with room for this many cells and doubles as it fills (double-precision cells). */
const INITIAL_CELLS = 2;

/**
 * A window is its state (a header slice and cells) plus this object to read and push it. An owner
 * of many windows (an entity's state) need not keep an object per window: it keeps the state and
 * points one object at a window when it is read or pushed (`attach`): ≈ 12 MB less for a city's
 * 184 k windows (64 bytes an object).
 */
export class RollingWindow {
  private l: Layout;
  /** Header (running totals and ring state): `header` doubles from `h0`, in an array shared by many windows or its own. */
  private h: Float64Array;
  private h0: number;
  /** Cells: `cap` cells of `stride` in a ring from `c0`; single precision in a shared array, or the window's own doubles. */
  private c: Float32Array | number[];
  private c0: number;

  /** A window of its own; without options, an object to `attach` to windows kept elsewhere. */
  constructor(opts?: RollingWindowOptions) {
    if (opts === undefined) {
      this.l = layoutOf({ spanMs: 1 });
      this.h = new Float64Array(this.l.header);
      this.h0 = 0;
      this.c = [];
      this.c0 = 0;
      return;
    }
    // State of its own; an owner of many windows keeps theirs in shared arrays and attaches (entity-state.ts).
    const l = (this.l = layoutOf(opts));
    this.h = new Float64Array(l.header);
    this.h0 = 0;
    this.c = RollingWindow.start(l, this.h, 0) ?? new Float32Array(l.maxCap * l.stride);
    this.c0 = 0;
  }

  /**
   * Starts an empty window of `layout` in the header slice from `h0` (zeros): returns the cells a
   * double-precision window keeps as its own array, undefined for single precision (its cells are
   * a slice of a shared array, `cellFloats` long).
   */
  static start(layout: WindowLayout, h: Float64Array, h0: number): number[] | undefined {
    const l = layout as Layout;
    if (l.f32) {
      h[h0 + H_CAP] = l.maxCap;
      return undefined;
    }
    const cap = Math.min(INITIAL_CELLS, l.maxCap);
    h[h0 + H_CAP] = cap;
    return doubles(cap * l.stride, 0);
  }

  /** Cells dropped at the cap by the window whose header starts at `h0` (read without attaching). */
  static overflowOf(h: Float64Array, h0: number): number {
    return h[h0 + H_OVERFLOW] as number;
  }

  /** Whether a window was started in this header slice (its header was all zeros before). */
  static started(h: Float64Array, h0: number): boolean {
    return (h[h0 + H_CAP] as number) > 0;
  }

  /** Points this object at a started window: reads and pushes go to that window's state until the next attach. */
  attach(layout: WindowLayout, h: Float64Array, h0: number, c: Float32Array | number[], c0: number): this {
    this.l = layout as Layout;
    this.h = h;
    this.h0 = h0;
    this.c = c;
    this.c0 = c0;
    return this;
  }

  /** The cells array: a double-precision window's own array is replaced as it grows, so its owner takes it back after a push. */
  get cells(): Float32Array | number[] {
    return this.c;
  }

  get spanMs(): number {
    return this.l.spanMs;
  }
  get cellMs(): number {
    return this.l.cellMs;
  }
  /** Cells dropped because the cap was reached before they left the span. */
  get overflow(): number {
    return RollingWindow.overflowOf(this.h, this.h0);
  }

  push(t: number, v: number): void {
    const l = this.l;
    this.evict(t);
    const h = this.h;
    const ho = this.h0;
    if (h[ho + H_LEN] === 0) h[ho + H_BASE] = t;
    else if (t - (h[ho + H_BASE] as number) > l.rebaseAfterMs) this.rebase();
    let c: number;
    // Cells that merge samples are keyed by cell number; otherwise every sample opens its own.
    const key = l.cellMs > 0 ? Math.floor(t / l.cellMs) : 0;
    if (h[ho + H_LEN] === 0 || l.cellMs === 0 || h[ho + H_BACK_KEY] !== key) {
      c = this.openCell(key, t, v);
      if ((h[ho + H_LEN] as number) > l.maxCells) {
        this.dropFront();
        h[ho + H_OVERFLOW] = (h[ho + H_OVERFLOW] as number) + 1;
      }
    } else c = this.offset((h[ho + H_LEN] as number) - 1);
    const b = this.c;
    b[c + T_LAST] = l.f32 ? t - (h[ho + H_BASE] as number) : t;
    b[c + N] = (b[c + N] as number) + 1;
    if (l.f32) h[ho + l.hOpen] = (h[ho + l.hOpen] as number) + v;
    else b[c + SUM] = (b[c + SUM] as number) + v;
    if (l.oSumSq >= 0) {
      b[c + l.oSumSq] = (b[c + l.oSumSq] as number) + v * v;
      h[ho + l.hSumSq] = (h[ho + l.hSumSq] as number) + v * v;
    }
    if (l.oMin >= 0) {
      if (v < (b[c + l.oMin] as number)) b[c + l.oMin] = v;
      if (v > (b[c + l.oMin + 1] as number)) b[c + l.oMin + 1] = v;
      const x = l.hExt;
      if (h[ho + x + 2] === 1) {
        if (v < (h[ho + x] as number)) h[ho + x] = v;
        if (v > (h[ho + x + 1] as number)) h[ho + x + 1] = v;
      }
    }
    if (l.oST >= 0) {
      const th = (t - (h[ho + H_BASE] as number)) / HOUR_MS;
      const s = c + l.oST;
      b[s] = (b[s] as number) + th;
      b[s + 1] = (b[s + 1] as number) + th * th;
      b[s + 2] = (b[s + 2] as number) + th * v;
      const x = l.hSlope;
      h[ho + x] = (h[ho + x] as number) + th;
      h[ho + x + 1] = (h[ho + x + 1] as number) + th * th;
      h[ho + x + 2] = (h[ho + x + 2] as number) + th * v;
    }
    h[ho + H_LAST_V] = v;
    h[ho + H_N] = (h[ho + H_N] as number) + 1;
    h[ho + H_SUM] = (h[ho + H_SUM] as number) + v;
  }

  /** Forget cells whose newest sample is at or before `now − span`. */
  evict(now: number): void {
    const edge = now - this.l.spanMs;
    const h = this.h;
    const ho = this.h0;
    while ((h[ho + H_LEN] as number) > 0 && this.time(this.offset(0) + T_LAST) <= edge) this.dropFront();
  }

  get count(): number {
    return this.h[this.h0 + H_N] as number;
  }
  get mean(): number | undefined {
    const h = this.h;
    const ho = this.h0;
    return h[ho + H_N] === 0 ? undefined : (h[ho + H_SUM] as number) / (h[ho + H_N] as number);
  }
  get total(): number | undefined {
    const h = this.h;
    const ho = this.h0;
    return h[ho + H_N] === 0 ? undefined : h[ho + H_SUM];
  }
  get min(): number | undefined {
    if (this.h[this.h0 + H_LEN] === 0) return undefined;
    this.needs(this.l.oMin, 'min/max');
    if (this.h[this.h0 + this.l.hExt + 2] !== 1) this.rescanExtremes();
    return this.h[this.h0 + this.l.hExt];
  }
  get max(): number | undefined {
    if (this.h[this.h0 + H_LEN] === 0) return undefined;
    this.needs(this.l.oMin, 'min/max');
    if (this.h[this.h0 + this.l.hExt + 2] !== 1) this.rescanExtremes();
    return this.h[this.h0 + this.l.hExt + 1];
  }
  get first(): number | undefined {
    if (this.h[this.h0 + H_LEN] === 0) return undefined;
    this.needs(this.l.oFirst, 'first');
    return this.c[this.offset(0) + this.l.oFirst];
  }
  get last(): number | undefined {
    const h = this.h;
    const ho = this.h0;
    return h[ho + H_LEN] === 0 ? undefined : h[ho + H_LAST_V];
  }
  get stddev(): number | undefined {
    const h = this.h;
    const ho = this.h0;
    const n = h[ho + H_N] as number;
    if (n === 0) return undefined;
    this.needs(this.l.oSumSq, 'stddev');
    const m = (h[ho + H_SUM] as number) / n;
    return Math.sqrt(Math.max(0, (h[ho + this.l.hSumSq] as number) / n - m * m));
  }
  /** Least-squares slope in units per hour; undefined with fewer than two distinct times. */
  get slopePerHour(): number | undefined {
    const h = this.h;
    const ho = this.h0;
    const n = h[ho + H_N] as number;
    if (n < 2) return undefined;
    this.needs(this.l.oST, 'slope');
    const x = this.l.hSlope;
    const sT = h[ho + x] as number;
    const den = n * (h[ho + x + 1] as number) - sT * sT;
    if (!(den > 1e-12 * n * n)) return undefined;
    return (n * (h[ho + x + 2] as number) - sT * (h[ho + H_SUM] as number)) / den;
  }
  /** Time between the oldest and the newest sample held, ms. */
  get coveredMs(): number {
    const len = this.h[this.h0 + H_LEN] as number;
    if (len === 0) return 0;
    this.needs(this.l.oTFirst, 'coverage');
    return this.time(this.offset(len - 1) + T_LAST) - this.time(this.offset(0) + this.l.oTFirst);
  }
  /** When the oldest cell leaves (reads stay the same until then or the next sample); +Infinity when empty. */
  get nextEvictionAt(): number {
    return this.h[this.h0 + H_LEN] === 0 ? Number.POSITIVE_INFINITY : this.time(this.offset(0) + T_LAST) + this.l.spanMs;
  }
  get newestTime(): number | undefined {
    const len = this.h[this.h0 + H_LEN] as number;
    return len === 0 ? undefined : this.time(this.offset(len - 1) + T_LAST);
  }

  /** A read of a column the plan left out is a bug in the plan, not a value to guess. */
  private needs(col: number, what: string): void {
    if (col < 0) throw new Error(`rolling window: ${what} read but not planned`);
  }

  /** A time column at index `i` of the cells, as epoch ms. */
  private time(i: number): number {
    const x = this.c[i] as number;
    return this.l.f32 ? x + (this.h[this.h0 + H_BASE] as number) : x;
  }

  /** Index of the i-th cell from the front. */
  private offset(i: number): number {
    const h = this.h;
    const ho = this.h0;
    return this.c0 + (((h[ho + H_HEAD] as number) + i) % (h[ho + H_CAP] as number)) * this.l.stride;
  }

  /** Appends an empty cell for `key` whose first sample is (t, v); returns its index. */
  private openCell(key: number, t: number, v: number): number {
    const l = this.l;
    const h = this.h;
    const ho = this.h0;
    if (l.f32 && (h[ho + H_LEN] as number) > 0) this.closeBack();
    if (h[ho + H_LEN] === h[ho + H_CAP]) {
      if (l.f32) {
        // A fixed ring holds a span's cells; full only under a cap below the span: the front drops.
        this.dropFront();
        h[ho + H_OVERFLOW] = (h[ho + H_OVERFLOW] as number) + 1;
      } else this.grow();
    }
    const b = this.c;
    const c = this.offset(h[ho + H_LEN] as number);
    for (let k = 0; k < l.stride; k++) b[c + k] = 0;
    if (l.oTFirst >= 0) b[c + l.oTFirst] = t;
    if (l.oMin >= 0) {
      b[c + l.oMin] = v;
      b[c + l.oMin + 1] = v;
    }
    if (l.oFirst >= 0) b[c + l.oFirst] = v;
    h[ho + H_LEN] = (h[ho + H_LEN] as number) + 1;
    h[ho + H_BACK_KEY] = key;
    return c;
  }

  /**
   * Single precision: the newest cell is done (a newer one opens). Its sum is stored rounded, and
   * the total takes the rounded sum instead of the exact one, so it later subtracts what it added.
   */
  private closeBack(): void {
    const h = this.h;
    const ho = this.h0;
    const c = this.offset((h[ho + H_LEN] as number) - 1);
    const exact = h[ho + this.l.hOpen] as number;
    this.c[c + SUM] = exact;
    h[ho + H_SUM] = (h[ho + H_SUM] as number) - exact + (this.c[c + SUM] as number);
    h[ho + this.l.hOpen] = 0;
  }

  /** Sum of the i-th cell: the open one's exact sum while it is open (single precision). */
  private cellSum(i: number, len: number): number {
    if (this.l.f32 && i === len - 1) return this.h[this.h0 + this.l.hOpen] as number;
    return this.c[this.offset(i) + SUM] as number;
  }

  private grow(): void {
    const l = this.l;
    const h = this.h;
    const ho = this.h0;
    const old = this.c;
    const len = h[ho + H_LEN] as number;
    const { stride } = l;
    const cap = Math.min(Math.max(1, (h[ho + H_CAP] as number) * 2), Math.max(l.maxCap, len + 1));
    const next = doubles(cap * stride, 0);
    for (let i = 0; i < len; i++) {
      const from = this.offset(i);
      for (let k = 0; k < stride; k++) next[i * stride + k] = old[from + k] as number;
    }
    this.c = next;
    h[ho + H_HEAD] = 0;
    h[ho + H_CAP] = cap;
  }

  private dropFront(): void {
    const l = this.l;
    const h = this.h;
    const ho = this.h0;
    const b = this.c;
    const len = h[ho + H_LEN] as number;
    if (len === 0) return;
    const c = this.offset(0);
    if (l.oMin >= 0) {
      const x = l.hExt;
      if (h[ho + x + 2] === 1 && ((b[c + l.oMin] as number) <= (h[ho + x] as number) || (b[c + l.oMin + 1] as number) >= (h[ho + x + 1] as number))) h[ho + x + 2] = 0;
    }
    h[ho + H_N] = (h[ho + H_N] as number) - (b[c + N] as number);
    h[ho + H_SUM] = (h[ho + H_SUM] as number) - this.cellSum(0, len);
    if (l.oSumSq >= 0) h[ho + l.hSumSq] = (h[ho + l.hSumSq] as number) - (b[c + l.oSumSq] as number);
    if (l.oST >= 0) {
      const x = l.hSlope;
      h[ho + x] = (h[ho + x] as number) - (b[c + l.oST] as number);
      h[ho + x + 1] = (h[ho + x + 1] as number) - (b[c + l.oST + 1] as number);
      h[ho + x + 2] = (h[ho + x + 2] as number) - (b[c + l.oST + 2] as number);
    }
    h[ho + H_HEAD] = ((h[ho + H_HEAD] as number) + 1) % (h[ho + H_CAP] as number);
    h[ho + H_LEN] = len - 1;
    if (len === 1) this.resetTotals();
  }

  private rescanExtremes(): void {
    const h = this.h;
    const ho = this.h0;
    const len = h[ho + H_LEN] as number;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < len; i++) {
      const c = this.offset(i) + this.l.oMin;
      const a = this.c[c] as number;
      const z = this.c[c + 1] as number;
      if (a < lo) lo = a;
      if (z > hi) hi = z;
    }
    const x = this.l.hExt;
    h[ho + x] = lo;
    h[ho + x + 1] = hi;
    h[ho + x + 2] = 1;
  }

  /** Move the time base next to the data (slope sums well-conditioned, single-precision times exact) and re-add sums. */
  private rebase(): void {
    const l = this.l;
    const h = this.h;
    const ho = this.h0;
    const b = this.c;
    const len = h[ho + H_LEN] as number;
    if (len === 0) return;
    // Any time near the data will do as the base: the front cell's oldest sample when kept.
    const front = this.time(this.offset(0) + (l.oTFirst >= 0 ? l.oTFirst : T_LAST));
    const d = (front - (h[ho + H_BASE] as number)) / HOUR_MS;
    const shift = front - (h[ho + H_BASE] as number);
    h[ho + H_BASE] = front;
    const open = l.f32 ? (h[ho + l.hOpen] as number) : 0;
    this.resetTotals();
    if (l.f32) h[ho + l.hOpen] = open;
    for (let i = 0; i < len; i++) {
      const c = this.offset(i);
      if (l.f32) b[c + T_LAST] = (b[c + T_LAST] as number) - shift;
      const cn = b[c + N] as number;
      const cs = this.cellSum(i, len);
      if (l.oST >= 0) {
        const s = c + l.oST;
        const x = l.hSlope;
        const sT = b[s] as number;
        b[s + 2] = (b[s + 2] as number) - d * cs;
        b[s + 1] = (b[s + 1] as number) + (-2 * d * sT + cn * d * d);
        b[s] = sT - cn * d;
        h[ho + x] = (h[ho + x] as number) + (b[s] as number);
        h[ho + x + 1] = (h[ho + x + 1] as number) + (b[s + 1] as number);
        h[ho + x + 2] = (h[ho + x + 2] as number) + (b[s + 2] as number);
      }
      h[ho + H_N] = (h[ho + H_N] as number) + cn;
      h[ho + H_SUM] = (h[ho + H_SUM] as number) + cs;
      if (l.oSumSq >= 0) h[ho + l.hSumSq] = (h[ho + l.hSumSq] as number) + (b[c + l.oSumSq] as number);
    }
  }

  private resetTotals(): void {
    const l = this.l;
    const h = this.h;
    const ho = this.h0;
    h[ho + H_N] = 0;
    h[ho + H_SUM] = 0;
    if (l.hSumSq >= 0) h[ho + l.hSumSq] = 0;
    if (l.hSlope >= 0) {
      h[ho + l.hSlope] = 0;
      h[ho + l.hSlope + 1] = 0;
      h[ho + l.hSlope + 2] = 0;
    }
    if (l.hOpen >= 0) h[ho + l.hOpen] = 0;
  }
}
