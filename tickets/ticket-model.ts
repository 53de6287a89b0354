// The ticket domain (issue 5): a 12345 hotline ticket as this product keeps it — what the caller
// said, what we understood (category, compound → building → unit), how sure we are, and where
// the ticket stands in the closed loop 受理—分流—化解—督办—回访.
// Correlation with alerts, incidents and proactive visits come later; they will link to
// tickets by `id` and read `resolution.compoundId/stationId/primaryNetworkId`.

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
}

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
