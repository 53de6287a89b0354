// What the API asks of alerts: lists, one alert, incidents, the overview summary and operator
// actions. Live alerts (not cleared) come from the engine's memory — the truth, and current to
// the last instant — cleared ones from the AlertStore. Operator actions go through the engine
// (it owns the lifecycle); only a comment on an alert the engine has forgotten (cleared long ago)
// is written to the store directly, with its version bumped.
//
// Lifecycle: built once the engine and the (open) store exist; used by api/routes/alerts-route.ts.

import { HeatError } from '../domain/errors';
import { addHistory, type Alert, type AlertState } from './alert';
import { clampLimit, matchesAlertQuery, type AlertQuery, type AlertStore } from './alert-store';
import type { RulesEngine } from './engine';
import type { Incident } from './incident';
import type { Category } from './rule-schema';
import { maxSeverity, type Severity } from './severity';

/** `active` = every state but cleared. */
export const STATE_FILTERS = ['open', 'acknowledged', 'shelved', 'suppressed', 'cleared', 'active'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

const LIVE_STATES: readonly AlertState[] = ['open', 'acknowledged', 'shelved', 'suppressed'];

export interface AlertListQuery {
  readonly states: readonly StateFilter[];
  readonly severities?: readonly Severity[];
  readonly category?: Category;
  readonly ruleId?: string;
  readonly stationId?: string;
  readonly primaryNetworkId?: string;
  readonly crew?: string;
  readonly limit: number;
}

/** What a request may see: everything, or the alerts of one crew's stations. */
export type AlertScope = { readonly kind: 'all' } | { readonly kind: 'crew'; readonly crew: string | undefined; readonly stations: ReadonlySet<string> };

export interface AlertSummary {
  /** Unacknowledged alerts (state open). */
  readonly open: number;
  /** Alerts operators should see now: open or acknowledged (not shelved, suppressed or cleared). */
  readonly active: number;
  readonly acknowledged: number;
  /** Of the active alerts, by current severity. */
  readonly bySeverity: Record<Severity, number>;
  /** Worst current severity of the active alerts at each station (its compounds included). */
  readonly byStation: Record<string, Severity>;
  readonly byCompound: Record<string, Severity>;
  /** Open incidents. */
  readonly incidents: number;
}

const newestFirst = (a: Alert, b: Alert): number => b.openedAt - a.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function inScope(scope: AlertScope, a: Alert): boolean {
  return scope.kind === 'all' || (a.route.stationId !== undefined && scope.stations.has(a.route.stationId));
}

function incidentInScope(scope: AlertScope, i: Incident): boolean {
  return scope.kind === 'all' || i.stationIds.some((s) => scope.stations.has(s));
}

export class AlertService {
  constructor(
    private readonly engine: RulesEngine,
    private readonly store: AlertStore,
    private readonly now: () => number,
  ) {}

  async list(q: AlertListQuery, scope: AlertScope): Promise<{ items: Alert[]; total: number }> {
    const states = new Set<AlertState>(q.states.flatMap((s) => (s === 'active' ? LIVE_STATES : [s])));
    const limit = Math.max(1, Math.floor(q.limit));
    const filter: AlertQuery = {
      ...(q.severities === undefined ? {} : { severities: q.severities }),
      ...(q.category === undefined ? {} : { category: q.category }),
      ...(q.ruleId === undefined ? {} : { ruleId: q.ruleId }),
      ...(q.stationId === undefined ? {} : { stationId: q.stationId }),
      ...(q.primaryNetworkId === undefined ? {} : { primaryNetworkId: q.primaryNetworkId }),
      ...(q.crew === undefined ? {} : { crew: q.crew }),
    };
    const live = this.engine
      .alerts()
      .filter((a) => states.has(a.state) && matchesAlertQuery(a, filter) && inScope(scope, a))
      .sort(newestFirst);
    if (!states.has('cleared')) return { items: live.slice(0, limit), total: live.length };
    // Cleared alerts live in the store. A crew sees its own crew's (route.crew) only.
    const crew = scope.kind === 'crew' ? scope.crew : q.crew;
    const otherCrew = scope.kind === 'crew' && (scope.crew === undefined || (q.crew !== undefined && q.crew !== scope.crew));
    if (otherCrew) return { items: live.slice(0, limit), total: live.length };
    const cleared: AlertQuery = { ...filter, states: ['cleared'], ...(crew === undefined ? {} : { crew }), limit: clampLimit(limit) };
    const [stored, storedTotal] = await Promise.all([this.store.listAlerts(cleared), this.store.countAlerts(cleared)]);
    const liveIds = new Set(live.map((a) => a.id));
    const merged = [...live, ...stored.filter((a) => !liveIds.has(a.id))].sort(newestFirst);
    return { items: merged.slice(0, limit), total: live.length + storedTotal };
  }

  /** The engine's copy when it holds the alert (live or recently cleared), else the store's. */
  async get(id: string, scope: AlertScope): Promise<Alert> {
    const a = this.engine.alert(id) ?? (await this.store.getAlert(id));
    if (a === undefined || !inScope(scope, a)) throw new HeatError('NOT_FOUND', `alert ${id}`);
    return a;
  }

  async incidents(activeOnly: boolean, scope: AlertScope, limit = 200): Promise<Incident[]> {
    const fromEngine = this.engine.incidents();
    const byId = new Map<string, Incident>();
    for (const i of fromEngine) byId.set(i.id, i);
    if (!activeOnly) {
      for (const i of await this.store.listIncidents({ limit })) {
        const held = byId.get(i.id);
        if (held === undefined || held.version < i.version) byId.set(i.id, i);
      }
    }
    return [...byId.values()]
      .filter((i) => (!activeOnly || i.state === 'open') && incidentInScope(scope, i))
      .sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  summary(scope: AlertScope): AlertSummary {
    const bySeverity: Record<Severity, number> = { advisory: 0, low: 0, high: 0, critical: 0 };
    const byStation: Record<string, Severity> = {};
    const byCompound: Record<string, Severity> = {};
    let open = 0;
    let acknowledged = 0;
    for (const a of this.engine.alerts()) {
      if (!inScope(scope, a)) continue;
      if (a.state !== 'open' && a.state !== 'acknowledged') continue;
      if (a.state === 'open') open++;
      else acknowledged++;
      bySeverity[a.severity]++;
      const s = a.route.stationId;
      if (s !== undefined) byStation[s] = byStation[s] === undefined ? a.severity : maxSeverity(byStation[s], a.severity);
      if (a.entity.kind === 'compound') {
        const prev = byCompound[a.entity.id];
        byCompound[a.entity.id] = prev === undefined ? a.severity : maxSeverity(prev, a.severity);
      }
    }
    const incidents = this.engine.incidents().filter((i) => i.state === 'open' && incidentInScope(scope, i)).length;
    return { open, active: open + acknowledged, acknowledged, bySeverity, byStation, byCompound, incidents };
  }

  acknowledge(id: string, who: string, scope: AlertScope, comment?: string): Promise<Alert> {
    return this.act(id, scope, () => this.engine.acknowledge(id, who, comment));
  }

  shelve(id: string, who: string, scope: AlertScope, minutes: number, comment?: string): Promise<Alert> {
    return this.act(id, scope, () => this.engine.shelve(id, who, comment, minutes * 60_000));
  }

  clear(id: string, who: string, scope: AlertScope, comment?: string): Promise<Alert> {
    return this.act(id, scope, () => this.engine.clear(id, who, comment));
  }

  async comment(id: string, who: string, scope: AlertScope, text: string): Promise<Alert> {
    if (this.engine.alert(id) !== undefined) return this.act(id, scope, () => this.engine.comment(id, who, text));
    const a = await this.store.getAlert(id);
    if (a === undefined || !inScope(scope, a)) throw new HeatError('NOT_FOUND', `alert ${id}`);
    addHistory(a, { action: 'commented', by: who, at: this.now(), comment: text });
    a.version++;
    await this.store.putAlert(a);
    return a;
  }

  private async act(id: string, scope: AlertScope, action: () => Alert): Promise<Alert> {
    const held = this.engine.alert(id);
    if (held === undefined) {
      // Not live in the engine: a cleared alert in the store is a conflict, anything else unknown.
      const stored = await this.store.getAlert(id);
      if (stored !== undefined && inScope(scope, stored)) throw new HeatError('CONFLICT', `alert ${id} is ${stored.state}; this action needs a live alert`);
      throw new HeatError('NOT_FOUND', `alert ${id}`);
    }
    if (!inScope(scope, held)) throw new HeatError('NOT_FOUND', `alert ${id}`);
    return action();
  }
}
