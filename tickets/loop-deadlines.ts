// Deadlines of the closed loop 受理—分流—化解—督办—回访 and the overdue flags they give. Shared by
// tickets and visits: each stage after `received` is due a configured time after receipt
// (HEAT_LOOP_*_MS); a visit's `resolved` is due at its own deadline (by severity).
// Computed when an item is read, against the clock: nothing is stored, so a change of the
// configured deadlines applies at once to every open item.

import { STAGES, type LoopStage, type LoopState } from './ticket-model';

/** Time allowed from receipt to each later stage, ms. */
export interface LoopDeadlines {
  readonly dispatched: number;
  readonly resolved: number;
  readonly supervised: number;
  readonly 'followed-up': number;
}

export interface LoopTimeliness {
  /** When each later stage is due, epoch ms. */
  readonly dueAt: Readonly<Partial<Record<LoopStage, number>>>;
  /** Stages not reached (nor skipped past) whose time is up. */
  readonly overdue: readonly LoopStage[];
  /** Stages reached after they were due. */
  readonly late: readonly LoopStage[];
}

const LATER: readonly Exclude<LoopStage, 'received'>[] = ['dispatched', 'resolved', 'supervised', 'followed-up'];

/**
 * `dueOverride` replaces the computed due time of some stages (a visit's `resolved` is due at its
 * own deadline).
 */
export function loopTimeliness(
  loop: LoopState,
  receivedAt: number,
  deadlines: LoopDeadlines,
  now: number,
  dueOverride: Readonly<Partial<Record<LoopStage, number>>> = {},
): LoopTimeliness {
  const current = STAGES.indexOf(loop.stage);
  const dueAt: Partial<Record<LoopStage, number>> = {};
  const overdue: LoopStage[] = [];
  const late: LoopStage[] = [];
  for (const s of LATER) {
    const due = dueOverride[s] ?? receivedAt + deadlines[s];
    dueAt[s] = due;
    const reached = loop.at[s];
    if (reached !== undefined) {
      if (reached > due) late.push(s);
    } else if (STAGES.indexOf(s) > current && now > due) overdue.push(s);
  }
  return { dueAt, overdue, late };
}
