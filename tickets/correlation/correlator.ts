// The correlator joins heating tickets to alerts, groups tickets into incidents and watches for
// complaint surges; it is the only writer of a ticket's `correlation`.
//
// Lifecycle: the composition root builds it after the ticket store is connected, calls
// `prime(recentTickets, recentAlerts)` once (a restart resumes where it was), subscribes
// `onTicket` to the ticket service and `onAlert` to the rules engine's alert events, feeds
// `observeOutdoor` from weather telemetry, and awaits `drain()` before closing the ticket store.
// Calls are queued and run one at a time in arrival order (a ticket and an alert arriving
// together cannot overwrite each other's result); `onAlert` never throws into the engine.
//
// A ticket stays open to re-evaluation until its window has closed and `settleMs` more have
// passed (alerts come a little late: the engine waits for lateness, rules wait for a condition
// to hold). An alert that opens after a complaint, within the window, explains it then; a
// better (nearer, active at the call) alert replaces a weaker one. A correlation is written only
// when what a person would see changes. A ticket that arrives already past re-evaluation (an
// import of an old export) is judged once against the stored alert history, or left alone.

import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import type { NetworkModel } from '../../domain/network';
import type { Alert } from '../../rules/alert';
import type { Correlation, TicketRecord } from '../ticket-model';
import type { TicketStore } from '../ticket-store';
import { AlertIndex } from './alert-index';
import { spanOf } from './alert-span';
import { EXPLAINED_BY, explainTicket, placeOf, sameCorrelation, type CorrelationWindow, type TicketPlace } from './explain';
import { TicketClusterer, type ClusterOptions, type TicketCluster } from './ticket-clusters';
import { TicketSurgeDetector, type SurgeOptions, type SurgeWarning } from './ticket-surge';

export interface CorrelatorOptions {
  readonly network: NetworkModel;
  readonly store: Pick<TicketStore, 'setCorrelation'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly window: CorrelationWindow;
  readonly clusters: ClusterOptions;
  readonly surge: SurgeOptions;
  /** Extra time a ticket stays re-evaluable after its window closes, ms (default 6 h). */
  readonly settleMs?: number;
  /** A surge warning opened (for notifications); must not throw. */
  readonly onSurge?: (w: SurgeWarning) => void;
  /**
   * Stored alerts of a place active in [from, to] (the alert store), for tickets that arrive
   * already past re-evaluation (an import of last month's export). Without it such tickets are
   * left uncorrelated rather than called unexplained on no evidence (counted in `skippedOld`).
   */
  readonly alertHistory?: (place: TicketPlace, from: number, to: number) => Promise<readonly Alert[]>;
}

interface Recent {
  ticket: TicketRecord;
  place: TicketPlace | undefined;
  correlation: Correlation | undefined;
  /** Counted by the clusterer and the surge detector (once per ticket). */
  counted: boolean;
}

export interface CorrelatorStats {
  readonly tickets: number;
  readonly alerts: number;
  readonly writes: number;
  readonly reevaluated: number;
  readonly failures: number;
  readonly queued: number;
  /** Tickets too old for the live index and without an alert history to judge them by. */
  readonly skippedOld: number;
}

const PRUNE_EVERY_MS = 5 * 60_000;
const COLD_COMPLAINTS = new Set(['heating-not-warm', 'heating-no-circulation']);

export class TicketCorrelator {
  private readonly alerts = new AlertIndex();
  private readonly recent = new Map<string, Recent>();
  private readonly byCompound = new Map<string, Set<string>>();
  private readonly clusterer: TicketClusterer;
  private readonly surge: TicketSurgeDetector;
  private readonly settleMs: number;
  private readonly log: Logger;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private prunedAt = Number.NEGATIVE_INFINITY;
  private n = { writes: 0, reevaluated: 0, failures: 0, skippedOld: 0 };

  constructor(private readonly o: CorrelatorOptions) {
    this.clusterer = new TicketClusterer(o.clusters);
    this.surge = new TicketSurgeDetector(o.network, o.surge);
    this.settleMs = o.settleMs ?? 6 * 3_600_000;
    this.log = o.logger.child({ component: 'correlation' });
  }

  /** Resume after a restart: recent alerts (any state) and the tickets still open to re-evaluation. */
  prime(tickets: readonly TicketRecord[], alerts: readonly Alert[]): Promise<void> {
    return this.serial(async () => {
      for (const a of alerts) this.alerts.put(spanOf(a));
      const ordered = [...tickets].sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : 1));
      for (const t of ordered) await this.take(t);
    });
  }

  /** A ticket was created, or a person placed it. */
  onTicket(t: TicketRecord): Promise<Correlation | undefined> {
    return this.serial(() => this.take(t));
  }

  /** An alert opened, changed or cleared (engine events, in event-time order). Never rejects. */
  onAlert(a: Alert): Promise<number> {
    return this.serial(() => this.alertChanged(a)).catch((err: unknown) => {
      this.n.failures++;
      this.log.error({ err, alertId: a.id }, 'correlation of an alert failed');
      return 0;
    });
  }

  observeOutdoor(t: number, outdoorC: number): void {
    this.surge.observeOutdoor(t, outdoorC);
  }

  /** What the surge baseline expects of an area in the window ending at `to` (reports, tests). */
  surgeExpectation(level: 'compound' | 'station', id: string, to: number): { expected: number; ratePerHouseholdDegreeDay: number } | undefined {
    return this.surge.expectation(level, id, to);
  }

  clusters(since?: number): TicketCluster[] {
    return this.clusterer.list(since);
  }

  cluster(id: string): TicketCluster | undefined {
    return this.clusterer.get(id);
  }

  surges(since?: number): SurgeWarning[] {
    this.surge.tick(this.o.clock.now());
    return this.surge.list(since);
  }

  /** Resolves when every call queued so far has run. */
  drain(): Promise<void> {
    return this.tail.then(
      () => undefined,
      () => undefined,
    );
  }

  stats(): CorrelatorStats {
    return { tickets: this.recent.size, alerts: this.alerts.size, ...this.n, queued: this.queued };
  }

  private async take(t: TicketRecord): Promise<Correlation | undefined> {
    const now = this.o.clock.now();
    this.prune(now);
    const place = placeOf(t, this.o.network);
    if (t.receivedAt + this.o.window.afterMs + this.settleMs < now) return this.judgeOld(t, place, now);
    let r = this.recent.get(t.id);
    if (r !== undefined && r.place?.compoundId !== place?.compoundId) this.unindex(t.id, r.place);
    if (r === undefined) this.recent.set(t.id, (r = { ticket: t, place, correlation: t.correlation, counted: false }));
    r.ticket = t;
    r.place = place;
    if (place !== undefined) {
      let s = this.byCompound.get(place.compoundId);
      if (s === undefined) this.byCompound.set(place.compoundId, (s = new Set()));
      s.add(t.id);
    }
    let clusterId = r.correlation?.clusterId;
    if (place !== undefined && !r.counted && EXPLAINED_BY[t.category] !== null) {
      r.counted = true;
      const res = this.clusterer.add(t.id, place.stationId, place.compoundId, t.receivedAt);
      if (res.cluster !== undefined) {
        clusterId = res.cluster.id;
        for (const id of res.joined) await this.setCluster(id, res.cluster.id);
        if (res.joined.length > 0) this.log.info({ clusterId, tickets: res.cluster.count, level: res.cluster.level }, 'ticket incident formed');
      }
      if (COLD_COMPLAINTS.has(t.category)) {
        for (const w of this.surge.add(place.compoundId, t.receivedAt)) {
          this.log.warn({ surgeId: w.id, level: w.level, entityId: w.entityId, observed: w.observed, expected: Number(w.expected.toFixed(3)) }, 'complaint surge');
          this.o.onSurge?.(w);
        }
      }
    }
    return this.evaluate(r, now, clusterId);
  }

  /** A ticket past re-evaluation when it arrives: judged once, against the alert history if there is one. */
  private async judgeOld(t: TicketRecord, place: TicketPlace | undefined, now: number): Promise<Correlation | undefined> {
    const needsAlerts = place !== undefined && EXPLAINED_BY[t.category] !== null;
    if (needsAlerts && this.o.alertHistory === undefined) {
      this.n.skippedOld++;
      return undefined;
    }
    const spans = needsAlerts && this.o.alertHistory !== undefined ? (await this.o.alertHistory(place, t.receivedAt - this.o.window.beforeMs, t.receivedAt + this.o.window.afterMs)).map(spanOf) : [];
    const c = explainTicket(t, place, spans, this.o.window, now);
    const next = t.correlation?.clusterId === undefined ? c : { ...c, clusterId: t.correlation.clusterId };
    if (sameCorrelation(t.correlation, next)) return t.correlation;
    await this.o.store.setCorrelation(t.id, next);
    this.n.writes++;
    return next;
  }

  private async alertChanged(a: Alert): Promise<number> {
    const now = this.o.clock.now();
    this.prune(now);
    const span = spanOf(a);
    this.alerts.put(span);
    const compounds = this.compoundsUnder(span.entityKind, span.entityId);
    let changed = 0;
    for (const cid of compounds) {
      for (const id of this.byCompound.get(cid) ?? []) {
        const r = this.recent.get(id);
        if (r === undefined || r.ticket.receivedAt + this.o.window.afterMs < span.openedAt) continue;
        this.n.reevaluated++;
        const before = r.correlation;
        await this.evaluate(r, now, r.correlation?.clusterId);
        if (r.correlation !== before) changed++;
      }
    }
    return changed;
  }

  private async evaluate(r: Recent, now: number, clusterId: string | undefined): Promise<Correlation> {
    const base = explainTicket(r.ticket, r.place, r.place === undefined ? [] : this.alerts.at(r.place), this.o.window, now);
    const next: Correlation = clusterId === undefined ? base : { ...base, clusterId };
    if (clusterId !== undefined && next.alert !== undefined) this.clusterer.noteAlert(clusterId, next.alert.alertId);
    if (sameCorrelation(r.correlation, next)) return r.correlation ?? next;
    await this.o.store.setCorrelation(r.ticket.id, next);
    this.n.writes++;
    r.correlation = next;
    r.ticket = { ...r.ticket, correlation: next };
    return next;
  }

  private async setCluster(ticketId: string, clusterId: string): Promise<void> {
    const r = this.recent.get(ticketId);
    if (r === undefined || r.correlation?.clusterId === clusterId) return;
    await this.evaluate(r, this.o.clock.now(), clusterId);
  }

  private compoundsUnder(kind: string, id: string): string[] {
    const net = this.o.network;
    switch (kind) {
      case 'compound':
        return [id];
      case 'station':
        return net.compoundsOf(id).map((c) => c.id);
      case 'primary':
        return net.stationsOf(id).flatMap((s) => net.compoundsOf(s.id).map((c) => c.id));
      default:
        return [];
    }
  }

  private unindex(id: string, place: TicketPlace | undefined): void {
    if (place === undefined) return;
    const s = this.byCompound.get(place.compoundId);
    s?.delete(id);
    if (s !== undefined && s.size === 0) this.byCompound.delete(place.compoundId);
  }

  /** Forgets tickets past re-evaluation and alerts that can explain none of those left. */
  private prune(now: number): void {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    const keep = this.o.window.afterMs + this.settleMs;
    for (const [id, r] of this.recent) {
      if (r.ticket.receivedAt + keep >= now) continue;
      this.recent.delete(id);
      this.unindex(id, r.place);
    }
    this.alerts.prune(now - keep - this.o.window.beforeMs);
    this.clusterer.prune(now - keep - this.o.clusters.windowMs);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = this.tail.then(fn).finally(() => this.queued--);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
