// What compiled rules and derived signals may see while one instant of event time is evaluated.
// The engine implements it; rules never touch engine internals.

import type { NetworkModel } from '../domain/network';
import type { FieldValue } from '../domain/telemetry';
import type { Agg } from './aggregators';
import type { EntityState } from './entity-state';
import type { ForecastProvider } from './forecast';
import type { Relation } from './relations';
import type { Scope } from './scope';
import type { SignalDef } from './signals';

/** A signal reference resolved when rules compile: no name lookups per evaluation. */
export interface SignalHandle {
  readonly name: string;
  readonly def: SignalDef;
  readonly agg: Agg;
}

export interface PredictionTuning {
  /** How far ahead predicted under-heating looks, ms (12 h). */
  readonly horizonMs: number;
  /** How often a compound's prediction is recomputed, ms of event time. */
  readonly everyMs: number;
  /** The indoor temperature the prediction guards, °C. */
  readonly thresholdC: number;
  /** Internal gains (people, appliances, sun) as kelvin of indoor–outdoor difference, for the heat-meter indoor estimate. */
  readonly internalGainK: number;
}

export interface EvalView {
  /** The instant being evaluated (event time, epoch ms). */
  readonly t: number;
  /**
   * Changes at every (rule, entity) judgement. Within one judgement nothing a rule reads changes,
   * so a reader may reuse its value for the same entity and epoch.
   */
  readonly readEpoch: number;
  readonly network: NetworkModel;
  readonly forecast: ForecastProvider | undefined;
  readonly prediction: PredictionTuning;
  /** A newest value older than this is not used (per scope). */
  readonly staleAfterMs: Readonly<Record<Scope, number>>;
  relative(e: EntityState, rel: Relation): EntityState | undefined;
  /** The relatives; `peers` and `siblings` are the whole group, `e` included: skip it. */
  relatives(e: EntityState, rel: Relation): readonly EntityState[];
  /** Fresh, trusted newest value of a raw field; undefined otherwise. */
  raw(e: EntityState, field: string): FieldValue | undefined;
  /**
   * Fresh newest value whatever its trust: derived signals compute from these, and trust is
   * applied when a rule reads the derived signal (through its `inputs`).
   */
  fresh(e: EntityState, field: string): FieldValue | undefined;
  /** A signal (raw or derived) aggregated over a window; `windowMs` 0 = the newest value. */
  read(e: EntityState, h: SignalHandle, windowMs: number, minSpanMs: number): FieldValue | undefined;
  /**
   * Until when a windowed read just made (windowMs > 0) gives the same value, as long as the
   * entity's `version` stays: the next time a cell leaves the window.
   */
  readValidUntil(e: EntityState, h: SignalHandle, windowMs: number): number;
  /** The same by name (derived signals reading others); undefined for unknown names. */
  signal(e: EntityState, signal: string, agg: Agg, windowMs: number, minSpanMs: number): FieldValue | undefined;
}

export function num(v: FieldValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
