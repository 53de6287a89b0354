// Tuning of the rules engine, with its defaults in one place (spread under the caller's partial).

import type { PredictionTuning } from './eval-view';
import type { Scope } from './scope';
import { DEFAULT_SEASON, type SeasonSpec } from './season';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface EngineTuning {
  /** Readings up to this much older than the newest event time are still in time. */
  readonly allowedLatenessMs: number;
  /** Timer tick for stale checks and alert deadlines, event time. */
  readonly tickMs: number;
  /** A newest value older than this is not used, per scope. */
  readonly staleAfterMs: Readonly<Record<Scope, number>>;
  /** Unacknowledged alerts back to normal clear themselves after this. */
  readonly autoClearMs: number;
  readonly shelveDefaultMs: number;
  readonly shelveMaxMs: number;
  /** Default chattering suppression (rules may set their own). */
  readonly chatter: { readonly transitions: number; readonly windowMs: number };
  /**
   * Stations with upstream causes on one primary network that make a network incident without a
   * network rule: at least this many, and at least this share of the network's stations
   * (independent faults at two of fifteen stations are not one plant problem).
   */
  readonly minStationsForNetworkIncident: number;
  readonly minShareForNetworkIncident: number;
  readonly season: SeasonSpec;
  readonly prediction: PredictionTuning;
  /** Readings this far in the future of the clock are refused (live); undefined = no check (replay). */
  readonly maxFutureMs: number | undefined;
  /** Readings held for the watermark at most; beyond it the watermark is forced forward (counted). */
  readonly maxPending: number;
}

export const DEFAULT_TUNING: EngineTuning = {
  allowedLatenessMs: 2 * MIN,
  tickMs: MIN,
  staleAfterMs: { weather: 3 * HOUR, station: 10 * MIN, compound: 20 * MIN, primary: 10 * MIN },
  autoClearMs: 2 * HOUR,
  shelveDefaultMs: 8 * HOUR,
  shelveMaxMs: 24 * HOUR,
  chatter: { transitions: 5, windowMs: HOUR },
  minStationsForNetworkIncident: 2,
  minShareForNetworkIncident: 0.3,
  season: DEFAULT_SEASON,
  prediction: { horizonMs: 12 * HOUR, everyMs: 30 * MIN, thresholdC: 18, internalGainK: 2.5 },
  maxFutureMs: undefined,
  maxPending: 1_000_000,
};

/** What callers pass: any subset, nested records included. */
export type EngineTuningInput = Partial<Omit<EngineTuning, 'staleAfterMs' | 'prediction'>> & {
  readonly staleAfterMs?: Partial<EngineTuning['staleAfterMs']>;
  readonly prediction?: Partial<PredictionTuning>;
};

export function resolveTuning(partial: EngineTuningInput = {}): EngineTuning {
  return {
    ...DEFAULT_TUNING,
    ...partial,
    staleAfterMs: { ...DEFAULT_TUNING.staleAfterMs, ...partial.staleAfterMs },
    prediction: { ...DEFAULT_TUNING.prediction, ...partial.prediction },
  };
}
