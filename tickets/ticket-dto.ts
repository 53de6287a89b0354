// A ticket as the API shows it: the phone masked unless the role may see it, names beside ids
// for the UI, times as epoch ms plus Shanghai wall time. Text and address are returned exactly as
// received (data, never markup: rendering safely is the page's job).

import type { NetworkModel } from '../domain/network';
import { canSeePersonalData as defaultPolicy, maskPhone, type Role } from './personal-data';
import { loopTimeliness, type LoopDeadlines, type LoopTimeliness } from './loop-deadlines';
import { formatShanghai } from './received-time';
import type { Candidate, Correlation, Evidence, LoopState, MatchMethod, ReviewStatus, TicketCategory, TicketChannel, TicketRecord, TicketSource } from './ticket-model';

export interface CandidateDto extends Candidate {
  readonly compoundName: string;
}

export interface ResolutionDto {
  readonly review: ReviewStatus;
  readonly compoundId?: string;
  readonly compoundName?: string;
  readonly stationId?: string;
  readonly stationName?: string;
  readonly primaryNetworkId?: string;
  readonly buildingId?: string;
  readonly buildingName?: string;
  readonly unit?: number;
  readonly room?: string;
  readonly confidence: number;
  readonly method: MatchMethod;
  readonly evidence: readonly Evidence[];
  readonly candidates: readonly CandidateDto[];
  readonly spelling?: string;
  readonly confirmedAt?: number;
}

export interface TicketDto {
  readonly id: string;
  readonly externalId: string;
  readonly receivedAt: number;
  /** Shanghai wall time, "YYYY-MM-DD HH:mm:ss". */
  readonly receivedAtLocal: string;
  readonly text: string;
  readonly address: string;
  /** Masked (138****5678) unless the caller's role may see personal data. */
  readonly callerPhone?: string;
  readonly callerPhoneMasked: boolean;
  readonly channel: TicketChannel;
  readonly source: TicketSource;
  readonly category: TicketCategory;
  readonly categoryEvidence: readonly Evidence[];
  readonly resolution: ResolutionDto;
  readonly loop: LoopState;
  /** Due times and overdue flags of the closed loop, now (when the route knows the deadlines). */
  readonly timeliness?: LoopTimeliness;
  /** How telemetry explains it (tickets/correlation/); absent until correlated. */
  readonly correlation?: Correlation;
  /** The proactive visit it followed. */
  readonly visitId?: string;
}

/** The closed loop's deadlines and the time to judge them at. */
export interface LoopTiming {
  readonly deadlines: LoopDeadlines;
  readonly now: number;
}

export function ticketDto(network: NetworkModel, t: TicketRecord, role: Role, policy: (r: Role) => boolean = defaultPolicy, timing?: LoopTiming): TicketDto {
  const r = t.resolution;
  const c = r.compoundId === undefined ? undefined : network.compound(r.compoundId);
  const s = r.stationId === undefined ? undefined : network.station(r.stationId);
  const b = r.buildingId === undefined ? undefined : c?.buildings.find((x) => x.id === r.buildingId);
  const see = policy(role);
  return {
    id: t.id,
    externalId: t.externalId,
    receivedAt: t.receivedAt,
    receivedAtLocal: formatShanghai(t.receivedAt),
    text: t.text,
    address: t.address,
    ...(t.callerPhone === undefined ? {} : { callerPhone: see ? t.callerPhone : maskPhone(t.callerPhone) }),
    callerPhoneMasked: t.callerPhone !== undefined && !see,
    channel: t.channel,
    source: t.source,
    category: t.category,
    categoryEvidence: t.classification.evidence,
    resolution: {
      review: r.review,
      ...(r.compoundId !== undefined ? { compoundId: r.compoundId, compoundName: c?.name ?? r.compoundId } : {}),
      ...(r.stationId !== undefined ? { stationId: r.stationId, stationName: s?.name ?? r.stationId } : {}),
      ...(r.primaryNetworkId !== undefined ? { primaryNetworkId: r.primaryNetworkId } : {}),
      ...(r.buildingId !== undefined ? { buildingId: r.buildingId, buildingName: b?.name ?? r.buildingId } : {}),
      ...(r.unit !== undefined ? { unit: r.unit } : {}),
      ...(r.room !== undefined ? { room: r.room } : {}),
      confidence: r.confidence,
      method: r.method,
      evidence: r.evidence,
      candidates: r.candidates.map((x) => ({ ...x, compoundName: network.compound(x.compoundId)?.name ?? x.compoundId })),
      ...(r.spelling !== undefined ? { spelling: r.spelling } : {}),
      ...(r.confirmedAt !== undefined ? { confirmedAt: r.confirmedAt } : {}),
    },
    loop: t.loop,
    ...(timing !== undefined ? { timeliness: loopTimeliness(t.loop, t.receivedAt, timing.deadlines, timing.now) } : {}),
    ...(t.correlation !== undefined ? { correlation: t.correlation } : {}),
    ...(t.visitId !== undefined ? { visitId: t.visitId } : {}),
  };
}
