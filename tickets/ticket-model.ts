// The ticket domain (issue 5): a 12345 hotline ticket as this product keeps it — what the caller
// said, what we understood (category, compound → building → unit), how sure we are, and where
// the ticket stands in the closed loop 受理—分流—化解—督办—回访.
// Correlation with alerts (tickets/correlation/) is kept on the ticket (`correlation`); a proactive
// visit (visits/) that the ticket followed is linked by `visitId`.

export const CATEGORIES = ['heating-not-warm', 'heating-no-circulation', 'heating-leak', 'heating-other', 'non-heating'] as const;
export type TicketCategory = (typeof CATEGORIES)[number];

export function isHeating(c: TicketCategory): boolean {
  return c !== 'non-heating';
}

export const CHANNELS = ['phone', 'wechat', 'web', 'app', 'other'] as const;
export type TicketChannel = (typeof CHANNELS)[number];

/** How the ticket reached us: the JSON API or a hotline export file. */
export type TicketSource = 'api' | 'import';

/**
 * The closed loop, in order. A ticket only moves forward; a stage may be skipped (not every
 * ticket is supervised), and each reached stage keeps its time.
 */
export const STAGES = ['received', 'dispatched', 'resolved', 'supervised', 'followed-up'] as const;
export type LoopStage = (typeof STAGES)[number];

export interface LoopState {
  readonly stage: LoopStage;
  /** Epoch ms each stage was reached; `received` is the hotline's receipt time. */
  readonly at: Readonly<Partial<Record<LoopStage, number>>>;
  /** Who moved it to each stage (a username, or 'system'); absent for stages reached without one. */
  readonly by?: Readonly<Partial<Record<LoopStage, string>>>;
  /** Comments given with the moves, oldest first (bounded: MAX_LOOP_NOTES). */
  readonly notes?: readonly LoopNote[];
}

export interface LoopNote {
  readonly stage: LoopStage;
  readonly at: number;
  readonly by: string;
  readonly comment: string;
}

/** Who moves an item along the loop, and why. */
export interface LoopActor {
  readonly by: string;
  readonly comment?: string;
}

export const MAX_LOOP_NOTES = 20;

/**
 * Where the resolution stands:
 * - auto: resolved with confidence at or above the threshold
 * - needs-review: a heating ticket below the threshold: waits in the human queue
 * - confirmed: a person confirmed or corrected it (confidence 1)
 * - unresolved: a non-heating ticket below the threshold: kept, not queued (no heating action follows)
 */
export const REVIEW_STATUSES = ['auto', 'needs-review', 'confirmed', 'unresolved'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** How the compound was recognised (the strongest piece of evidence). */
export type MatchMethod = 'name' | 'alias' | 'learned' | 'abbrev' | 'homophone' | 'typo' | 'text' | 'street' | 'none' | 'human';

export interface Evidence {
  /** What kind of clue: a name match, a building number, a road, an ambiguity … */
  readonly kind: string;
  /** Short human-readable detail, quoting the caller's words. */
  readonly detail: string;
}

export interface Candidate {
  readonly compoundId: string;
  readonly score: number;
}

export interface Resolution {
  readonly review: ReviewStatus;
  readonly compoundId?: string;
  readonly stationId?: string;
  readonly primaryNetworkId?: string;
  readonly buildingId?: string;
  readonly unit?: number;
  readonly room?: string;
  /** In [0, 1]; 1 for a human confirmation. */
  readonly confidence: number;
  readonly method: MatchMethod;
  readonly evidence: readonly Evidence[];
  /** Best compounds, best first (at most a few); what the human queue offers. */
  readonly candidates: readonly Candidate[];
  /** The compound name as the caller spelled it (normalised), which a confirmation teaches. */
  readonly spelling?: string;
  /** Epoch ms of the human confirmation. */
  readonly confirmedAt?: number;
}

export interface Classification {
  readonly category: TicketCategory;
  /** Phrases that decided it, as found in the text. */
  readonly evidence: readonly Evidence[];
}

/** A ticket as received (validated), before understanding. */
export interface TicketInput {
  readonly externalId: string;
  readonly receivedAt: number;
  readonly text: string;
  readonly address: string;
  /** Normalised phone number; personal data. */
  readonly callerPhone?: string;
  readonly channel: TicketChannel;
}

export interface TicketRecord extends TicketInput {
  /** Our id: derived from the external id, URL-safe. */
  readonly id: string;
  readonly source: TicketSource;
  /** Epoch ms we stored it. */
  readonly ingestedAt: number;
  /** Digest of the received content: a second import of the same id with other content is a conflict. */
  readonly contentHash: string;
  readonly category: TicketCategory;
  readonly classification: Classification;
  readonly resolution: Resolution;
  readonly loop: LoopState;
  /** How telemetry explains it (heating tickets with a place); absent until correlated. */
  readonly correlation?: Correlation;
  /** The proactive visit to its compound that it followed (visits/). */
  readonly visitId?: string;
}

/**
 * - explained: an alert of its compound, station or primary network was active in the window
 *   around its receipt (a network cause);
 * - unexplained: none was (likely inside the home: send a crew to the flat);
 * - not-applicable: not a complaint telemetry can explain (non-heating, fees, refunds …);
 * - unplaced: no confident compound yet (waits for a person in the queue).
 */
export const VERDICTS = ['explained', 'unexplained', 'not-applicable', 'unplaced'] as const;
export type CorrelationVerdict = (typeof VERDICTS)[number];

/** Where the explaining alert sits relative to the ticket's compound. */
export type CorrelationLevel = 'compound' | 'station' | 'network';

export interface AlertLink {
  readonly alertId: string;
  readonly ruleId: string;
  /** Rule category (underheating, supply, equipment …). */
  readonly category: string;
  readonly level: CorrelationLevel;
  readonly entity: { readonly kind: string; readonly id: string };
  readonly openedAt: number;
  /** Event time the alert stopped being active; absent while it is. */
  readonly endedAt?: number;
  /** The rules' incident that groups it under a root cause. */
  readonly incidentId?: string;
}

export interface Correlation {
  readonly verdict: CorrelationVerdict;
  /** The alert that explains it best (verdict 'explained'). */
  readonly alert?: AlertLink;
  /** Other alerts that were active in the window (at most MAX_ALSO). */
  readonly also: readonly AlertLink[];
  /** What to do: fix the network (explained), visit the flat (unexplained), or nothing more. */
  readonly suggestion: 'network' | 'visit-flat' | 'none';
  /** The window searched: [receivedAt − before, receivedAt + after]. */
  readonly windowFrom: number;
  readonly windowTo: number;
  /** Epoch ms of this evaluation. */
  readonly evaluatedAt: number;
  /** The ticket incident (cluster of tickets from one compound or station) it belongs to. */
  readonly clusterId?: string;
}

/** What adding a ticket did: a new ticket, the same one again, or the same id with other content (first kept). */
export type AddOutcome = 'created' | 'duplicate' | 'conflict';

/** A spelling a person taught: next time it resolves to this compound automatically. */
export interface LearnedAlias {
  /** Normalised spelling (simplified characters, without 小区). */
  readonly spelling: string;
  readonly compoundId: string;
  readonly learnedAt: number;
  /** The ticket whose confirmation taught it. */
  readonly ticketId?: string;
}
