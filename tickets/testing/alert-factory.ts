// Alerts for correlation and visit tests, shaped as the rules engine emits them (rules/alert.ts),
// built by hand so these tests depend on nothing but the alert model.

import type { Alert } from '../../rules/alert';
import type { Category, Role } from '../../rules/rule-schema';
import type { Scope } from '../../rules/scope';
import type { Severity } from '../../rules/severity';

export interface AlertSpec {
  readonly ruleId?: string;
  readonly category?: Category;
  readonly role?: Role;
  readonly kind?: Scope;
  readonly entity: string;
  readonly stationId?: string;
  readonly primaryNetworkId?: string;
  readonly crew?: string;
  readonly openedAt: number;
  /** Event time it returned to normal; absent = still active. */
  readonly endedAt?: number;
  readonly severity?: Severity;
  readonly value?: number;
  readonly incidentId?: string;
}

export function makeAlert(s: AlertSpec): Alert {
  const ruleId = s.ruleId ?? 'underheat-indoor';
  const kind = s.kind ?? 'compound';
  const severity = s.severity ?? 'low';
  return {
    id: `${ruleId}@${kind}/${s.entity}@${s.openedAt}`,
    version: 1,
    ruleId,
    ruleName: { zh: ruleId, en: ruleId },
    category: s.category ?? 'underheating',
    role: s.role ?? 'symptom',
    entity: { kind, id: s.entity, name: s.entity },
    route: {
      ...(s.stationId !== undefined ? { stationId: s.stationId } : {}),
      ...(s.primaryNetworkId !== undefined ? { primaryNetworkId: s.primaryNetworkId } : {}),
      ...(s.crew !== undefined ? { crew: s.crew } : {}),
    },
    state: 'open',
    active: s.endedAt === undefined,
    severity,
    peakSeverity: severity,
    openedAt: s.openedAt,
    lastSeenAt: s.endedAt ?? s.openedAt,
    ...(s.endedAt !== undefined ? { returnedAt: s.endedAt } : {}),
    count: 1,
    value: s.value ?? 16.5,
    evidence: {
      from: s.openedAt - 3_600_000,
      to: s.openedAt,
      items: [{ signal: 'indoor_max', of: 'self', agg: 'mean', windowMs: 1_800_000, op: 'lt', threshold: 18, value: s.value ?? 16.5, result: 'true' }],
      show: [],
    },
    ...(s.incidentId !== undefined ? { incidentId: s.incidentId } : {}),
    history: [{ action: 'opened', by: 'system', at: s.openedAt }],
    historyDropped: 0,
  };
}
