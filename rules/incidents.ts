// Root cause along the network: groups live alerts under one incident per cause.
//
//   primary network  ← its own `cause` alert (a network rule), or `upstream` station causes on at
//                      least `minStations` and `minShare` of its stations (a plant supply drop
//                      shows at all of them; two unrelated station faults are not one cause)
//     station        ← a `cause` alert at the station (pump trip, primary heat lost, off its curve)
//       compound     ← `symptom` alerts (cold rooms) join the incident above them
//
// Membership is recomputed per primary network on every alert change (open, escalate, clear):
// the work is bounded by the live alerts of that one network. An incident needs two alerts;
// it stays open while any of its alerts is live, and a station incident that becomes part of a
// network incident is marked merged into it.

import type { NetworkModel } from '../domain/network';
import type { Alert } from './alert';
import type { IncidentEvent } from './events';
import type { Incident } from './incident';
import { maxSeverity, type Severity } from './severity';

export interface IncidentGrouperOptions {
  readonly network: NetworkModel;
  /** Stations with upstream causes that make a network incident without a network rule: this many … */
  readonly minStations: number;
  /** … and this share of the network's stations. */
  readonly minShare: number;
  readonly isUpstream: (ruleId: string) => boolean;
  readonly setIncident: (a: Alert, incidentId: string | undefined, t: number) => void;
  readonly emit: (e: IncidentEvent) => void;
  readonly persist: (i: Incident) => void;
}

interface Group {
  readonly rootKind: 'primary' | 'station';
  readonly rootId: string;
  readonly causes: Alert[];
  readonly members: Alert[];
}

const RECENT_CLOSED = 1_000;

export class IncidentGrouper {
  /** Live, non-independent alerts by primary network id, then alert id. */
  private readonly byNetwork = new Map<string, Map<string, Alert>>();
  /** Open incidents by root key (`primary/pn1`, `station/dexuan`). */
  private readonly open = new Map<string, Incident>();
  private readonly closed = new Map<string, Incident>();

  constructor(private readonly o: IncidentGrouperOptions) {}

  onAlertChange(a: Alert, t: number): void {
    const pn = a.route.primaryNetworkId;
    if (pn === undefined || a.role === 'independent') return;
    let m = this.byNetwork.get(pn);
    if (m === undefined) this.byNetwork.set(pn, (m = new Map()));
    if (a.state === 'cleared') m.delete(a.id);
    else m.set(a.id, a);
    this.recompute(pn, t);
  }

  /**
   * After a restart, before any alert change: the live alerts and open incidents from the store.
   * Membership is recomputed at the next change of an alert of the same network.
   */
  restore(liveAlerts: readonly Alert[], openIncidents: readonly Incident[]): void {
    for (const a of liveAlerts) {
      const pn = a.route.primaryNetworkId;
      if (pn === undefined || a.role === 'independent' || a.state === 'cleared') continue;
      let m = this.byNetwork.get(pn);
      if (m === undefined) this.byNetwork.set(pn, (m = new Map()));
      m.set(a.id, a);
    }
    for (const i of openIncidents) if (i.state === 'open') this.open.set(`${i.root.kind}/${i.root.id}`, structuredClone(i));
  }

  list(): Incident[] {
    return [...this.open.values(), ...this.closed.values()].map((i) => structuredClone(i));
  }

  get(id: string): Incident | undefined {
    for (const i of this.open.values()) if (i.id === id) return structuredClone(i);
    const c = this.closed.get(id);
    return c === undefined ? undefined : structuredClone(c);
  }

  private groups(pn: string): Group[] {
    const alerts = [...(this.byNetwork.get(pn)?.values() ?? [])].sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1));
    const netCauses = alerts.filter((a) => a.entity.kind === 'primary' && a.role === 'cause');
    const upstream = alerts.filter((a) => a.entity.kind === 'station' && a.role === 'cause' && this.o.isUpstream(a.ruleId));
    const upstreamStations = new Set(upstream.map((a) => a.entity.id));
    const out: Group[] = [];
    let affected = new Set<string>();
    const needed = Math.max(this.o.minStations, Math.ceil(this.o.minShare * this.o.network.stationsOf(pn).length));
    if (netCauses.length > 0 || upstreamStations.size >= needed) {
      affected = netCauses.length > 0 ? new Set(this.o.network.stationsOf(pn).map((s) => s.id)) : upstreamStations;
      const members = alerts.filter((a) => a.entity.kind === 'primary' || (a.route.stationId !== undefined && affected.has(a.route.stationId)));
      out.push({ rootKind: 'primary', rootId: pn, causes: [...netCauses, ...upstream.filter((a) => affected.has(a.entity.id))], members });
    }
    const stationCauses = new Map<string, Alert[]>();
    for (const a of alerts) {
      if (a.entity.kind !== 'station' || a.role !== 'cause' || affected.has(a.entity.id)) continue;
      stationCauses.set(a.entity.id, [...(stationCauses.get(a.entity.id) ?? []), a]);
    }
    for (const [sid, causes] of stationCauses) {
      out.push({ rootKind: 'station', rootId: sid, causes, members: alerts.filter((a) => a.route.stationId === sid) });
    }
    return out.filter((g) => g.members.length >= 2);
  }

  private recompute(pn: string, t: number): void {
    const groups = this.groups(pn);
    const assigned = new Set<string>();
    const touched = new Set<string>();
    const created = new Set<string>();
    for (const g of groups) {
      const rootKey = `${g.rootKind}/${g.rootId}`;
      let inc = this.open.get(rootKey);
      if (inc === undefined) {
        inc = this.create(g, pn, t);
        this.open.set(rootKey, inc);
        created.add(rootKey);
      }
      for (const a of g.members) assigned.add(a.id);
      if (this.apply(inc, g.causes, g.members, t) || created.has(rootKey)) touched.add(rootKey);
    }
    const live = this.byNetwork.get(pn) ?? new Map<string, Alert>();
    const netRoot = this.open.get(`primary/${pn}`);
    for (const [rootKey, inc] of [...this.open]) {
      if (inc.route.primaryNetworkId !== pn || groups.some((g) => `${g.rootKind}/${g.rootId}` === rootKey)) continue;
      // No cause any more: keep the alerts not claimed elsewhere until they clear.
      const remaining = inc.liveAlertIds.map((id) => live.get(id)).filter((a): a is Alert => a !== undefined && !assigned.has(a.id));
      const before = inc.liveAlertIds.join();
      if (remaining.length === 0) {
        this.open.delete(rootKey);
        const merged = inc.root.kind === 'station' && netRoot !== undefined && netRoot.stationIds.includes(inc.root.id);
        inc.state = merged ? 'merged' : 'resolved';
        if (merged && netRoot !== undefined) inc.mergedInto = netRoot.id;
        inc.liveAlertIds = [];
        inc.resolvedAt = t;
        this.finish(inc, t);
        continue;
      }
      inc.liveAlertIds = remaining.map((a) => a.id);
      if (inc.liveAlertIds.join() !== before) touched.add(rootKey);
    }
    for (const rootKey of touched) {
      const inc = this.open.get(rootKey);
      if (inc === undefined) continue;
      inc.updatedAt = t;
      inc.version++;
      this.o.persist(structuredClone(inc));
      this.o.emit({ type: created.has(rootKey) ? 'incident.opened' : 'incident.updated', incident: structuredClone(inc) });
    }
  }

  private create(g: Group, pn: string, t: number): Incident {
    const name =
      g.rootKind === 'primary' ? (this.o.network.primaryNetwork(g.rootId)?.name ?? g.rootId) : (this.o.network.station(g.rootId)?.name ?? g.rootId);
    return {
      id: `inc@${g.rootKind}/${g.rootId}@${t}`,
      version: 0,
      root: { kind: g.rootKind, id: g.rootId, name },
      state: 'open',
      openedAt: t,
      updatedAt: t,
      severity: 'advisory',
      causeAlertIds: [],
      alertIds: [],
      liveAlertIds: [],
      stationIds: [],
      compoundIds: [],
      route: { primaryNetworkId: pn, crews: [] },
    };
  }

  /** Bring an incident's membership up to date; true when anything changed. */
  private apply(inc: Incident, causes: readonly Alert[], members: readonly Alert[], t: number): boolean {
    const before = JSON.stringify([inc.causeAlertIds, inc.liveAlertIds, inc.stationIds, inc.compoundIds, inc.severity]);
    const stations = new Set(inc.stationIds);
    const compounds = new Set(inc.compoundIds);
    const crews = new Set(inc.route.crews);
    let severity: Severity = inc.severity;
    for (const a of members) {
      if (a.incidentId !== inc.id) this.o.setIncident(a, inc.id, t);
      if (!inc.alertIds.includes(a.id)) inc.alertIds.push(a.id);
      if (a.route.stationId !== undefined) stations.add(a.route.stationId);
      if (a.entity.kind === 'compound') compounds.add(a.entity.id);
      if (a.route.crew !== undefined) crews.add(a.route.crew);
      severity = maxSeverity(severity, a.peakSeverity);
    }
    for (const c of causes) if (!inc.causeAlertIds.includes(c.id)) inc.causeAlertIds.push(c.id);
    inc.liveAlertIds = members.map((a) => a.id);
    inc.stationIds = [...stations].sort();
    inc.compoundIds = [...compounds].sort();
    inc.route = { primaryNetworkId: inc.route.primaryNetworkId, crews: [...crews].sort() };
    inc.severity = severity;
    return JSON.stringify([inc.causeAlertIds, inc.liveAlertIds, inc.stationIds, inc.compoundIds, inc.severity]) !== before;
  }

  private finish(inc: Incident, t: number): void {
    inc.updatedAt = t;
    inc.version++;
    this.closed.set(inc.id, inc);
    if (this.closed.size > RECENT_CLOSED) {
      const oldest = this.closed.keys().next().value;
      if (oldest !== undefined) this.closed.delete(oldest);
    }
    this.o.persist(structuredClone(inc));
    this.o.emit({ type: 'incident.updated', incident: structuredClone(inc) });
  }
}
