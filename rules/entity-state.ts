// Per-entity rolling state of the rules engine: newest raw values, rolling windows of the signals
// rules read, derived values of the current instant, trust marks and quality offenders.
// Memory is bounded: one state per network entity, windows bounded by their span (and a cap).

import type { CompoundView } from '../domain/network';
import type { Tracker } from './condition-tracker';
import type { Station } from '../domain/network-schema';
import type { FieldValue } from '../domain/telemetry';
import type { FlatCalibration } from './flat-calibration';
import type { IndoorResponse } from './indoor-response';
import { FloatSlab } from './float-slab';
import { cellFloats, headerDoubles, RollingWindow, windowLayout, type WindowFeatures, type WindowLayout } from './rolling-window';
import type { Relation } from './relations';
import type { Scope } from './scope';
import { FIELD_NAMES, SlotValues } from './series-slots';

/** A series a quality check found bad, with what it found (shown as evidence). */
export interface Offence {
  readonly series: string;
  readonly check: string;
  readonly since: number;
  readonly value: FieldValue | null;
  readonly detail: string;
}

/** Cells a window longer than 10 minutes is kept in: its edge is exact to one cell, 1/12 of the span. */
export const CELLS_PER_SPAN = 12;

/**
 * Window cells: windows up to 10 minutes keep every sample; longer ones merge samples into
 * `CELLS_PER_SPAN` cells, so memory per window is bounded whatever the scan rate. The edge moves in
 * steps of a cell (a 30-minute mean holds the last 27.5–30 minutes). It was 60 cells (exact to
 * 1/60): a 5,000-station city holds 17 k compounds × 9 windows and 5 k stations × 15, and with
 * the windows full those cells were most of the engine's ≈ 500 MB; no rule's threshold or
 * duration is fine enough to tell the difference (backtest: the same alerts, two a minute later).
 */
export function windowCellMs(spanMs: number): number {
  return spanMs <= 10 * 60_000 ? 0 : Math.ceil(spanMs / CELLS_PER_SPAN);
}

/** One window the rules read of a signal: its span, cell size and the columns it keeps. */
export interface WindowSpec {
  readonly spanMs: number;
  readonly cellMs: number;
  readonly features: WindowFeatures;
}

/** A scope's window plan as slots: signal → its first slot and its windows; one per plan, shared. */
interface WindowIndex {
  readonly bySignal: ReadonlyMap<string, { readonly base: number; readonly specs: readonly WindowSpec[] }>;
  readonly slots: number;
  /** Per slot: the window's layout. */
  readonly layouts: readonly WindowLayout[];
  /** Per slot: where its single-precision cells start in the entity's cell region (add `cellsAt`; -1: the window keeps its own). */
  readonly cellAt: readonly number[];
  /** Per slot: where its header starts in the entity's header region (add `headersAt` for the slab index). */
  readonly headerAt: readonly number[];
  /** Where the scope's states get their cells and headers from (one region per state). */
  readonly cellSlab: FloatSlab<Float32Array>;
  readonly headerSlab: FloatSlab<Float64Array>;
}

const f32 = (n: number): Float32Array => new Float32Array(n);
const f64 = (n: number): Float64Array => new Float64Array(n);
const NO_WINDOWS: WindowIndex = { bySignal: new Map(), slots: 0, layouts: [], cellAt: [], headerAt: [], cellSlab: new FloatSlab(0, f32), headerSlab: new FloatSlab(0, f64) };
const indexes = new WeakMap<ReadonlyMap<string, readonly WindowSpec[]>, WindowIndex>();
const NO_DERIVED: ReadonlyMap<string, number> = new Map();
const NO_MARKS: ReadonlyMap<string, Set<string>> = new Map();
const NO_OFFENCES: ReadonlyMap<string, Map<string, Offence>> = new Map();
const NO_SENSORS: ReadonlyMap<string, number> = new Map();
/** The one object every state's windows are read and pushed through (see `window`). */
const CURSOR = new RollingWindow();
const derivedIndexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

function indexOf(plan: ReadonlyMap<string, readonly WindowSpec[]>): WindowIndex {
  let ix = indexes.get(plan);
  if (ix === undefined) {
    const bySignal = new Map<string, { base: number; specs: readonly WindowSpec[] }>();
    const layouts: WindowLayout[] = [];
    const cellAt: number[] = [];
    const headerAt: number[] = [];
    let slots = 0;
    let floats = 0;
    let doubles = 0;
    for (const [signal, specs] of plan) {
      bySignal.set(signal, { base: slots, specs });
      slots += specs.length;
      for (const spec of specs) {
        layouts.push(windowLayout(spec));
        const n = cellFloats(spec);
        cellAt.push(n > 0 ? floats : -1);
        floats += n;
        headerAt.push(doubles);
        doubles += headerDoubles(spec);
      }
    }
    indexes.set(plan, (ix = { bySignal, slots, layouts, cellAt, headerAt, cellSlab: new FloatSlab(floats, f32), headerSlab: new FloatSlab(doubles, f64) }));
  }
  return ix;
}

export class EntityState {
  readonly key: string;
  /**
   * Bumped whenever what a windowed read of this entity returns can change other than by time:
   * a sample entering a window, a trust mark set or removed. Readers across many relatives keep
   * values while it stands (compile-condition.ts).
   */
  version = 0;
  /** Event time of the newest sample of any field; -Infinity before the first. */
  lastSeen = Number.NEGATIVE_INFINITY;
  /** Newest value per series slot (series-slots.ts): the kind's fields, then its indoor sensors. */
  readonly latest: SlotValues;
  /** Indoor sensor ids seen → their series slot (after the fields'). */
  get sensors(): ReadonlyMap<string, number> {
    return this.sensorSlots ?? NO_SENSORS;
  }
  /** Both made at the first sensor: most entities never have one (an empty map and array each are ≈ 6 MB for a city). */
  private sensorSlots: Map<string, number> | undefined;
  /** Series key of each sensor slot (`t_indoor|<sensor>`, built once), from the first sensor slot on. */
  private sensorKeys: string[] | undefined;
  /** Derived signals computed at the last evaluation instant, by their slot in the scope's plan. */
  derived = new SlotValues(0);
  /** The scope's derived signals → slot (shared by all states of the scope). */
  private derivedIndex = NO_DERIVED;
  /** Series key ('*', field or `field|sensor`) → ids of the rules that distrust it now. */
  get untrusted(): ReadonlyMap<string, Set<string>> {
    return this.marks ?? NO_MARKS;
  }
  /** Quality rule id → series it currently finds bad. */
  get offences(): ReadonlyMap<string, Map<string, Offence>> {
    return this.found ?? NO_OFFENCES;
  }
  /** Both made at their first entry: most entities never have one (two empty maps each are ≈ 8 MB for a city). */
  private marks: Map<string, Set<string>> | undefined;
  private found: Map<string, Map<string, Offence>> | undefined;

  /** The series a quality rule finds bad on this entity, to add to. */
  offencesOf(ruleId: string): Map<string, Offence> {
    const all = (this.found ??= new Map());
    let m = all.get(ruleId);
    if (m === undefined) all.set(ruleId, (m = new Map()));
    return m;
  }
  /** Learned indoor response (compounds with indoor sensors, when prediction rules are loaded). */
  response: IndoorResponse | undefined;
  /** Instant the response was last fed (one observation per instant). */
  responseFedAt = Number.NEGATIVE_INFINITY;
  /** Heat-meter estimate of the indoor temperature (first-order room model), and when it was stepped. */
  indoorEstimate: { t: number; c: number; since: number } | undefined;
  /** Flat-position factors of the compound's indoor sensors (rules/flat-calibration.ts). */
  flats: FlatCalibration | undefined;
  /** Newest prediction of this compound's indoor temperature. */
  prediction: { at: number; minC: number; lowC: number; hours: number | undefined; fitSource: 'fit' | 'calibrated'; r2: number } | undefined;
  /** Condition state per rule (by the engine's rule index); a slot exists once the rule's condition held. */
  readonly trackers: (Tracker | undefined)[] = [];
  /** Related entities, linked once after every state exists (entity-graph.ts). */
  readonly linked: Partial<Record<Relation, readonly EntityState[]>> = {};
  /** The windows of this entity's scope (shared by all states of the scope). */
  private windowIndex = NO_WINDOWS;
  /** Cells of the double-precision windows, each its own array (by slot; made at the first such window). */
  private ownCells: (number[] | undefined)[] | undefined;
  /**
   * Single-precision cells of all this entity's windows that keep them: a region from `cellsAt` of
   * a chunk the scope's states share (float-slab.ts); made at the first such window.
   */
  private cells: Float32Array | undefined;
  private cellsAt = 0;
  /** Headers of all this entity's windows, likewise a region from `headersAt` (made at the first sample). A window starts at its signal's first sample. */
  private headers: Float64Array | undefined;
  private headersAt = 0;

  constructor(
    readonly kind: Scope,
    readonly id: string,
    /** The station itself, or a compound's station. */
    readonly station: Station | undefined,
    /** The compound itself. */
    readonly compound: CompoundView | undefined,
  ) {
    this.key = `${kind}/${id}`;
    this.latest = new SlotValues(FIELD_NAMES[kind].length);
  }

  /** The derived signals computed for this scope, in the order the engine computes them (the plan's list, shared). */
  planDerived(names: readonly string[]): void {
    let ix = derivedIndexes.get(names);
    if (ix === undefined) derivedIndexes.set(names, (ix = new Map(names.map((n, i) => [n, i]))));
    this.derivedIndex = ix;
    this.derived = new SlotValues(names.length);
  }

  /** Slot of a derived signal the plan computes, undefined otherwise. */
  derivedSlot(signal: string): number | undefined {
    return this.derivedIndex.get(signal);
  }

  /** The windows the rules read, per signal (the scope's plan, shared); windows start at the first sample. */
  planWindows(plan: ReadonlyMap<string, readonly WindowSpec[]>): void {
    this.windowIndex = indexOf(plan);
  }

  /** The series slot of an indoor sensor, remembering the sensor. */
  sensorSlot(sensor: string): number {
    let slot = this.sensorSlots?.get(sensor);
    if (slot === undefined) {
      const keys = (this.sensorKeys ??= []);
      slot = FIELD_NAMES[this.kind].length + keys.length;
      (this.sensorSlots ??= new Map()).set(sensor, slot);
      keys.push(`t_indoor|${sensor}`);
    }
    return slot;
  }

  /** The series key of a slot: the field's name, or `t_indoor|<sensor>` (what trust marks and offences are keyed by). */
  seriesKey(slot: number): string {
    const fields = FIELD_NAMES[this.kind];
    return slot < fields.length ? (fields[slot] as string) : (this.sensorKeys?.[slot - fields.length] as string);
  }

  /** Record the newest value of a series. */
  setLatest(slot: number, v: FieldValue, t: number): void {
    this.latest.set(slot, v, t);
  }

  hasWindows(signal: string): boolean {
    return this.windowIndex.bySignal.has(signal);
  }

  /**
   * Undefined until the signal's first sample (an empty window reads as unknown all the same).
   * The window is read through one object shared by every state (no object per window): it is
   * valid until the next `window` or `pushWindows` call on any state.
   */
  window(signal: string, spanMs: number): RollingWindow | undefined {
    const h = this.headers;
    if (h === undefined) return undefined;
    const ix = this.windowIndex;
    const at = ix.bySignal.get(signal);
    if (at === undefined) return undefined;
    for (let k = 0; k < at.specs.length; k++) {
      if ((at.specs[k] as WindowSpec).spanMs !== spanMs) continue;
      const slot = at.base + k;
      return RollingWindow.started(h, this.headersAt + (ix.headerAt[slot] as number)) ? this.attach(slot) : undefined;
    }
    return undefined;
  }

  pushWindows(signal: string, t: number, v: number): void {
    this.version++;
    const ix = this.windowIndex;
    const at = ix.bySignal.get(signal);
    if (at === undefined) return;
    if (this.headers === undefined) {
      this.headersAt = ix.headerSlab.take();
      this.headers = ix.headerSlab.array;
    }
    const h = this.headers;
    for (let k = 0; k < at.specs.length; k++) {
      const slot = at.base + k;
      const h0 = this.headersAt + (ix.headerAt[slot] as number);
      if (!RollingWindow.started(h, h0)) {
        const own = RollingWindow.start(ix.layouts[slot] as WindowLayout, h, h0);
        if (own !== undefined) (this.ownCells ??= new Array<number[] | undefined>(ix.slots).fill(undefined))[slot] = own;
        else if (this.cells === undefined) {
          this.cellsAt = ix.cellSlab.take();
          this.cells = ix.cellSlab.array;
        }
      }
      const w = this.attach(slot);
      w.push(t, v);
      // A double-precision window's cells move to a larger array as it grows.
      if (this.ownCells?.[slot] !== undefined) this.ownCells[slot] = w.cells as number[];
    }
  }

  /** The shared window object pointed at a started window of this state. */
  private attach(slot: number): RollingWindow {
    const ix = this.windowIndex;
    const c0 = ix.cellAt[slot] as number;
    const own = c0 < 0 ? this.ownCells?.[slot] : undefined;
    return CURSOR.attach(ix.layouts[slot] as WindowLayout, this.headers as Float64Array, this.headersAt + (ix.headerAt[slot] as number), own ?? (this.cells as Float32Array), c0 < 0 ? 0 : this.cellsAt + c0);
  }

  /** Samples dropped at window caps, summed (reported in engine stats). */
  windowOverflow(): number {
    const h = this.headers;
    if (h === undefined) return 0;
    let n = 0;
    // Read from the headers: a metrics scrape must not move the shared window under an evaluation.
    for (let slot = 0; slot < this.windowIndex.slots; slot++) n += RollingWindow.overflowOf(h, this.headersAt + (this.windowIndex.headerAt[slot] as number));
    return n;
  }

  /**
   * The rule being evaluated, when it distrusts data itself: its own marks are ignored while it
   * judges, or it could never see its condition end.
   */
  ignoring: string | undefined;

  /** Whether a series (a field, or `field|sensor`) may be used: not distrusted itself, by field, or as a whole ('*'). */
  isTrusted(series: string): boolean {
    if (this.untrusted.size === 0) return true;
    if (this.distrusts('*') || this.distrusts(series)) return false;
    const bar = series.indexOf('|');
    return bar < 0 || !this.distrusts(series.slice(0, bar));
  }

  /** Like isTrusted, but only marks on exactly this series (or the whole entity) count. */
  isExactlyTrusted(series: string): boolean {
    return this.untrusted.size === 0 || (!this.distrusts('*') && !this.distrusts(series));
  }

  private distrusts(series: string): boolean {
    const s = this.untrusted.get(series);
    if (s === undefined) return false;
    return this.ignoring === undefined || s.size > 1 || !s.has(this.ignoring);
  }

  mark(series: string, ruleId: string): void {
    this.version++;
    const marks = (this.marks ??= new Map());
    const s = marks.get(series);
    if (s === undefined) marks.set(series, new Set([ruleId]));
    else s.add(ruleId);
  }

  unmark(series: string, ruleId: string): void {
    const s = this.untrusted.get(series);
    if (s === undefined) return;
    this.version++;
    s.delete(ruleId);
    if (s.size === 0) this.marks?.delete(series);
  }

  unmarkRule(ruleId: string): void {
    for (const series of [...this.untrusted.keys()]) this.unmark(series, ruleId);
    this.found?.delete(ruleId);
  }
}
