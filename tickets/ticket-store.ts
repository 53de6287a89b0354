// The ticket store port. Two implementations (memory-ticket-store.ts, the reference; and
// duckdb-ticket-store.ts, the embedded default) pass one contract suite (ticket-store.contract.ts).
//
// Lifecycle: `connect()` once (creates tables), then any number of calls, possibly concurrent,
// then `close()` once; no call after `close`.
// Callers: the ticket service (tickets/ticket-service.ts) is the only writer — it adds tickets it
// has understood, replaces a resolution when a person confirms it, moves tickets along the closed
// loop, and records learned aliases. The API reads through the service. The correlator
// (tickets/correlation/) is the only writer of `correlation`; the visit linker (visits/) of
// `visitId`; the KPIs read with `list`.
//
// `add` is idempotent on the external id: a ticket whose external id is already stored changes
// nothing; it is reported as 'duplicate' (same content) or 'conflict' (other content; the first
// one stays). Each call's tickets become visible together. Phone numbers are stored as given;
// masking is the API's job (tickets/personal-data.ts). Implementations never log ticket contents.

import type { AddOutcome, Correlation, CorrelationVerdict, LearnedAlias, LoopActor, LoopStage, Resolution, ReviewStatus, TicketCategory, TicketRecord } from './ticket-model';

/** Largest page `list` returns. */
export const MAX_PAGE = 500;

export interface TicketCursor {
  readonly receivedAt: number;
  readonly id: string;
}

export interface TicketQuery {
  /** Received at or after, epoch ms. */
  readonly from?: number;
  /** Received before, epoch ms. */
  readonly to?: number;
  readonly compoundId?: string;
  readonly stationId?: string;
  /** Only tickets placed at one of these stations (a crew's scope); an empty list matches none. */
  readonly stationIds?: readonly string[];
  readonly category?: TicketCategory;
  readonly stage?: LoopStage;
  readonly review?: ReviewStatus;
  /** Only tickets whose resolution spelling is this (the queue items a lesson may settle). */
  readonly spelling?: string;
  /** Correlation verdict; tickets never correlated match none. */
  readonly verdict?: CorrelationVerdict;
  /** Tickets linked to this visit. */
  readonly visitId?: string;
  /** newest: received time descending (default); oldest: ascending, as a work queue is served. */
  readonly order?: 'newest' | 'oldest';
  /** 1..MAX_PAGE. */
  readonly limit: number;
  /** Continue after this ticket (the `next` of the previous page). */
  readonly after?: TicketCursor;
}

export interface TicketPage {
  readonly items: TicketRecord[];
  /** How many tickets match the filters (all pages). */
  readonly total: number;
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: TicketCursor;
}

export interface AddResult {
  readonly id: string;
  readonly externalId: string;
  readonly outcome: AddOutcome;
}

export interface TicketStore {
  readonly name: string;
  connect(): Promise<void>;
  /** One result per ticket, in order. */
  add(tickets: readonly TicketRecord[]): Promise<AddResult[]>;
  get(id: string): Promise<TicketRecord | undefined>;
  list(q: TicketQuery): Promise<TicketPage>;
  /**
   * Replaces the resolution (and the category, when given). Throws HeatError NOT_FOUND.
   * `resolution.stationId/primaryNetworkId` are stored as given: the caller derives them.
   */
  setResolution(id: string, resolution: Resolution, category?: TicketCategory): Promise<TicketRecord>;
  /**
   * Moves the ticket forward to `stage` at `at` (stages may be skipped, never revisited), noting
   * who did it and their comment when `actor` is given. Throws NOT_FOUND, or CONFLICT when the
   * stage is not ahead of the current one or `at` is earlier than the time of the stage reached before.
   */
  advance(id: string, stage: LoopStage, at: number, actor?: LoopActor): Promise<TicketRecord>;
  /** Replaces the correlation. Throws NOT_FOUND. */
  setCorrelation(id: string, correlation: Correlation): Promise<void>;
  /** Links the ticket to a visit (a later link replaces an earlier one). Throws NOT_FOUND. */
  linkVisit(id: string, visitId: string): Promise<void>;
  /** Records a lesson; a later lesson for the same spelling replaces it. */
  learnAlias(a: LearnedAlias): Promise<void>;
  aliases(): Promise<LearnedAlias[]>;
  close(): Promise<void>;
}
