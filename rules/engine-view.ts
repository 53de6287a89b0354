// The engine's implementation of EvalView: signal reads with freshness and trust applied.

import type { NetworkModel } from '../domain/network';
import type { FieldValue } from '../domain/telemetry';
import { AGGREGATORS, type Agg } from './aggregators';
import type { EntityState } from './entity-state';
import type { EvalView, PredictionTuning } from './eval-view';
import type { ForecastProvider } from './forecast';
import type { Relation } from './relations';
import type { Scope } from './scope';
import { signalDef } from './signals';

const NONE: readonly EntityState[] = [];

export class EngineView implements EvalView {
  t = 0;
  private readonly relCache = new Map<string, readonly EntityState[]>();

  constructor(
    readonly network: NetworkModel,
    readonly forecast: ForecastProvider | undefined,
    readonly prediction: PredictionTuning,
    readonly staleAfterMs: Readonly<Record<Scope, number>>,
    private readonly states: ReadonlyMap<string, EntityState>,
  ) {}

  relatives(e: EntityState, rel: Relation): readonly EntityState[] {
    const ck = `${e.key}#${rel}`;
    const hit = this.relCache.get(ck);
    if (hit !== undefined) return hit;
    const keys = e.relatives[rel];
    const list = keys === undefined ? NONE : keys.map((k) => this.states.get(k)).filter((s): s is EntityState => s !== undefined);
    this.relCache.set(ck, list);
    return list;
  }

  relative(e: EntityState, rel: Relation): EntityState | undefined {
    return rel === 'self' ? e : this.relatives(e, rel)[0];
  }

  raw(e: EntityState, field: string): FieldValue | undefined {
    return e.isTrusted(field) ? this.fresh(e, field) : undefined;
  }

  fresh(e: EntityState, field: string): FieldValue | undefined {
    const s = e.latest.get(field);
    return s === undefined || this.t - s.t > this.staleAfterMs[e.kind] ? undefined : s.v;
  }

  signal(e: EntityState, name: string, agg: Agg, windowMs: number, minSpanMs: number): FieldValue | undefined {
    const def = signalDef(e.kind, name);
    if (def === undefined) return undefined;
    for (const f of def.inputs) if (!e.isTrusted(f)) return undefined;
    if (windowMs === 0) {
      if (def.compute === undefined) return this.raw(e, name);
      const s = e.derived.get(name);
      return s === undefined || this.t - s.t > this.staleAfterMs[e.kind] ? undefined : s.v;
    }
    const w = e.window(name, windowMs);
    if (w === undefined) return undefined;
    w.evict(this.t);
    if (w.count === 0 || w.coveredMs < minSpanMs) return undefined;
    return AGGREGATORS[agg](w);
  }
}
