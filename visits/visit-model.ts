// 未诉先办 — proactive visits. When the rules see a compound going cold (measured, estimated from
// its heat meter, hydraulically starved, or predicted) and nobody has complained yet, the
// station's crew gets a work order: which compound, which homes first, why, by when. The crew
// records what it found. Visits go round the same closed loop as tickets
// (受理—分流—化解—督办—回访): received = the work order issued and assigned to the crew;
// dispatched = the crew has taken it and is on its way; resolved = the outcome is recorded;
// supervised and followed-up as for tickets.
//
// An under-heating episode is a compound's spell of live under-heating alerts; alerts that
// come back within the episode gap belong to the same episode. One open visit per compound per
// episode; a complaint already open when the episode begins means the crew is going anyway
// (the episode is "ticket first" and no visit is made).

import type { Severity } from '../rules/severity';
import type { LoopState } from '../tickets/ticket-model';

export const VISIT_CAUSES = ['network', 'in-home', 'none'] as const;
/** What the crew found: the network (station, pipes, valves), the home itself, or nothing wrong. */
export type VisitCause = (typeof VISIT_CAUSES)[number];

export const VISIT_RESULTS = ['fixed', 'escalated', 'nothing-to-fix'] as const;
/** fixed on the spot; escalated (to the station, the plant, a repair team); or nothing to fix. */
export type VisitResult = (typeof VISIT_RESULTS)[number];

/** One alert behind a visit, as the crew needs it: what, where, how bad, the numbers. */
export interface VisitReason {
  readonly alertId: string;
  readonly ruleId: string;
  readonly ruleName: { readonly zh: string; readonly en: string };
  readonly category: string;
  readonly severity: Severity;
  readonly openedAt: number;
  /** Headline value (indoor °C, estimated °C, hours to the crossing …). */
  readonly value: number | string | boolean | null;
  /** The rule's comparisons when it opened: signal, value, threshold. */
  readonly evidence: readonly { readonly signal: string; readonly value: number | string | boolean | null; readonly op?: string; readonly threshold?: unknown }[];
  readonly incidentId?: string;
}

export const HOME_REASONS = ['far-building', 'top-floor', 'end-unit', 'ground-floor'] as const;
export type HomeReason = (typeof HOME_REASONS)[number];

/** Homes to check first: the flats that go cold first. */
export interface HomeTarget {
  readonly rank: number;
  readonly buildingId: string;
  readonly buildingName: string;
  readonly unit: number;
  readonly floor: number;
  /** Room numbers as residents say them ("601"). */
  readonly rooms: readonly string[];
  readonly reasons: readonly HomeReason[];
}

export interface VisitOutcome {
  /** Indoor temperature measured in the home, °C. */
  readonly indoorC?: number;
  readonly cause: VisitCause;
  readonly result: VisitResult;
  readonly comment?: string;
  readonly by: string;
  readonly at: number;
}

export interface Visit {
  /** `v-<compoundId>-<episode start>`: the same episode always gives the same id. */
  readonly id: string;
  readonly compoundId: string;
  readonly stationId: string;
  readonly primaryNetworkId?: string;
  /** The station's crew (network model `crew`). */
  readonly crew: string;
  readonly tailEnd: boolean;
  /** Episode this visit answers (its id) and its start. */
  readonly episodeId: string;
  readonly episodeStart: number;
  /** Work order issued (受理), epoch ms. */
  readonly receivedAt: number;
  /** Due by (severity decides); an escalation brings it forward, never back. */
  readonly dueAt: number;
  readonly severity: Severity;
  /** Why: the alerts, newest evidence last (at most MAX_REASONS). */
  readonly reasons: readonly VisitReason[];
  readonly summary: { readonly zh: string; readonly en: string };
  readonly homes: readonly HomeTarget[];
  readonly loop: LoopState;
  readonly outcome?: VisitOutcome;
  /** Complaints from the compound that came after the visit was issued (at most MAX_LINKED). */
  readonly ticketIds: readonly string[];
}

export const MAX_REASONS = 10;
export const MAX_LINKED = 200;

export interface Episode {
  /** `ep@<compoundId>@<start>`. */
  readonly id: string;
  readonly compoundId: string;
  readonly stationId: string;
  /** Opening of its first alert (event time). */
  readonly start: number;
  /** Event time of the last alert change seen in it. */
  readonly lastAlertAt: number;
  /** When its alerts went quiet for good (the gap passed); absent while open. */
  readonly end?: number;
  /** Some alert measured or estimated under-heating (not only predicted it). */
  readonly underheating: boolean;
  readonly alertIds: readonly string[];
  readonly visitId?: string;
  readonly visitAt?: number;
  /** The first cold complaint from the compound in the episode (or open when it began). */
  readonly firstTicketId?: string;
  readonly firstTicketAt?: number;
  /** A complaint was already open when the episode began: no visit was made. */
  readonly ticketFirst: boolean;
}

export const MAX_EPISODE_ALERTS = 50;
