// A visit work order made from the alert that called for it: the compound, its crew, the homes
// to check first, why (the alert's evidence, in the crew's words), and by when.

import type { CompoundView } from '../domain/network';
import type { Station } from '../domain/network-schema';
import type { Alert } from '../rules/alert';
import { homesFirst } from './homes-first';
import { dueAt, type VisitDueTimes } from './visit-deadlines';
import type { Episode, Visit, VisitReason } from './visit-model';

const MAX_EVIDENCE = 8;

/** Readings as a person reads them: two decimals (17.899999999999995 → 17.9). */
function tidy<T>(v: T): T {
  return (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 100) / 100 : v) as T;
}

export function reasonOf(a: Alert): VisitReason {
  const items = [...a.evidence.items, ...a.evidence.show].slice(0, MAX_EVIDENCE);
  return {
    alertId: a.id,
    ruleId: a.ruleId,
    ruleName: a.ruleName,
    category: a.category,
    severity: a.severity,
    openedAt: a.openedAt,
    value: tidy(a.value),
    evidence: items.map((i) => ({
      signal: i.of === 'self' ? i.signal : `${i.signal} (${i.of})`,
      value: tidy(i.value),
      ...(i.op !== undefined ? { op: i.op } : {}),
      ...(i.threshold !== undefined && i.threshold !== null ? { threshold: tidy(i.threshold) } : {}),
    })),
    ...(a.incidentId !== undefined ? { incidentId: a.incidentId } : {}),
  };
}

export interface WorkOrderInput {
  readonly alert: Alert;
  readonly compound: CompoundView;
  readonly station: Station;
  readonly episode: Episode;
  /** Issue time (the planner's clock). */
  readonly at: number;
  readonly due: VisitDueTimes;
  readonly maxHomes?: number;
  /** Names a follow-up visit in the same episode (default: the episode start). */
  readonly idAt?: number;
}

export function workOrder(i: WorkOrderInput): Visit {
  const { alert: a, compound: c, station: s } = i;
  const tailZh = c.tailEnd ? '（末端）' : '';
  const tailEn = c.tailEnd ? ' (tail end)' : '';
  return {
    id: `v-${c.id}-${i.idAt ?? i.episode.start}`,
    compoundId: c.id,
    stationId: s.id,
    primaryNetworkId: s.primaryNetworkId,
    crew: s.crew,
    tailEnd: c.tailEnd,
    episodeId: i.episode.id,
    episodeStart: i.episode.start,
    receivedAt: i.at,
    dueAt: dueAt(a.severity, i.at, i.due),
    severity: a.severity,
    reasons: [reasonOf(a)],
    summary: { zh: `${c.name}${tailZh}：${a.ruleName.zh}`, en: `${c.nameEn ?? c.name}${tailEn}: ${a.ruleName.en}` },
    homes: homesFirst(c, i.maxHomes),
    loop: { stage: 'received', at: { received: i.at }, by: { received: 'system' } },
    ticketIds: [],
  };
}
