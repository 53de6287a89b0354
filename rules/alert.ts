// The alert model, after ISA-18.2 alarm management: one alert per (rule, entity) while it is not
// cleared; repeats update it. `active` is the process condition; `state` is what operators did.
//
//   open ──ack──▶ acknowledged ──condition normal──▶ cleared
//    │  ╲                                              ▲
//    │   ╲─condition normal → stays open (returned, unacknowledged) ─ack / autoClear─┘
//    ├─shelve─▶ shelved ──expiry──▶ back (or cleared when normal)
//    └─chattering─▶ suppressed ──quiet for the window──▶ back (or cleared when normal)
//   any uncleared state ──operator clear──▶ cleared

import type { EvidenceItem } from './compile-condition';
import type { Category, Role } from './rule-schema';
import type { Scope } from './scope';
import type { Severity } from './severity';

export const ALERT_STATES = ['open', 'acknowledged', 'shelved', 'suppressed', 'cleared'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_ACTIONS = [
  'opened',
  'repeated',
  'escalated',
  'returned',
  'acknowledged',
  'commented',
  'shelved',
  'unshelved',
  'suppressed',
  'unsuppressed',
  'grouped',
  'cleared',
] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

export interface AlertHistoryEntry {
  readonly action: AlertAction;
  /** Operator name, or 'system' for the engine. */
  readonly by: string;
  /** Operator actions: wall-clock time; system actions: event time. Epoch ms. */
  readonly at: number;
  readonly comment?: string;
}

export interface Evidence {
  /** The window over which the condition held before the alert opened (event time). */
  readonly from: number;
  readonly to: number;
  /** Each comparison of the rule with its value and threshold at that moment. */
  readonly items: readonly EvidenceItem[];
  /** Extra signals the rule asks to show. */
  readonly show: readonly EvidenceItem[];
}

export interface OperatorNote {
  readonly by: string;
  readonly at: number;
  readonly comment?: string;
}

export interface Alert {
  /** `<rule>@<kind>/<entity>@<openedAt>`: the same input always gives the same ids. */
  readonly id: string;
  /** Bumped on every change; stores ignore a put older than what they hold. */
  version: number;
  readonly ruleId: string;
  readonly ruleName: { readonly zh: string; readonly en: string };
  readonly category: Category;
  readonly role: Role;
  readonly entity: { readonly kind: Scope; readonly id: string; readonly name: string };
  /** Where the alert belongs, for routing notifications to the station's crew. */
  readonly route: { readonly stationId?: string; readonly primaryNetworkId?: string; readonly crew?: string };
  state: AlertState;
  active: boolean;
  severity: Severity;
  peakSeverity: Severity;
  /** Event time the alert opened / was last evaluated / last returned to normal / cleared. */
  readonly openedAt: number;
  lastSeenAt: number;
  returnedAt?: number;
  clearedAt?: number;
  /** Activations folded into this alert. */
  count: number;
  /** Headline value at the last evaluation (e.g. indoor °C). */
  value: number | string | boolean | null;
  evidence: Evidence;
  shelvedUntil?: number;
  suppressedUntil?: number;
  /** State to return to when shelving or suppression ends. */
  resumeState?: 'open' | 'acknowledged';
  acknowledged?: OperatorNote;
  cleared?: OperatorNote;
  incidentId?: string;
  history: AlertHistoryEntry[];
  /** History entries dropped beyond the cap (oldest first). */
  historyDropped: number;
}

export const HISTORY_CAP = 50;

export function addHistory(a: Alert, entry: AlertHistoryEntry): void {
  a.history.push(entry);
  if (a.history.length > HISTORY_CAP) {
    a.history.splice(1, 1); // keep the opening entry, drop the oldest after it
    a.historyDropped++;
  }
}

export function cloneAlert(a: Alert): Alert {
  return structuredClone(a);
}

/** Alerts not cleared are "live": at most one per (rule, entity). */
export function isLive(a: Alert): boolean {
  return a.state !== 'cleared';
}
