// Events the engine emits for notifications (socket.io, MQTT alert topic, webhooks) and the UI.
// Each carries a snapshot the listener may keep. Listeners must not throw or block.

import type { Alert, AlertAction } from './alert';
import type { Incident } from './incident';

export const ALERT_EVENT_TYPES = ['alert.opened', 'alert.updated', 'alert.acknowledged', 'alert.cleared', 'alert.shelved'] as const;
export const INCIDENT_EVENT_TYPES = ['incident.opened', 'incident.updated'] as const;

export type AlertEvent = {
  readonly type: (typeof ALERT_EVENT_TYPES)[number];
  readonly alert: Alert;
  /** What changed (repeated, escalated, returned, suppressed, grouped, …). */
  readonly reason: AlertAction;
};

export type IncidentEvent = {
  readonly type: (typeof INCIDENT_EVENT_TYPES)[number];
  readonly incident: Incident;
};

export type RulesEvent = AlertEvent | IncidentEvent;

/**
 * Notifiers should stay quiet for alerts that are shelved or suppressed, and for alerts that
 * belong to an incident (`alert.incidentId`): the incident speaks for them.
 */
export function shouldNotify(e: RulesEvent): boolean {
  if ('incident' in e) return e.incident.state === 'open' || e.type === 'incident.opened';
  const a = e.alert;
  return a.state !== 'shelved' && a.state !== 'suppressed' && a.incidentId === undefined;
}
