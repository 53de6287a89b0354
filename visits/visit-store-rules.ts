// Rules every VisitStore applies the same way (query checks, merging evidence, recording an
// outcome), kept apart so the memory and DuckDB stores cannot drift.

import { HeatError } from '../domain/errors';
import { maxSeverity, type Severity } from '../rules/severity';
import { STAGES } from '../tickets/ticket-model';
import { advanceLoop } from '../tickets/ticket-store-rules';
import { MAX_LINKED, MAX_REASONS, type Visit, type VisitOutcome, type VisitReason } from './visit-model';
import { MAX_EPISODES, MAX_VISIT_PAGE, type EpisodeQuery, type VisitCursor, type VisitQuery } from './visit-store';

export function checkVisitQuery(q: VisitQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_VISIT_PAGE) throw new HeatError('BAD_REQUEST', `limit: must be an integer in 1..${MAX_VISIT_PAGE}`);
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to) throw new HeatError('BAD_REQUEST', 'from: must be before to');
}

export function checkEpisodeQuery(q: EpisodeQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_EPISODES) throw new HeatError('BAD_REQUEST', `limit: must be an integer in 1..${MAX_EPISODES}`);
}

/** Newest first: issue time, then id, both descending. */
export function compareVisits(a: VisitCursor, b: VisitCursor): number {
  return b.receivedAt - a.receivedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function withEvidence(v: Visit, reasons: readonly VisitReason[], severity: Severity, dueAt: number): Visit {
  const byId = new Map(v.reasons.map((r) => [r.alertId, r]));
  for (const r of reasons) {
    byId.delete(r.alertId); // a refreshed reason moves to the end (newest)
    byId.set(r.alertId, r);
  }
  const merged = [...byId.values()];
  return {
    ...v,
    reasons: merged.slice(Math.max(0, merged.length - MAX_REASONS)),
    severity: maxSeverity(v.severity, severity),
    dueAt: Math.min(v.dueAt, dueAt),
  };
}

export function withOutcome(v: Visit, o: VisitOutcome): Visit {
  if (v.outcome !== undefined) throw new HeatError('CONFLICT', `visit ${v.id}: the outcome was recorded at ${new Date(v.outcome.at).toISOString()} by ${v.outcome.by}`);
  const reached = STAGES.indexOf(v.loop.stage) >= STAGES.indexOf('resolved');
  const loop = reached ? v.loop : advanceLoop(v, 'resolved', o.at, { by: o.by, ...(o.comment !== undefined ? { comment: o.comment } : {}) }, 'visit');
  return { ...v, outcome: o, loop };
}

export function withTicket(v: Visit, ticketId: string): Visit {
  if (v.ticketIds.includes(ticketId) || v.ticketIds.length >= MAX_LINKED) return v;
  return { ...v, ticketIds: [...v.ticketIds, ticketId] };
}

export function visitMatches(v: Visit, q: VisitQuery): boolean {
  return (
    (q.crew === undefined || v.crew === q.crew) &&
    (q.stationId === undefined || v.stationId === q.stationId) &&
    (q.compoundId === undefined || v.compoundId === q.compoundId) &&
    (q.stages === undefined || q.stages.includes(v.loop.stage)) &&
    (q.stationIds === undefined || q.stationIds.includes(v.stationId)) &&
    (q.from === undefined || v.receivedAt >= q.from) &&
    (q.to === undefined || v.receivedAt < q.to)
  );
}
