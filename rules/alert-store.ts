// The alert store port: persistence and history of alerts and incidents. The rules engine keeps
// live alerts in memory and is the only writer; the API reads history from here.
//
// Lifecycle: `open()` once, then any number of put/get/list calls, then `close()` once; no call
// after `close`. The engine serialises its puts (one after another, in change order), so an
// implementation needs no locking for writes; reads may run concurrently with writes.
//
// `putAlert` / `putIncident` are upserts keyed by id and resolve when durable. A put whose
// `version` is lower than the stored one is ignored (a late retry must not roll an alert back).
// Implementations: alert-store-memory.ts (reference) and alert-store-duckdb.ts (the app's, in
// `<HEAT_DATA_DIR>/alerts.duckdb`), both tested by the contract suite (alert-store.contract.ts).

import type { Alert, AlertState } from './alert';
import type { Incident, IncidentState } from './incident';
import type { Category } from './rule-schema';
import type { Severity } from './severity';

export const MAX_QUERY_LIMIT = 10_000;
export const DEFAULT_QUERY_LIMIT = 1_000;

export interface AlertQuery {
  readonly states?: readonly AlertState[];
  readonly ruleId?: string;
  readonly entityId?: string;
  readonly stationId?: string;
  readonly crew?: string;
  readonly incidentId?: string;
  /** Current severity among these. */
  readonly severities?: readonly Severity[];
  readonly category?: Category;
  readonly primaryNetworkId?: string;
  /** Alerts live at some time in [from, to): opened before `to`, not cleared before `from`. */
  readonly from?: number;
  readonly to?: number;
  /** Default 1000, at most 10 000. */
  readonly limit?: number;
}

export interface IncidentQuery {
  readonly states?: readonly IncidentState[];
  readonly from?: number;
  readonly to?: number;
  readonly limit?: number;
}

export interface AlertStore {
  readonly name: string;
  open(): Promise<void>;
  putAlert(alert: Alert): Promise<void>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** Newest `openedAt` first (ties by id). */
  listAlerts(q?: AlertQuery): Promise<Alert[]>;
  /** How many alerts match `q`, ignoring its limit. */
  countAlerts(q?: AlertQuery): Promise<number>;
  putIncident(incident: Incident): Promise<void>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Newest `openedAt` first (ties by id). */
  listIncidents(q?: IncidentQuery): Promise<Incident[]>;
  close(): Promise<void>;
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit <= 0) return DEFAULT_QUERY_LIMIT;
  return Math.min(MAX_QUERY_LIMIT, Math.floor(limit));
}

/** The reference meaning of an AlertQuery's filters (its limit aside), for in-memory lists. */
export function matchesAlertQuery(a: Alert, q: AlertQuery): boolean {
  if (q.states !== undefined && !q.states.includes(a.state)) return false;
  if (q.ruleId !== undefined && a.ruleId !== q.ruleId) return false;
  if (q.entityId !== undefined && a.entity.id !== q.entityId) return false;
  if (q.stationId !== undefined && a.route.stationId !== q.stationId) return false;
  if (q.crew !== undefined && a.route.crew !== q.crew) return false;
  if (q.incidentId !== undefined && a.incidentId !== q.incidentId) return false;
  if (q.severities !== undefined && !q.severities.includes(a.severity)) return false;
  if (q.category !== undefined && a.category !== q.category) return false;
  if (q.primaryNetworkId !== undefined && a.route.primaryNetworkId !== q.primaryNetworkId) return false;
  if (q.to !== undefined && a.openedAt >= q.to) return false;
  if (q.from !== undefined && a.clearedAt !== undefined && a.clearedAt < q.from) return false;
  return true;
}
