// The visit store port. Two implementations (memory-visit-store.ts, the reference; and
// duckdb-visit-store.ts, the embedded default) pass one contract suite (visit-store.contract.ts).
//
// Lifecycle: `connect()` once (creates tables), then any number of calls, possibly concurrent,
// then `close()` once; no call after `close`. Each call is atomic: a read-modify-write of one
// visit (evidence, outcome, loop move, ticket link) never loses a concurrent one.
// Callers: the visit planner (visits/visit-planner.ts) creates visits, adds evidence and keeps
// episodes; the visit service (visits/visit-service.ts) records outcomes and loop moves for the
// API and links complaints; the KPIs list visits and episodes.
//
// `create` is idempotent on the id: a visit already stored is returned unchanged ('duplicate').

import type { LoopActor, LoopStage } from '../tickets/ticket-model';
import type { Severity } from '../rules/severity';
import type { Episode, Visit, VisitOutcome, VisitReason } from './visit-model';

export const MAX_VISIT_PAGE = 500;
export const MAX_EPISODES = 10_000;

export interface VisitCursor {
  readonly receivedAt: number;
  readonly id: string;
}

export interface VisitQuery {
  readonly crew?: string;
  readonly stationId?: string;
  readonly compoundId?: string;
  /** Only these loop stages. */
  readonly stages?: readonly LoopStage[];
  /** Issued at or after / before, epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** Only visits whose station is one of these (a crew's scope). */
  readonly stationIds?: readonly string[];
  /** 1..MAX_VISIT_PAGE; newest first. */
  readonly limit: number;
  readonly after?: VisitCursor;
}

export interface VisitPage {
  readonly items: Visit[];
  readonly total: number;
  readonly next?: VisitCursor;
}

export interface EpisodeQuery {
  /** Episodes that started at or after / before, epoch ms. */
  readonly from?: number;
  readonly to?: number;
  readonly compoundId?: string;
  readonly stationId?: string;
  /** Only episodes not ended (true) or ended (false). */
  readonly open?: boolean;
  /** 1..MAX_EPISODES; oldest start first. */
  readonly limit: number;
}

export interface VisitStore {
  readonly name: string;
  connect(): Promise<void>;
  create(v: Visit): Promise<{ outcome: 'created' | 'duplicate'; visit: Visit }>;
  get(id: string): Promise<Visit | undefined>;
  list(q: VisitQuery): Promise<VisitPage>;
  /**
   * Adds or refreshes reasons (by alert id; the oldest beyond MAX_REASONS go), raises the
   * severity to at least `severity`, and brings `dueAt` forward to `dueAt` when earlier. NOT_FOUND.
   */
  addEvidence(id: string, reasons: readonly VisitReason[], severity: Severity, dueAt: number): Promise<Visit>;
  /**
   * Records what the crew found and moves the visit to `resolved` at `outcome.at` (unless it is
   * already there or beyond). NOT_FOUND; CONFLICT when an outcome is already recorded or the
   * time is before the visit's current stage.
   */
  recordOutcome(id: string, outcome: VisitOutcome): Promise<Visit>;
  /** As TicketStore.advance. NOT_FOUND, CONFLICT. */
  advance(id: string, stage: LoopStage, at: number, actor?: LoopActor): Promise<Visit>;
  /** Adds a complaint to the visit (once; at most MAX_LINKED kept). NOT_FOUND. */
  linkTicket(id: string, ticketId: string): Promise<Visit>;
  /** Upserts an episode by id. */
  putEpisode(e: Episode): Promise<void>;
  getEpisode(id: string): Promise<Episode | undefined>;
  listEpisodes(q: EpisodeQuery): Promise<Episode[]>;
  close(): Promise<void>;
}
