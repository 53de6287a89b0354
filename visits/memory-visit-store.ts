// The reference VisitStore: Maps in memory, copies in and out. For tests and the evaluation, and
// the specification the DuckDB store is checked against (visit-store.contract.ts).

import { HeatError } from '../domain/errors';
import type { Severity } from '../rules/severity';
import type { LoopActor, LoopStage } from '../tickets/ticket-model';
import { advanceLoop } from '../tickets/ticket-store-rules';
import type { Episode, Visit, VisitOutcome, VisitReason } from './visit-model';
import type { EpisodeQuery, VisitPage, VisitQuery, VisitStore } from './visit-store';
import { checkEpisodeQuery, checkVisitQuery, compareVisits, visitMatches, withEvidence, withOutcome, withTicket } from './visit-store-rules';

export class MemoryVisitStore implements VisitStore {
  readonly name = 'memory';
  private readonly visits = new Map<string, Visit>();
  private readonly episodes = new Map<string, Episode>();
  private state: 'new' | 'open' | 'closed' = 'new';

  async connect(): Promise<void> {
    if (this.state === 'closed') throw new HeatError('INTERNAL', 'memory visit store: connect after close');
    this.state = 'open';
  }

  async create(v: Visit): Promise<{ outcome: 'created' | 'duplicate'; visit: Visit }> {
    this.ready();
    const old = this.visits.get(v.id);
    if (old !== undefined) return { outcome: 'duplicate', visit: clone(old) };
    this.visits.set(v.id, clone(v));
    return { outcome: 'created', visit: clone(v) };
  }

  async get(id: string): Promise<Visit | undefined> {
    this.ready();
    const v = this.visits.get(id);
    return v === undefined ? undefined : clone(v);
  }

  async list(q: VisitQuery): Promise<VisitPage> {
    this.ready();
    checkVisitQuery(q);
    const all = [...this.visits.values()].filter((v) => visitMatches(v, q)).sort(compareVisits);
    const after = q.after;
    const rest = after === undefined ? all : all.filter((v) => compareVisits(v, after) > 0);
    const items = rest.slice(0, q.limit).map(clone);
    const last = items[items.length - 1];
    return { items, total: all.length, ...(rest.length > q.limit && last ? { next: { receivedAt: last.receivedAt, id: last.id } } : {}) };
  }

  async addEvidence(id: string, reasons: readonly VisitReason[], severity: Severity, dueAt: number): Promise<Visit> {
    return this.change(id, (v) => withEvidence(v, reasons, severity, dueAt));
  }

  async recordOutcome(id: string, outcome: VisitOutcome): Promise<Visit> {
    return this.change(id, (v) => withOutcome(v, outcome));
  }

  async advance(id: string, stage: LoopStage, at: number, actor?: LoopActor): Promise<Visit> {
    return this.change(id, (v) => ({ ...v, loop: advanceLoop(v, stage, at, actor, 'visit') }));
  }

  async linkTicket(id: string, ticketId: string): Promise<Visit> {
    return this.change(id, (v) => withTicket(v, ticketId));
  }

  async putEpisode(e: Episode): Promise<void> {
    this.ready();
    this.episodes.set(e.id, clone(e));
  }

  async getEpisode(id: string): Promise<Episode | undefined> {
    this.ready();
    const e = this.episodes.get(id);
    return e === undefined ? undefined : clone(e);
  }

  async listEpisodes(q: EpisodeQuery): Promise<Episode[]> {
    this.ready();
    checkEpisodeQuery(q);
    return [...this.episodes.values()]
      .filter(
        (e) =>
          (q.from === undefined || e.start >= q.from) &&
          (q.to === undefined || e.start < q.to) &&
          (q.compoundId === undefined || e.compoundId === q.compoundId) &&
          (q.stationId === undefined || e.stationId === q.stationId) &&
          (q.open === undefined || (e.end === undefined) === q.open),
      )
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, q.limit)
      .map(clone);
  }

  async close(): Promise<void> {
    this.state = 'closed';
  }

  private change(id: string, fn: (v: Visit) => Visit): Visit {
    this.ready();
    const v = this.visits.get(id);
    if (v === undefined) throw new HeatError('NOT_FOUND', `no visit ${id}`);
    const next = fn(v);
    this.visits.set(id, clone(next));
    return clone(next);
  }

  private ready(): void {
    if (this.state !== 'open') throw new HeatError('INTERNAL', `memory visit store used while ${this.state === 'new' ? 'not connected' : 'closed'}`);
  }
}

function clone<T>(x: T): T {
  return structuredClone(x);
}
