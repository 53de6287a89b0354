// An incident groups the alerts one root cause explains (ISA-18.2's answer to alarm floods):
// a primary network whose supply dropped, or a station whose pump tripped, with the stations
// and compounds it dragged down as children.

import type { Scope } from './scope';
import type { Severity } from './severity';

export const INCIDENT_STATES = ['open', 'resolved', 'merged'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export interface Incident {
  /** `inc@<kind>/<id>@<openedAt>`. */
  readonly id: string;
  version: number;
  readonly root: { readonly kind: Extract<Scope, 'primary' | 'station'>; readonly id: string; readonly name: string };
  state: IncidentState;
  /** The incident it was folded into when its station became part of a network incident. */
  mergedInto?: string;
  readonly openedAt: number;
  updatedAt: number;
  resolvedAt?: number;
  severity: Severity;
  /** Alerts at the root that explain the rest (the causes). */
  causeAlertIds: string[];
  /** Every alert that has belonged to it, causes included. */
  alertIds: string[];
  /** Alerts of it that are not cleared now. */
  liveAlertIds: string[];
  stationIds: string[];
  compoundIds: string[];
  route: { readonly primaryNetworkId?: string; readonly crews: readonly string[] };
}
