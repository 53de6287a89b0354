// What the API does with visits: read them (with overdue flags), record what the crew found,
// move them along the closed loop. The planner issues them; this service never creates one.
//
// Lifecycle: built by the composition root over a connected VisitStore; stateless otherwise.

import type { Clock } from '../domain/clock';
import { HeatError } from '../domain/errors';
import { loopTimeliness, type LoopDeadlines, type LoopTimeliness } from '../tickets/loop-deadlines';
import { STAGES, type LoopActor, type LoopStage } from '../tickets/ticket-model';
import type { Visit, VisitCause, VisitResult } from './visit-model';
import type { VisitPage, VisitQuery, VisitStore } from './visit-store';

export interface OutcomeInput {
  readonly indoorC?: number;
  readonly cause: VisitCause;
  readonly result: VisitResult;
  readonly comment?: string;
  /** When the crew was there; default now. */
  readonly at?: number;
}

export class VisitService {
  constructor(
    private readonly store: VisitStore,
    private readonly clock: Clock,
    private readonly deadlines: LoopDeadlines,
  ) {}

  get(id: string): Promise<Visit | undefined> {
    return this.store.get(id);
  }

  list(q: VisitQuery): Promise<VisitPage> {
    return this.store.list(q);
  }

  /** Due times and overdue flags now; a visit's `resolved` is due at its own deadline. */
  timeliness(v: Visit, now = this.clock.now()): LoopTimeliness {
    return loopTimeliness(v.loop, v.receivedAt, this.deadlines, now, { resolved: v.dueAt });
  }

  /** The crew's finding; moves the visit to resolved. NOT_FOUND, CONFLICT (already recorded, or before its current stage). */
  async recordOutcome(id: string, o: OutcomeInput, by: string): Promise<Visit> {
    const at = o.at ?? this.clock.now();
    if (at > this.clock.now() + 5 * 60_000) throw new HeatError('BAD_REQUEST', 'body.at: the visit cannot be in the future');
    if (o.cause === 'none' && o.result === 'fixed') throw new HeatError('BAD_REQUEST', 'body.result: nothing was wrong (cause none), so nothing was fixed');
    return this.store.recordOutcome(id, {
      ...(o.indoorC !== undefined ? { indoorC: o.indoorC } : {}),
      cause: o.cause,
      result: o.result,
      ...(o.comment !== undefined ? { comment: o.comment } : {}),
      by,
      at,
    });
  }

  /**
   * Moves a visit along the loop. Resolving goes through the outcome (what was found matters more
   * than the tick): CONFLICT when there is none yet.
   */
  async advance(id: string, stage: LoopStage, actor: LoopActor): Promise<Visit> {
    const v = await this.store.get(id);
    if (v === undefined) throw new HeatError('NOT_FOUND', `params.id: no visit ${id}`);
    if (STAGES.indexOf(stage) >= STAGES.indexOf('resolved') && v.outcome === undefined) {
      throw new HeatError('CONFLICT', `visit ${id}: record the outcome first (POST /api/visits/${id}/outcome)`);
    }
    return this.store.advance(id, stage, this.clock.now(), actor);
  }
}
