// What correlation needs of an alert: where it is, what kind of rule raised it, and when it was
// active (event time). Alerts arrive as engine events or from the alert store; either way they
// are reduced to this, so the correlator keeps no operator state and no evidence.

import type { Alert } from '../../rules/alert';

export interface AlertSpan {
  readonly id: string;
  readonly ruleId: string;
  /** Rule category (rules/rule-schema.ts CATEGORIES). */
  readonly category: string;
  readonly role: string;
  readonly entityKind: string;
  readonly entityId: string;
  readonly stationId?: string;
  readonly primaryNetworkId?: string;
  readonly incidentId?: string;
  readonly severity: string;
  readonly openedAt: number;
  /** Event time the condition stopped (returned to normal, or cleared); undefined while active. */
  readonly endedAt?: number;
}

export function spanOf(a: Alert): AlertSpan {
  const ended = a.state === 'cleared' ? (a.clearedAt ?? a.returnedAt ?? a.lastSeenAt) : a.active ? undefined : (a.returnedAt ?? a.lastSeenAt);
  return {
    id: a.id,
    ruleId: a.ruleId,
    category: a.category,
    role: a.role,
    entityKind: a.entity.kind,
    entityId: a.entity.id,
    ...(a.route.stationId !== undefined ? { stationId: a.route.stationId } : {}),
    ...(a.route.primaryNetworkId !== undefined ? { primaryNetworkId: a.route.primaryNetworkId } : {}),
    ...(a.incidentId !== undefined ? { incidentId: a.incidentId } : {}),
    severity: a.severity,
    openedAt: a.openedAt,
    ...(ended !== undefined ? { endedAt: ended } : {}),
  };
}

/** The span was active at some time in [from, to]. */
export function activeWithin(s: AlertSpan, from: number, to: number): boolean {
  return s.openedAt <= to && (s.endedAt === undefined || s.endedAt >= from);
}
