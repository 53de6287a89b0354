// The engine's implementation of EvalView: signal reads with freshness and trust applied.

import type { NetworkModel } from '../domain/network';
import type { FieldValue } from '../domain/telemetry';
import { AGGREGATORS, type Agg } from './aggregators';
import type { EntityState } from './entity-state';
import type { EvalView, PredictionTuning, SignalHandle } from './eval-view';
import type { ForecastProvider } from './forecast';
import type { Relation } from './relations';
import type { Scope } from './scope';
import { FIELD_SLOTS } from './series-slots';
import { signalDef } from './signals';

const NONE: readonly EntityState[] = [];

export class EngineView implements EvalView {
  t = 0;
  readEpoch = 0;

  constructor(
    readonly network: NetworkModel,
    readonly forecast: ForecastProvider | undefined,
    readonly prediction: PredictionTuning,
    readonly staleAfterMs: Readonly<Record<Scope, number>>,
  ) {}

  /** A new (rule, entity) judgement starts: memoised reads of the last one are void. */
  beginRead(): void {
    this.readEpoch++;
  }

  relatives(e: EntityState, rel: Relation): readonly EntityState[] {
    return e.linked[rel] ?? NONE;
  }

  relative(e: EntityState, rel: Relation): EntityState | undefined {
    return rel === 'self' ? e : e.linked[rel]?.[0];
  }

  raw(e: EntityState, field: string): FieldValue | undefined {
    return e.untrusted.size === 0 || e.isTrusted(field) ? this.fresh(e, field) : undefined;
  }

  fresh(e: EntityState, field: string): FieldValue | undefined {
    const slot = FIELD_SLOTS[e.kind].get(field);
    // Never written: time −Infinity, older than any limit.
    return slot === undefined || this.t - e.latest.time(slot) > this.staleAfterMs[e.kind] ? undefined : e.latest.value(slot);
  }

  read(e: EntityState, h: SignalHandle, windowMs: number, minSpanMs: number): FieldValue | undefined {
    if (e.untrusted.size > 0) for (const f of h.def.inputs) if (!e.isTrusted(f)) return undefined;
    if (windowMs === 0) {
      if (h.def.compute === undefined) return this.fresh(e, h.name);
      const slot = e.derivedSlot(h.name);
      return slot === undefined || this.t - e.derived.time(slot) > this.staleAfterMs[e.kind] ? undefined : e.derived.value(slot);
    }
    const w = e.window(h.name, windowMs);
    if (w === undefined) return undefined;
    w.evict(this.t);
    if (w.count === 0 || (minSpanMs > 0 && w.coveredMs < minSpanMs)) return undefined;
    return AGGREGATORS[h.agg](w);
  }

  readValidUntil(e: EntityState, h: SignalHandle, windowMs: number): number {
    return e.window(h.name, windowMs)?.nextEvictionAt ?? Number.POSITIVE_INFINITY;
  }

  signal(e: EntityState, name: string, agg: Agg, windowMs: number, minSpanMs: number): FieldValue | undefined {
    const def = signalDef(e.kind, name);
    return def === undefined ? undefined : this.read(e, { name, def, agg }, windowMs, minSpanMs);
  }
}
