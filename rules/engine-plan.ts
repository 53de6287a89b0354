// What the engine must keep per scope, derived from the loaded rules: which derived signals to
// compute at each instant (in catalogue order, so one may rely on another's side effects) and
// which rolling windows to maintain. Nothing is kept that no rule reads.

import type { SignalUse } from './compile-condition';
import type { EntityState } from './entity-state';
import { relationTarget } from './relations';
import { SCOPES, type Scope } from './scope';
import { signalDef, signalNames } from './signals';

export interface SignalPlan {
  readonly derived: Readonly<Record<Scope, readonly string[]>>;
  /** Per scope: signal → window span → whether min/max are read. */
  readonly windows: Readonly<Record<Scope, ReadonlyMap<string, ReadonlyMap<number, boolean>>>>;
}

const EXTREME_AGGS: ReadonlySet<string> = new Set(['min', 'max', 'range']);

export function planSignals(uses: readonly SignalUse[]): SignalPlan {
  const derived = Object.fromEntries(SCOPES.map((s) => [s, new Set<string>()])) as Record<Scope, Set<string>>;
  const windows = Object.fromEntries(SCOPES.map((s) => [s, new Map<string, Map<number, boolean>>()])) as Record<Scope, Map<string, Map<number, boolean>>>;
  const addWindow = (scope: Scope, signal: string, span: number, extremes: boolean): void => {
    const m = windows[scope];
    const spans = m.get(signal) ?? new Map<number, boolean>();
    spans.set(span, (spans.get(span) ?? false) || extremes);
    m.set(signal, spans);
  };
  const visit = (u: SignalUse): void => {
    const def = signalDef(u.scope, u.signal);
    if (def === undefined) return;
    if (u.windowMs > 0) addWindow(u.scope, u.signal, u.windowMs, EXTREME_AGGS.has(u.agg));
    if (def.compute !== undefined && !derived[u.scope].has(u.signal)) {
      derived[u.scope].add(u.signal);
      for (const n of def.needs ?? []) visit({ scope: relationTarget(n.of, u.scope), signal: n.signal, windowMs: n.windowMs, agg: n.agg ?? 'mean' });
    }
  };
  uses.forEach(visit);
  const ordered = Object.fromEntries(SCOPES.map((s) => [s, signalNames(s).filter((n) => derived[s].has(n))])) as Record<Scope, string[]>;
  return { derived: ordered, windows };
}

export function applyPlan(plan: SignalPlan, states: Iterable<EntityState>): void {
  for (const e of states) for (const [signal, spans] of plan.windows[e.kind]) e.planWindows(signal, spans);
}
