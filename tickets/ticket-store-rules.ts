// Rules every TicketStore applies the same way: query checks, the order of pages, loop moves.
// Kept apart so the memory and DuckDB stores cannot drift.

import { HeatError } from '../domain/errors';
import { MAX_LOOP_NOTES, STAGES, type LoopActor, type LoopState, type LoopStage } from './ticket-model';
import { MAX_PAGE, type TicketCursor, type TicketQuery } from './ticket-store';

export function checkQuery(q: TicketQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_PAGE) throw new HeatError('BAD_REQUEST', `limit: must be an integer in 1..${MAX_PAGE}`);
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to) throw new HeatError('BAD_REQUEST', 'from: must be before to');
}

/** Page order: newest first (received time, then id, both descending), or the reverse. */
export function compareForPage(a: TicketCursor, b: TicketCursor, order: 'newest' | 'oldest'): number {
  const c = a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'oldest' ? c : -c;
}

/** Anything that goes round the closed loop: a ticket, a visit. */
export interface LoopItem {
  readonly id: string;
  readonly receivedAt: number;
  readonly loop: LoopState;
}

/**
 * The loop after moving to `stage` at `at` (by `actor`, when given); throws CONFLICT for a move
 * backwards or back in time. Comments beyond MAX_LOOP_NOTES drop the oldest after the first.
 */
export function advanceLoop(t: LoopItem, stage: LoopStage, at: number, actor?: LoopActor, kind = 'ticket'): LoopState {
  if (!Number.isFinite(at)) throw new HeatError('BAD_REQUEST', 'at: must be a finite epoch-ms time');
  const from = STAGES.indexOf(t.loop.stage);
  const to = STAGES.indexOf(stage);
  if (to <= from) throw new HeatError('CONFLICT', `${kind} ${t.id}: cannot move from ${t.loop.stage} to ${stage} (the loop only goes forward)`);
  const prev = t.loop.at[t.loop.stage] ?? t.receivedAt;
  if (at < prev) throw new HeatError('CONFLICT', `${kind} ${t.id}: ${stage} at ${new Date(at).toISOString()} is before ${t.loop.stage} at ${new Date(prev).toISOString()}`);
  const next: LoopState = { stage, at: { ...t.loop.at, [stage]: at } };
  if (actor === undefined) return { ...next, ...(t.loop.by ? { by: t.loop.by } : {}), ...(t.loop.notes ? { notes: t.loop.notes } : {}) };
  const notes = [...(t.loop.notes ?? [])];
  if (actor.comment !== undefined && actor.comment !== '') {
    notes.push({ stage, at, by: actor.by, comment: actor.comment });
    if (notes.length > MAX_LOOP_NOTES) notes.splice(1, notes.length - MAX_LOOP_NOTES);
  }
  return { ...next, by: { ...t.loop.by, [stage]: actor.by }, ...(notes.length > 0 ? { notes } : {}) };
}
