// A validated rule definition compiled into what the engine runs per (rule, entity, instant):
// fire / release judgements, severity, the headline value and evidence. Quality rules judge
// from the offences their checker recorded; condition rules from their compiled condition.

import type { FieldValue } from '../domain/telemetry';
import { compileCondition, compileRef, FALSE, TRUE, UNKNOWN, type CondFn, type EvidenceItem, type Reader, type SignalUse, type Tri } from './compile-condition';
import type { EntityState } from './entity-state';
import { num, type EvalView } from './eval-view';
import { createQualityChecker, type QualityChecker } from './quality-checks';
import type { Condition, ConditionRuleDef, QualityRuleDef, RuleDef, SignalRef } from './rule-schema';
import type { Scope } from './scope';
import { severityFromBands, type Severity } from './severity';

export interface CompiledRule {
  readonly def: RuleDef;
  readonly id: string;
  readonly scopes: readonly Scope[];
  /** Order within an instant: 0 quality checks, 1 rules that distrust data, 2 the rest. */
  readonly stage: 0 | 1 | 2;
  /** Whether the condition holds (alert not active). Collects evidence when given an array. */
  readonly fire: CondFn;
  /** Whether an active alert's condition has been released (hysteresis applied). */
  readonly released: (view: EvalView, e: EntityState) => Tri;
  readonly severity: (view: EvalView, e: EntityState) => Severity;
  /** The headline value shown with the alert (the first signal the rule compares). */
  readonly primary: (view: EvalView, e: EntityState) => FieldValue | undefined;
  readonly show: (view: EvalView, e: EntityState) => EvidenceItem[];
  readonly quality: QualityChecker | undefined;
  /** Signals and windows the rule reads, for the engine's plan. */
  readonly uses: readonly SignalUse[];
}

export function compileRule(def: RuleDef, tickMs: number): CompiledRule {
  return def.type === 'quality' ? compileQuality(def, tickMs) : compileConditionRule(def);
}

function invert(r: Tri): Tri {
  return r === TRUE ? FALSE : r === FALSE ? TRUE : UNKNOWN;
}

function firstLeaf(c: Condition): SignalRef {
  if ('all' in c) return firstLeaf(c.all[0] ?? c);
  if ('any' in c) return firstLeaf(c.any[0] ?? c);
  return c;
}

function compileConditionRule(def: ConditionRuleDef): CompiledRule {
  const uses: SignalUse[] = [];
  const sink = { use: (u: SignalUse) => uses.push(u), shared: new Map<string, Reader>() };
  const scope = def.scope;
  const fire = compileCondition(def.when, scope, def.hysteresis, sink);
  const clear = def.clear === undefined ? undefined : compileCondition(def.clear, scope, 0, sink);
  const released = clear === undefined ? (view: EvalView, e: EntityState) => invert(fire(view, e, true, undefined)) : (view: EvalView, e: EntityState) => clear(view, e, false, undefined);
  const sev = def.severity;
  let severity: CompiledRule['severity'];
  let primary: CompiledRule['primary'];
  if (typeof sev === 'string') {
    severity = () => sev;
    primary = compileRef(firstLeaf(def.when), scope, sink);
  } else {
    const by = compileRef(sev.by, scope, sink);
    severity = (view, e) => {
      const v = num(by(view, e));
      return (v === undefined ? undefined : severityFromBands(v, sev.bands)) ?? sev.otherwise;
    };
    primary = by;
  }
  const shows = def.show.map((r) => ({ ref: r, read: compileRef(r, scope, sink) }));
  return {
    def,
    id: def.id,
    scopes: [scope],
    stage: def.marksUntrusted.length > 0 ? 1 : 2,
    fire,
    released,
    severity,
    primary,
    show: (view, e) =>
      shows.map(({ ref, read }) => ({
        signal: ref.signal,
        of: ref.of,
        agg: ref.agg,
        windowMs: ref.window ?? 0,
        ...(ref.across === undefined ? {} : { across: ref.across }),
        value: read(view, e) ?? null,
      })),
    quality: undefined,
    uses,
  };
}

function compileQuality(def: QualityRuleDef, tickMs: number): CompiledRule {
  const id = def.id;
  const offences = (e: EntityState) => e.offences.get(id);
  const fire: CondFn = (_view, e, _hold, evidence) => {
    const m = offences(e);
    if (evidence !== undefined && m !== undefined) {
      for (const o of m.values()) evidence.push({ signal: o.series, of: 'self', agg: 'last', windowMs: 0, value: o.value, result: 'true', detail: `${o.check}: ${o.detail}` });
    }
    return m !== undefined && m.size > 0 ? TRUE : FALSE;
  };
  const sev = def.severity;
  return {
    def,
    id,
    scopes: def.scope,
    stage: 0,
    fire,
    released: (view, e) => invert(fire(view, e, true, undefined)),
    severity: () => (typeof sev === 'string' ? sev : sev.otherwise),
    primary: (_view, e) => offences(e)?.size ?? 0,
    show: () => [],
    quality: createQualityChecker(def.check, id, tickMs),
    uses: [],
  };
}
