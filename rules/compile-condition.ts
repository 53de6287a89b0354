// Compiles rule conditions once, when rules load, into closures: signal readers, thresholds
// (constant, piecewise-linear in the outdoor temperature, or relative to another signal),
// operators from the table, and three-valued all/any (a missing or distrusted input is
// "unknown": it neither fires an alert nor releases one).

import type { FieldValue } from '../domain/telemetry';
import { ACROSS, type Across, type Agg } from './aggregators';
import type { EntityState } from './entity-state';
import { num, type EvalView, type SignalHandle } from './eval-view';
import { signalDef } from './signals';
import { HYSTERESIS_SIGN, OPERATORS, type Operand, type Operator } from './operators';
import { RELATIONS, relationTarget, type Relation, type RelationDef } from './relations';
import type { Condition, Leaf, SignalRef, Threshold } from './rule-schema';
import type { Scope } from './scope';

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
export type Tri = typeof FALSE | typeof TRUE | typeof UNKNOWN;

export interface EvidenceItem {
  readonly signal: string;
  readonly of: Relation;
  readonly agg: Agg;
  readonly windowMs: number;
  readonly across?: Across;
  readonly op?: Operator;
  readonly threshold?: Operand | null;
  readonly value: FieldValue | null;
  readonly result?: 'true' | 'false' | 'unknown';
  /** What a quality check found, in words. */
  readonly detail?: string;
}

export type Reader = (view: EvalView, e: EntityState) => FieldValue | undefined;
export type CondFn = (view: EvalView, e: EntityState, hold: boolean, evidence: EvidenceItem[] | undefined) => Tri;

/** A window or derived signal some rule reads, so the engine keeps it. */
export interface SignalUse {
  readonly scope: Scope;
  readonly signal: string;
  readonly windowMs: number;
  readonly agg: Agg;
  /** The least coverage a read asks of the window (`minSpan`); 0 or absent: none. */
  readonly minSpanMs?: number;
}

export interface CompileSink {
  use(u: SignalUse): void;
  /** Readers across relatives already compiled for this rule, by reference: one read serves all. */
  readonly shared?: Map<string, Reader>;
}

export function compileRef(ref: SignalRef, scope: Scope, sink: CompileSink): Reader {
  const rel: RelationDef = RELATIONS[ref.of];
  const windowMs = ref.window ?? 0;
  const minSpan = ref.minSpan ?? 0;
  const { agg, signal, of } = ref;
  const target = relationTarget(of, scope);
  const def = signalDef(target, signal);
  if (def === undefined) throw new Error(`unknown signal ${signal} for ${target} (rules are validated before compiling)`);
  const h: SignalHandle = { name: signal, def, agg };
  sink.use({ scope: target, signal, windowMs, agg, minSpanMs: minSpan });
  if (!rel.multi) {
    if (of === 'self') return (view, e) => view.read(e, h, windowMs, minSpan);
    return (view, e) => {
      const r = view.relative(e, of);
      return r === undefined ? undefined : view.read(r, h, windowMs, minSpan);
    };
  }
  const combine = ACROSS[ref.across ?? 'median'];
  const key = `${of}|${signal}|${agg}|${windowMs}|${minSpan}|${ref.across ?? 'median'}`;
  const shared = sink.shared?.get(key);
  if (shared !== undefined) return shared;
  const scratch: number[] = [];
  // Across relatives (800 peers on a city's primary network) this is the costly read, and a rule
  // often reads it twice (above and below a band): the value is kept for the judgement it was read in.
  let memoE: EntityState | undefined;
  let memoEpoch = -1;
  let memoV: FieldValue | undefined;
  // Windowed reads of each relative are kept per group list while the relative's version stands
  // and no cell leaves its window: a station reading then costs one read, not one per peer.
  const groups = windowMs > 0 ? new Map<readonly EntityState[], GroupCache>() : undefined;
  const reader: Reader = (view, e) => {
    if (memoE === e && memoEpoch === view.readEpoch) return memoV;
    scratch.length = 0;
    const list = view.relatives(e, of);
    if (groups === undefined || list.length < MIN_CACHED_GROUP) {
      for (const r of list) {
        if (r === e) continue; // peers and siblings share their group's list, the entity included
        const v = view.read(r, h, windowMs, minSpan);
        if (typeof v === 'number') scratch.push(v);
      }
    } else {
      let g = groups.get(list);
      if (g === undefined) groups.set(list, (g = newGroupCache(list.length)));
      const t = view.t;
      for (let i = 0; i < list.length; i++) {
        const r = list[i] as EntityState;
        if (r === e) continue;
        if (g.version[i] !== r.version || !(t < (g.until[i] as number)) || !(t >= (g.from[i] as number))) {
          const v = view.read(r, h, windowMs, minSpan);
          g.isNumber[i] = typeof v === 'number' ? 1 : 0;
          g.value[i] = typeof v === 'number' ? v : 0;
          g.version[i] = r.version;
          g.from[i] = t;
          g.until[i] = view.readValidUntil(r, h, windowMs);
        }
        if (g.isNumber[i] === 1) scratch.push(g.value[i] as number);
      }
    }
    memoV = combine(scratch);
    memoE = e;
    memoEpoch = view.readEpoch;
    return memoV;
  };
  sink.shared?.set(key, reader);
  return reader;
}

/** Smaller groups (a station's few compounds) are read directly: a cache would cost more than it saves. */
const MIN_CACHED_GROUP = 16;

/** Windowed reads of one group's members (by position in the shared list), with when they stay valid. */
interface GroupCache {
  readonly value: Float64Array;
  readonly isNumber: Uint8Array;
  readonly version: Float64Array;
  readonly from: Float64Array;
  readonly until: Float64Array;
}

function newGroupCache(n: number): GroupCache {
  return { value: new Float64Array(n), isNumber: new Uint8Array(n), version: new Float64Array(n).fill(-1), from: new Float64Array(n), until: new Float64Array(n) };
}

type ThresholdFn = (view: EvalView, e: EntityState) => Operand | undefined;

export function compileThreshold(v: Threshold, scope: Scope, sink: CompileSink): ThresholdFn {
  if (typeof v !== 'object' || Array.isArray(v)) {
    const c: Operand = v;
    return () => c;
  }
  if ('byOutdoor' in v) {
    const pts = [...v.byOutdoor].sort((a, b) => a[0] - b[0]);
    const outdoor = compileRef({ signal: 't_outdoor', of: scope === 'weather' ? 'self' : 'weather', agg: 'last' }, scope, sink);
    return (view, e) => {
      const to = num(outdoor(view, e));
      return to === undefined ? undefined : piecewise(pts, to);
    };
  }
  const read = compileRef(v.ref, scope, sink);
  const { times, plus } = v;
  return (view, e) => {
    const x = num(read(view, e));
    return x === undefined ? undefined : x * times + plus;
  };
}

/** Linear between the points (ascending x), clamped beyond the ends. */
export function piecewise(pts: readonly (readonly [number, number])[], x: number): number {
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first === undefined || last === undefined) return Number.NaN;
  if (x <= first[0]) return first[1];
  if (x >= last[0]) return last[1];
  for (let i = 1; i < pts.length; i++) {
    const [x1, y1] = pts[i] ?? last;
    const [x0, y0] = pts[i - 1] ?? first;
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return last[1];
}

const RESULT = ['false', 'true', 'unknown'] as const satisfies Record<Tri, string>;

function compileLeaf(leaf: Leaf, scope: Scope, ruleHysteresis: number, sink: CompileSink): CondFn {
  const read = compileRef(leaf, scope, sink);
  const threshold = compileThreshold(leaf.value, scope, sink);
  const pred = OPERATORS[leaf.op];
  const shift = HYSTERESIS_SIGN[leaf.op] * (leaf.hysteresis ?? ruleHysteresis);
  const base = { signal: leaf.signal, of: leaf.of, agg: leaf.agg, windowMs: leaf.window ?? 0, op: leaf.op, ...(leaf.across === undefined ? {} : { across: leaf.across }) };
  return (view, e, hold, evidence) => {
    const v = read(view, e);
    let th = threshold(view, e);
    if (hold && shift !== 0 && typeof th === 'number') th += shift;
    const r: Tri = v === undefined || th === undefined ? UNKNOWN : pred(v, th) ? TRUE : FALSE;
    evidence?.push({ ...base, threshold: th ?? null, value: v ?? null, result: RESULT[r] });
    return r;
  };
}

export function compileCondition(c: Condition, scope: Scope, hysteresis: number, sink: CompileSink): CondFn {
  if ('all' in c) {
    const parts = c.all.map((x) => compileCondition(x, scope, hysteresis, sink));
    return (view, e, hold, ev) => {
      let out: Tri = TRUE;
      for (const p of parts) {
        const r = p(view, e, hold, ev);
        if (r === FALSE) {
          out = FALSE;
          if (ev === undefined) return FALSE;
        } else if (r === UNKNOWN && out === TRUE) out = UNKNOWN;
      }
      return out;
    };
  }
  if ('any' in c) {
    const parts = c.any.map((x) => compileCondition(x, scope, hysteresis, sink));
    return (view, e, hold, ev) => {
      let out: Tri = FALSE;
      for (const p of parts) {
        const r = p(view, e, hold, ev);
        if (r === TRUE) {
          out = TRUE;
          if (ev === undefined) return TRUE;
        } else if (r === UNKNOWN && out === FALSE) out = UNKNOWN;
      }
      return out;
    };
  }
  return compileLeaf(c, scope, hysteresis, sink);
}
