// The reference TicketStore: everything in a Map, insertion order kept. For tests and as the
// specification the DuckDB store is checked against (ticket-store.contract.ts).

import { HeatError } from '../domain/errors';
import type { Correlation, LearnedAlias, LoopActor, LoopStage, Resolution, TicketCategory, TicketRecord } from './ticket-model';
import type { AddResult, TicketPage, TicketQuery, TicketStore } from './ticket-store';
import { advanceLoop, checkQuery, compareForPage } from './ticket-store-rules';

export class MemoryTicketStore implements TicketStore {
  readonly name = 'memory';
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly lessons = new Map<string, LearnedAlias>();
  private state: 'new' | 'open' | 'closed' = 'new';

  async connect(): Promise<void> {
    if (this.state === 'closed') throw new HeatError('INTERNAL', 'memory ticket store: connect after close');
    this.state = 'open';
  }

  async add(tickets: readonly TicketRecord[]): Promise<AddResult[]> {
    this.open();
    return tickets.map((t) => {
      const old = this.tickets.get(t.id);
      if (old === undefined) {
        this.tickets.set(t.id, clone(t));
        return { id: t.id, externalId: t.externalId, outcome: 'created' };
      }
      return { id: t.id, externalId: t.externalId, outcome: old.contentHash === t.contentHash ? 'duplicate' : 'conflict' };
    });
  }

  async get(id: string): Promise<TicketRecord | undefined> {
    this.open();
    const t = this.tickets.get(id);
    return t === undefined ? undefined : clone(t);
  }

  async list(q: TicketQuery): Promise<TicketPage> {
    this.open();
    checkQuery(q);
    const order = q.order ?? 'newest';
    const all = [...this.tickets.values()].filter((t) => matches(t, q)).sort((a, b) => compareForPage(a, b, order));
    const after = q.after;
    const rest = after === undefined ? all : all.filter((t) => compareForPage(t, after, order) > 0);
    const items = rest.slice(0, q.limit).map(clone);
    const last = items[items.length - 1];
    return { items, total: all.length, ...(rest.length > q.limit && last ? { next: { receivedAt: last.receivedAt, id: last.id } } : {}) };
  }

  async setResolution(id: string, resolution: Resolution, category?: TicketCategory): Promise<TicketRecord> {
    const t = this.must(id);
    const next: TicketRecord = { ...t, resolution: clone(resolution), ...(category === undefined ? {} : { category, classification: { ...t.classification, category } }) };
    this.tickets.set(id, next);
    return clone(next);
  }

  async advance(id: string, stage: LoopStage, at: number, actor?: LoopActor): Promise<TicketRecord> {
    const t = this.must(id);
    const next: TicketRecord = { ...t, loop: advanceLoop(t, stage, at, actor) };
    this.tickets.set(id, next);
    return clone(next);
  }

  async setCorrelation(id: string, correlation: Correlation): Promise<void> {
    const t = this.must(id);
    this.tickets.set(id, { ...t, correlation: clone(correlation) });
  }

  async linkVisit(id: string, visitId: string): Promise<void> {
    const t = this.must(id);
    this.tickets.set(id, { ...t, visitId });
  }

  async learnAlias(a: LearnedAlias): Promise<void> {
    this.open();
    this.lessons.set(a.spelling, { ...a });
  }

  async aliases(): Promise<LearnedAlias[]> {
    this.open();
    return [...this.lessons.values()].map((a) => ({ ...a }));
  }

  async close(): Promise<void> {
    this.state = 'closed';
  }

  private must(id: string): TicketRecord {
    this.open();
    const t = this.tickets.get(id);
    if (t === undefined) throw new HeatError('NOT_FOUND', `no ticket ${id}`);
    return t;
  }

  private open(): void {
    if (this.state !== 'open') throw new HeatError('INTERNAL', `memory ticket store used while ${this.state === 'new' ? 'not connected' : 'closed'}`);
  }
}

function matches(t: TicketRecord, q: TicketQuery): boolean {
  const r = t.resolution;
  return (
    (q.from === undefined || t.receivedAt >= q.from) &&
    (q.to === undefined || t.receivedAt < q.to) &&
    (q.compoundId === undefined || r.compoundId === q.compoundId) &&
    (q.stationId === undefined || r.stationId === q.stationId) &&
    (q.stationIds === undefined || (r.stationId !== undefined && q.stationIds.includes(r.stationId))) &&
    (q.category === undefined || t.category === q.category) &&
    (q.stage === undefined || t.loop.stage === q.stage) &&
    (q.review === undefined || r.review === q.review) &&
    (q.spelling === undefined || r.spelling === q.spelling) &&
    (q.verdict === undefined || t.correlation?.verdict === q.verdict) &&
    (q.visitId === undefined || t.visitId === q.visitId)
  );
}

/** Callers get copies: nothing they do to a result changes the store. */
function clone<T>(x: T): T {
  return structuredClone(x);
}
