// The ticket service: understands tickets (category, compound → building → unit) and keeps them.
//
// Lifecycle: the composition root connects a TicketStore, then `await TicketService.open(deps)`
// (loads the learned aliases into the resolver); listeners (the correlator, the visit linker)
// subscribe before traffic starts; the routes call intake/list/get/confirm/advance; the store is
// closed by the composition root after the API has stopped.
// Listeners hear of each created ticket and of each ticket a person placed, after it is stored,
// in order; the service awaits them (so a caller sees their effects), and a listener that
// throws is logged and counted, never failing the intake.
// Loss is never silent: every intake returns one outcome per ticket and logs counts — never a
// ticket's text, address or phone number.

import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import { classifyTicket } from './classify';
import { AddressResolver, AUTO_THRESHOLD, type AddressResolution } from './resolve-address';
import { contentHashOf, ticketId } from './ticket-identity';
import { isHeating, type AddOutcome, type LoopActor, type LoopStage, type Resolution, type TicketCategory, type TicketInput, type TicketRecord, type TicketSource } from './ticket-model';
import { MAX_PAGE, type TicketPage, type TicketQuery, type TicketStore } from './ticket-store';

export interface TicketServiceDeps {
  readonly network: NetworkModel;
  readonly store: TicketStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Confidence at or above which a resolution stands without a person (default AUTO_THRESHOLD). */
  readonly threshold?: number;
}

export interface IntakeResult {
  readonly id: string;
  readonly externalId: string;
  readonly outcome: AddOutcome;
  /** The ticket as understood now; for a duplicate or conflict, the stored one may differ. */
  readonly understood: TicketRecord;
}

export interface Confirmation {
  readonly compoundId: string;
  readonly buildingId?: string;
  readonly unit?: number;
  readonly room?: string;
  /** A person may also correct the category. */
  readonly category?: TicketCategory;
}

export interface ConfirmResult {
  readonly ticket: TicketRecord;
  /** The spelling now taught for the compound, when one was. */
  readonly learned?: string;
  /** Why nothing was taught, when nothing was. */
  readonly notLearned?: string;
  /** Queued tickets with the same spelling that now resolved by themselves. */
  readonly alsoResolved: number;
}

/** created: a new ticket was stored; placed: a person confirmed or corrected its place or category. */
export interface TicketEvent {
  readonly type: 'created' | 'placed';
  readonly ticket: TicketRecord;
}

export type TicketListener = (e: TicketEvent) => void | Promise<void>;

export class TicketService {
  readonly resolver: AddressResolver;
  readonly threshold: number;
  private readonly log: Logger;
  private readonly listeners: TicketListener[] = [];
  private listenerErrors = 0;

  private constructor(private readonly deps: TicketServiceDeps) {
    this.resolver = new AddressResolver(deps.network);
    this.threshold = deps.threshold ?? AUTO_THRESHOLD;
    this.log = deps.logger.child({ component: 'tickets' });
  }

  static async open(deps: TicketServiceDeps): Promise<TicketService> {
    const s = new TicketService(deps);
    let skipped = 0;
    for (const a of await deps.store.aliases()) {
      if (deps.network.compound(a.compoundId) === undefined) skipped++;
      else s.resolver.learn(a.spelling, a.compoundId);
    }
    if (skipped > 0) s.log.warn({ skipped }, 'learned aliases for compounds no longer in the network were not loaded');
    return s;
  }

  /** Classification and resolution of one validated ticket, not stored. */
  understand(input: TicketInput, source: TicketSource): TicketRecord {
    const classification = classifyTicket(input.text);
    const found = this.resolver.resolve(input.address, input.text);
    return {
      ...input,
      id: ticketId(input.externalId),
      source,
      ingestedAt: this.deps.clock.now(),
      contentHash: contentHashOf(input),
      category: classification.category,
      classification,
      resolution: this.resolutionOf(found, classification.category),
      loop: { stage: 'received', at: { received: input.receivedAt } },
    };
  }

  /** Hear of created and placed tickets; returns the unsubscribe function. */
  subscribe(listener: TicketListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Listener failures since start (each is logged). */
  get failedListenerCalls(): number {
    return this.listenerErrors;
  }

  async intake(inputs: readonly TicketInput[], source: TicketSource): Promise<IntakeResult[]> {
    const understood = inputs.map((i) => this.understand(i, source));
    const results = await this.deps.store.add(understood);
    const count = (o: AddOutcome): number => results.filter((r) => r.outcome === o).length;
    const queued = understood.filter((t, i) => results[i]?.outcome === 'created' && t.resolution.review === 'needs-review').length;
    this.log.info({ source, received: inputs.length, created: count('created'), duplicates: count('duplicate'), conflicts: count('conflict'), queued }, 'tickets received');
    for (let i = 0; i < results.length; i++) {
      const t = understood[i];
      if (results[i]?.outcome === 'created' && t !== undefined) await this.tell({ type: 'created', ticket: t });
    }
    return results.map((r, i) => ({ ...r, understood: understood[i] as TicketRecord }));
  }

  /**
   * Moves a ticket along the closed loop 受理—分流—化解—督办—回访 at `at` (default now), noting
   * who and why. Throws NOT_FOUND, or CONFLICT for a move backwards or into the past.
   */
  advance(id: string, stage: LoopStage, actor: LoopActor, at = this.deps.clock.now()): Promise<TicketRecord> {
    return this.deps.store.advance(id, stage, at, actor);
  }

  private async tell(e: TicketEvent): Promise<void> {
    for (const l of this.listeners) {
      try {
        await l(e);
      } catch (err) {
        this.listenerErrors++;
        this.log.error({ err, type: e.type, ticketId: e.ticket.id }, 'ticket listener failed');
      }
    }
  }

  get(id: string): Promise<TicketRecord | undefined> {
    return this.deps.store.get(id);
  }

  list(q: TicketQuery): Promise<TicketPage> {
    return this.deps.store.list(q);
  }

  /** The human queue: heating tickets below the threshold, oldest first. */
  queue(limit: number, after?: TicketQuery['after'], stationIds?: readonly string[]): Promise<TicketPage> {
    return this.deps.store.list({ review: 'needs-review', order: 'oldest', limit, ...(after ? { after } : {}), ...(stationIds ? { stationIds } : {}) });
  }

  /**
   * A person says where the ticket is. The resolution becomes 'confirmed' (confidence 1), and the
   * address's compound spelling is taught — unless it names no compound (street only) or is
   * already a listed name or alias (西城 belongs to five compounds: one answer must not claim it).
   */
  async confirm(id: string, c: Confirmation): Promise<ConfirmResult> {
    const t = await this.deps.store.get(id);
    if (t === undefined) throw new HeatError('NOT_FOUND', `params.id: no ticket ${id}`);
    const compound = this.deps.network.compound(c.compoundId);
    if (compound === undefined) throw new HeatError('UNKNOWN_ENTITY', `body.compoundId: no compound "${c.compoundId}" in the network model`);
    const building = c.buildingId === undefined ? undefined : compound.buildings.find((b) => b.id === c.buildingId);
    if (c.buildingId !== undefined && building === undefined) throw new HeatError('BAD_REQUEST', `body.buildingId: "${c.buildingId}" is not a building of ${compound.id}`);
    if (c.unit !== undefined && (building === undefined || c.unit > building.units)) {
      throw new HeatError('BAD_REQUEST', building === undefined ? 'body.unit: give buildingId with unit' : `body.unit: ${building.name} has ${building.units} units`);
    }
    if (c.room !== undefined && c.unit === undefined) throw new HeatError('BAD_REQUEST', 'body.room: give unit with room');
    const now = this.deps.clock.now();
    const spelling = this.resolver.spellingOf(t.address);
    const resolution: Resolution = {
      review: 'confirmed',
      compoundId: compound.id,
      stationId: compound.stationId,
      ...this.networkOf(compound.stationId),
      ...(building ? { buildingId: building.id } : {}),
      ...(c.unit !== undefined ? { unit: c.unit } : {}),
      ...(c.room !== undefined ? { room: c.room } : {}),
      confidence: 1,
      method: 'human',
      evidence: [{ kind: 'human', detail: 'confirmed by a person' }, ...t.resolution.evidence],
      candidates: t.resolution.candidates,
      spelling,
      confirmedAt: now,
    };
    const ticket = await this.deps.store.setResolution(id, resolution, c.category);
    await this.tell({ type: 'placed', ticket });

    const why = this.whyNotLearn(spelling, compound.id);
    if (why !== undefined) return { ticket, notLearned: why, alsoResolved: 0 };
    this.resolver.learn(spelling, compound.id);
    await this.deps.store.learnAlias({ spelling, compoundId: compound.id, learnedAt: now, ticketId: id });
    const alsoResolved = await this.settleQueue(spelling);
    this.log.info({ compoundId: compound.id, alsoResolved }, 'alias learned from a confirmation');
    return { ticket, learned: spelling, alsoResolved };
  }

  private whyNotLearn(spelling: string, compoundId: string): string | undefined {
    if ([...spelling].length < 2) return 'the address names no compound (street only or too short)';
    const owners = this.resolver.listedOwners(spelling);
    if (owners.includes(compoundId) && owners.length === 1) return 'already a listed name of this compound';
    if (owners.length > 0) return `a listed name or alias of ${owners.filter((o) => o !== compoundId).join(', ')}: one answer does not settle it`;
    return undefined;
  }

  /** Re-resolves queued tickets with this spelling; those now confident leave the queue. */
  private async settleQueue(spelling: string): Promise<number> {
    const page = await this.deps.store.list({ review: 'needs-review', spelling, limit: MAX_PAGE, order: 'oldest' });
    let settled = 0;
    for (const t of page.items) {
      const r = this.resolutionOf(this.resolver.resolve(t.address, t.text), t.category);
      if (r.review !== 'auto') continue;
      const placed = await this.deps.store.setResolution(t.id, r);
      await this.tell({ type: 'placed', ticket: placed });
      settled++;
    }
    return settled;
  }

  private resolutionOf(found: AddressResolution, category: TicketCategory): Resolution {
    const compound = found.compoundId === undefined ? undefined : this.deps.network.compound(found.compoundId);
    const confident = compound !== undefined && found.confidence >= this.threshold;
    const review = confident ? 'auto' : isHeating(category) ? 'needs-review' : 'unresolved';
    // Only a confident answer names the place: lists, counts and correlation must not take a
    // guess for a fact. The guesses stay in `candidates` for the person who decides.
    const place = confident
      ? {
          compoundId: compound.id,
          stationId: compound.stationId,
          ...this.networkOf(compound.stationId),
          ...(found.buildingId !== undefined ? { buildingId: found.buildingId } : {}),
          ...(found.unit !== undefined ? { unit: found.unit } : {}),
          ...(found.room !== undefined ? { room: found.room } : {}),
        }
      : {};
    return {
      review,
      ...place,
      confidence: found.confidence,
      method: found.method,
      evidence: found.evidence,
      candidates: found.candidates,
      spelling: found.spelling,
    };
  }

  private networkOf(stationId: string): { primaryNetworkId?: string } {
    const s = this.deps.network.station(stationId);
    return s ? { primaryNetworkId: s.primaryNetworkId } : {};
  }
}
