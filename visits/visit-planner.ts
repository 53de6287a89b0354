// The visit planner (未诉先办): turns the rules' under-heating alerts on compounds into episodes
// and, when nobody has complained yet, into visit work orders for the station's crew.
//
// Lifecycle: the composition root builds it once the visit store is connected, `prime()`s it
// with the live alerts (a restart picks up the open episodes), then feeds it every alert event
// (`onAlert`, in the engine's event-time order), every new or placed ticket (`onTicket`), and
// calls `tick(now)` now and then so quiet episodes end without new alerts. `drain()` before
// closing the stores. Calls run one at a time, in arrival order; `onAlert` never throws into
// the engine (failures are logged and counted).
//
// Episodes: a compound's spell of live trigger alerts (under-heating measured, estimated,
// hydraulic, or predicted). It ends once no trigger alert has been live for `episodeGapMs`, or
// — when its visit's outcome is in — for `recoveredMs` (the crew has been and the compound has
// recovered: the next cold spell is a new episode, worth a new visit); an alert after that begins
// a new one. Per episode at most one visit: when the episode begins
// and a cold complaint from the compound is open (received within `openTicketWindowMs`, not yet
// resolved) the crew is going anyway and the episode is "ticket first"; otherwise a work order
// is issued at once. Later alerts of the episode add their evidence to it, and a worse severity
// brings its deadline forward; once the crew has reported, a severity worse than the visit ever
// had calls for a follow-up visit (still at most one open visit per compound).

import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { Alert } from '../rules/alert';
import { SEVERITY_RANK, type Severity } from '../rules/severity';
import type { TicketRecord } from '../tickets/ticket-model';
import { dueAt, type VisitDueTimes } from './visit-deadlines';
import { MAX_EPISODE_ALERTS, type Episode, type Visit } from './visit-model';
import type { VisitStore } from './visit-store';
import { reasonOf, workOrder } from './work-order';

const DEFAULT_RECOVERED_MS = 3 * 3_600_000;

/** Alert categories that call for a visit (rules/rule-schema.ts CATEGORIES). */
export const TRIGGER_CATEGORIES: ReadonlySet<string> = new Set(['underheating', 'prediction']);
/** Complaints that are about a cold home. */
export const COLD_COMPLAINTS: ReadonlySet<string> = new Set(['heating-not-warm', 'heating-no-circulation']);

export interface OpenComplaint {
  readonly id: string;
  readonly receivedAt: number;
}

export interface VisitPlannerOptions {
  readonly network: NetworkModel;
  readonly store: VisitStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The earliest cold complaint from the compound received in [from, to] and not yet resolved. */
  readonly openComplaint: (compoundId: string, from: number, to: number) => Promise<OpenComplaint | undefined>;
  /** Record the link on the ticket's side (TicketStore.linkVisit). */
  readonly linkTicket: (ticketId: string, visitId: string) => Promise<void>;
  readonly due: VisitDueTimes;
  readonly episodeGapMs: number;
  /** After the visit's outcome, quiet this long ends the episode (default 3 h). */
  readonly recoveredMs?: number;
  readonly openTicketWindowMs: number;
  /** A complaint this long after its compound's visit was resolved (or issued, while unresolved) is still linked to it. */
  readonly linkWindowMs: number;
  readonly maxHomes?: number;
  /** A visit was issued or changed (notifications); must not throw. */
  readonly onVisit?: (v: Visit, change: 'created' | 'updated') => void;
}

interface CompoundState {
  /** Live trigger alerts: id → severity last seen. */
  readonly live: Map<string, Severity>;
  quietSince?: number;
  episode?: Episode;
}

export interface PlannerStats {
  readonly episodes: number;
  readonly visits: number;
  readonly ticketFirst: number;
  readonly linked: number;
  readonly failures: number;
}

export class VisitPlanner {
  private readonly state = new Map<string, CompoundState>();
  private readonly log: Logger;
  private tail: Promise<unknown> = Promise.resolve();
  private n = { episodes: 0, visits: 0, ticketFirst: 0, linked: 0, failures: 0 };

  constructor(private readonly o: VisitPlannerOptions) {
    this.log = o.logger.child({ component: 'visits' });
  }

  /** After a restart: the open episodes from the store and the live alerts from the engine. */
  prime(liveAlerts: readonly Alert[]): Promise<void> {
    return this.serial(async () => {
      for (const e of await this.o.store.listEpisodes({ open: true, limit: 10_000 })) this.of(e.compoundId).episode = e;
      for (const a of liveAlerts) if (this.isTrigger(a) && a.active && a.state !== 'cleared') this.of(a.entity.id).live.set(a.id, a.severity);
      for (const s of this.state.values()) if (s.live.size === 0 && s.episode !== undefined) s.quietSince = s.episode.lastAlertAt;
    });
  }

  onAlert(a: Alert): Promise<Visit | undefined> {
    if (!this.isTrigger(a)) return Promise.resolve(undefined);
    return this.serial(() => this.alertChanged(a)).catch((err: unknown) => {
      this.n.failures++;
      this.log.error({ err, alertId: a.id }, 'visit planning failed');
      return undefined;
    });
  }

  /** A ticket was created or placed: the first complaint of an episode, and a link to the compound's visit. */
  onTicket(t: TicketRecord): Promise<string | undefined> {
    return this.serial(() => this.ticketArrived(t));
  }

  /** Ends episodes quiet for the gap. */
  tick(now: number): Promise<void> {
    return this.serial(async () => {
      for (const [, s] of this.state) await this.endIfQuiet(s, now);
    });
  }

  drain(): Promise<void> {
    return this.tail.then(
      () => undefined,
      () => undefined,
    );
  }

  stats(): PlannerStats {
    return { ...this.n };
  }

  private isTrigger(a: Alert): boolean {
    return a.entity.kind === 'compound' && TRIGGER_CATEGORIES.has(a.category) && this.o.network.compound(a.entity.id) !== undefined;
  }

  private async alertChanged(a: Alert): Promise<Visit | undefined> {
    const c = this.o.network.compound(a.entity.id);
    const station = c === undefined ? undefined : this.o.network.station(c.stationId);
    if (c === undefined || station === undefined) return undefined;
    const s = this.of(c.id);
    const t = a.lastSeenAt;
    await this.endIfQuiet(s, t);
    const live = a.state !== 'cleared' && a.active;
    const prevSeverity = s.live.get(a.id);
    if (!live) {
      s.live.delete(a.id);
      if (s.live.size === 0 && s.episode !== undefined && s.episode.end === undefined) {
        s.quietSince = s.quietSince ?? t;
        s.episode = { ...s.episode, lastAlertAt: Math.max(s.episode.lastAlertAt, t) };
        await this.o.store.putEpisode(s.episode);
      }
      return undefined;
    }
    s.live.set(a.id, a.severity);
    s.quietSince = undefined;
    if (s.episode === undefined || s.episode.end !== undefined) {
      const start = a.openedAt;
      s.episode = { id: `ep@${c.id}@${start}`, compoundId: c.id, stationId: c.stationId, start, lastAlertAt: t, underheating: false, alertIds: [], ticketFirst: false };
      this.n.episodes++;
    }
    const ep = s.episode;
    const isNew = !ep.alertIds.includes(a.id);
    s.episode = {
      ...ep,
      lastAlertAt: Math.max(ep.lastAlertAt, t),
      underheating: ep.underheating || a.category === 'underheating',
      alertIds: isNew && ep.alertIds.length < MAX_EPISODE_ALERTS ? [...ep.alertIds, a.id] : ep.alertIds,
    };
    let visit: Visit | undefined;
    const now = this.o.clock.now();
    if (s.episode.visitId === undefined && !s.episode.ticketFirst) {
      const open = await this.o.openComplaint(c.id, t - this.o.openTicketWindowMs, t);
      if (open !== undefined) {
        this.n.ticketFirst++;
        s.episode = { ...s.episode, ticketFirst: true, firstTicketId: open.id, firstTicketAt: open.receivedAt };
        this.log.info({ compoundId: c.id, ticketId: open.id }, 'under-heating with a complaint already open: no proactive visit');
      } else {
        const existing = (await this.o.store.list({ compoundId: c.id, stages: ['received', 'dispatched'], limit: 1 })).items[0];
        if (existing !== undefined) {
          visit = await this.o.store.addEvidence(existing.id, [reasonOf(a)], a.severity, dueAt(a.severity, now, this.o.due));
          s.episode = { ...s.episode, visitId: existing.id, visitAt: existing.receivedAt };
          this.o.onVisit?.(visit, 'updated');
        } else {
          const created = await this.o.store.create(workOrder({ alert: a, compound: c, station, episode: s.episode, at: now, due: this.o.due, ...(this.o.maxHomes !== undefined ? { maxHomes: this.o.maxHomes } : {}) }));
          visit = created.visit;
          s.episode = { ...s.episode, visitId: visit.id, visitAt: visit.receivedAt };
          if (created.outcome === 'created') {
            this.n.visits++;
            this.log.info({ visitId: visit.id, compoundId: c.id, crew: visit.crew, severity: visit.severity, dueAt: visit.dueAt }, 'proactive visit issued');
            this.o.onVisit?.(visit, 'created');
          }
        }
      }
    } else if (s.episode.visitId !== undefined && (isNew || (prevSeverity !== undefined && SEVERITY_RANK[a.severity] > SEVERITY_RANK[prevSeverity]))) {
      const current = await this.o.store.get(s.episode.visitId);
      if (current?.outcome !== undefined && SEVERITY_RANK[a.severity] > SEVERITY_RANK[current.severity]) {
        // Worse than anything the crew saw when it reported: a follow-up visit in the same episode.
        const created = await this.o.store.create(
          workOrder({ alert: a, compound: c, station, episode: s.episode, at: now, due: this.o.due, idAt: t, ...(this.o.maxHomes !== undefined ? { maxHomes: this.o.maxHomes } : {}) }),
        );
        visit = created.visit;
        s.episode = { ...s.episode, visitId: visit.id };
        if (created.outcome === 'created') {
          this.n.visits++;
          this.log.info({ visitId: visit.id, compoundId: c.id, after: current.id, severity: visit.severity }, 'follow-up visit issued: worse since the last outcome');
          this.o.onVisit?.(visit, 'created');
        }
      } else if (current !== undefined) {
        visit = await this.o.store.addEvidence(current.id, [reasonOf(a)], a.severity, dueAt(a.severity, now, this.o.due));
        this.o.onVisit?.(visit, 'updated');
      }
    }
    await this.o.store.putEpisode(s.episode);
    return visit;
  }

  private async ticketArrived(t: TicketRecord): Promise<string | undefined> {
    const cid = t.resolution.review === 'auto' || t.resolution.review === 'confirmed' ? t.resolution.compoundId : undefined;
    if (cid === undefined || !COLD_COMPLAINTS.has(t.category)) return undefined;
    const s = this.state.get(cid);
    const ep = s?.episode;
    if (s !== undefined && ep !== undefined && ep.firstTicketAt === undefined && t.receivedAt >= ep.start && (ep.end === undefined || t.receivedAt <= ep.end)) {
      s.episode = { ...ep, firstTicketId: t.id, firstTicketAt: t.receivedAt };
      await this.o.store.putEpisode(s.episode);
    }
    const v = (await this.o.store.list({ compoundId: cid, to: t.receivedAt + 1, limit: 1 })).items[0];
    if (v === undefined || t.visitId === v.id) return undefined;
    // Within the link window of the visit's outcome (or of its issue, while it has none).
    if (t.receivedAt - (v.loop.at.resolved ?? v.receivedAt) > this.o.linkWindowMs) return undefined;
    await this.o.store.linkTicket(v.id, t.id);
    await this.o.linkTicket(t.id, v.id);
    this.n.linked++;
    return v.id;
  }

  private async endIfQuiet(s: CompoundState, now: number): Promise<void> {
    const ep = s.episode;
    if (ep === undefined || ep.end !== undefined || s.live.size > 0 || s.quietSince === undefined) return;
    const quiet = now - s.quietSince;
    if (quiet < Math.min(this.o.episodeGapMs, this.o.recoveredMs ?? DEFAULT_RECOVERED_MS)) return;
    if (quiet < this.o.episodeGapMs) {
      const v = ep.visitId === undefined ? undefined : await this.o.store.get(ep.visitId);
      if (v?.outcome === undefined) return;
    }
    s.episode = { ...ep, end: s.quietSince };
    await this.o.store.putEpisode(s.episode);
  }

  private of(compoundId: string): CompoundState {
    let s = this.state.get(compoundId);
    if (s === undefined) this.state.set(compoundId, (s = { live: new Map() }));
    return s;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.catch(() => undefined);
    return p;
  }
}
