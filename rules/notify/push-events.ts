// What the dashboard receives over socket.io for alerts and incidents (api/dto.ts lists them
// among the server-to-client events): every alert and incident event, with its snapshot.

import type { Alert, AlertAction } from '../alert';
import type { AlertEvent, IncidentEvent } from '../events';
import type { Incident } from '../incident';

/** socket.io event `alert`. */
export interface AlertPushEvent {
  readonly type: AlertEvent['type'];
  /** What changed (opened, repeated, escalated, acknowledged, grouped, …). */
  readonly reason: AlertAction;
  readonly alert: Alert;
}

/** socket.io event `incident`. */
export interface IncidentPushEvent {
  readonly type: IncidentEvent['type'];
  readonly incident: Incident;
}
