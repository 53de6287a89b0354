// What the engine must keep per scope, derived from the loaded rules: which derived signals to
// compute at each instant (in catalogue order, so one may rely on another's side effects) and
// which rolling windows to maintain. Nothing is kept that no rule reads.

import type { Agg } from './aggregators';
import type { SignalUse } from './compile-condition';
import { windowCellMs, type EntityState, type WindowSpec } from './entity-state';
import { relationTarget } from './relations';
import { SCOPES, type Scope } from './scope';
import { signalDef, signalNames } from './signals';

export interface SignalPlan {
  readonly derived: Readonly<Record<Scope, readonly string[]>>;
  /** Per scope: signal → the windows kept of it (span, cell size, columns the aggregations read). */
  readonly windows: Readonly<Record<Scope, ReadonlyMap<string, readonly WindowSpec[]>>>;
}

type Features = { extremes: boolean; stddev: boolean; slope: boolean; first: boolean; coverage: boolean };

/** Which optional window columns an aggregation reads. */
function featuresOf(agg: Agg): Partial<Features> {
  switch (agg) {
    case 'min':
    case 'max':
    case 'range':
      return { extremes: true };
    case 'stddev':
      return { stddev: true };
    case 'slope':
      return { slope: true };
    case 'delta':
      return { first: true };
    case 'last':
    case 'mean':
    case 'sum':
    case 'count':
      return {};
    default: {
      const never: never = agg;
      throw new Error(`unknown aggregation ${String(never)}`);
    }
  }
}

export function planSignals(uses: readonly SignalUse[]): SignalPlan {
  const derived = Object.fromEntries(SCOPES.map((s) => [s, new Set<string>()])) as Record<Scope, Set<string>>;
  const spans = Object.fromEntries(SCOPES.map((s) => [s, new Map<string, Map<number, Features>>()])) as Record<Scope, Map<string, Map<number, Features>>>;
  const addWindow = (scope: Scope, signal: string, span: number, agg: Agg, minSpanMs: number): void => {
    const m = spans[scope];
    const bySpan = m.get(signal) ?? new Map<number, Features>();
    const f = bySpan.get(span) ?? { extremes: false, stddev: false, slope: false, first: false, coverage: false };
    Object.assign(f, featuresOf(agg));
    if (minSpanMs > 0) f.coverage = true;
    bySpan.set(span, f);
    m.set(signal, bySpan);
  };
  const visit = (u: SignalUse): void => {
    const def = signalDef(u.scope, u.signal);
    if (def === undefined) return;
    if (u.windowMs > 0) addWindow(u.scope, u.signal, u.windowMs, u.agg, u.minSpanMs ?? 0);
    if (def.compute !== undefined && !derived[u.scope].has(u.signal)) {
      derived[u.scope].add(u.signal);
      for (const n of def.needs ?? []) visit({ scope: relationTarget(n.of, u.scope), signal: n.signal, windowMs: n.windowMs, agg: n.agg ?? 'mean' });
    }
  };
  uses.forEach(visit);
  const ordered = Object.fromEntries(SCOPES.map((s) => [s, signalNames(s).filter((n) => derived[s].has(n))])) as Record<Scope, string[]>;
  const windows = Object.fromEntries(
    SCOPES.map((s) => [s, new Map([...spans[s]].map(([signal, m]) => [signal, [...m].map(([spanMs, features]) => ({ spanMs, cellMs: windowCellMs(spanMs), features }))]))]),
  ) as Record<Scope, Map<string, WindowSpec[]>>;
  return { derived: ordered, windows };
}

/** Gives each state its scope's window plan and derived signals (shared); windows are created at their first sample. */
export function applyPlan(plan: SignalPlan, states: Iterable<EntityState>): void {
  for (const e of states) {
    e.planWindows(plan.windows[e.kind]);
    e.planDerived(plan.derived[e.kind]);
  }
}
