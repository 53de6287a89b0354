// The closed loop around complaints, assembled: the correlator (tickets ⇄ alerts, incidents,
// surges), the visit planner (未诉先办) and the visit service, wired to the ticket service.
//
// Lifecycle: `await ClosedLoop.start(deps)` once the ticket and visit stores are connected and
// the ticket service is open (it primes from the stores and the live alerts given, and
// subscribes to the ticket service); then `onRulesEvent` from the rules engine's event listener
// (synchronous, never throws, never blocks: the work is queued), `observeOutdoor` from weather
// telemetry, `tick(now)` every minute or so; `stop()` unsubscribes and waits for queued work,
// before the stores close.

import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { Alert } from '../rules/alert';
import type { RulesEvent } from '../rules/events';
import { TicketCorrelator } from '../tickets/correlation/correlator';
import type { TicketPlace } from '../tickets/correlation/explain';
import type { SurgeWarning } from '../tickets/correlation/ticket-surge';
import type { TicketRecord } from '../tickets/ticket-model';
import type { TicketService } from '../tickets/ticket-service';
import { MAX_PAGE, type TicketStore } from '../tickets/ticket-store';
import type { ClosedLoopSettings } from './closed-loop-settings';
import { COLD_COMPLAINTS, VisitPlanner, type OpenComplaint } from './visit-planner';
import type { Visit } from './visit-model';
import { VisitService } from './visit-service';
import type { VisitStore } from './visit-store';

export interface ClosedLoopDeps {
  readonly network: NetworkModel;
  readonly tickets: TicketService;
  readonly ticketStore: TicketStore;
  readonly visitStore: VisitStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: ClosedLoopSettings;
  /** Alerts to resume from after a restart (live ones and those of the last day or so). */
  readonly alerts?: readonly Alert[];
  readonly onSurge?: (w: SurgeWarning) => void;
  /** Stored alert history, for tickets that arrive past re-evaluation (TicketCorrelator). */
  readonly alertHistory?: (place: TicketPlace, from: number, to: number) => Promise<readonly Alert[]>;
  readonly onVisit?: (v: Visit, change: 'created' | 'updated') => void;
}

export class ClosedLoop {
  readonly correlator: TicketCorrelator;
  readonly planner: VisitPlanner;
  readonly visits: VisitService;
  private unsubscribe: (() => void) | undefined;
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(private readonly d: ClosedLoopDeps) {
    const s = d.settings;
    this.correlator = new TicketCorrelator({
      network: d.network,
      store: d.ticketStore,
      clock: d.clock,
      logger: d.logger,
      window: s.window,
      clusters: s.clusters,
      surge: s.surge,
      ...(d.onSurge ? { onSurge: d.onSurge } : {}),
      ...(d.alertHistory ? { alertHistory: d.alertHistory } : {}),
    });
    this.planner = new VisitPlanner({
      network: d.network,
      store: d.visitStore,
      clock: d.clock,
      logger: d.logger,
      openComplaint: (cid, from, to) => openComplaint(d.ticketStore, cid, from, to),
      linkTicket: (ticketId, visitId) => d.ticketStore.linkVisit(ticketId, visitId),
      due: s.due,
      episodeGapMs: s.episodeGapMs,
      recoveredMs: s.recoveredMs,
      openTicketWindowMs: s.openTicketWindowMs,
      linkWindowMs: s.linkWindowMs,
      ...(d.onVisit ? { onVisit: d.onVisit } : {}),
    });
    this.visits = new VisitService(d.visitStore, d.clock, s.loop);
  }

  static async start(d: ClosedLoopDeps): Promise<ClosedLoop> {
    const loop = new ClosedLoop(d);
    const now = d.clock.now();
    const keep = d.settings.window.afterMs + 6 * 3_600_000;
    const recent: TicketRecord[] = [];
    let page = await d.ticketStore.list({ from: now - keep, limit: MAX_PAGE, order: 'oldest' });
    recent.push(...page.items);
    while (page.next !== undefined) {
      page = await d.ticketStore.list({ from: now - keep, limit: MAX_PAGE, order: 'oldest', after: page.next });
      recent.push(...page.items);
    }
    const alerts = d.alerts ?? [];
    await loop.correlator.prime(recent, alerts);
    await loop.planner.prime(alerts.filter((a) => a.state !== 'cleared'));
    loop.unsubscribe = d.tickets.subscribe(async (e) => {
      await loop.correlator.onTicket(e.ticket);
      await loop.planner.onTicket(e.ticket);
    });
    return loop;
  }

  /** The rules engine's event listener: alert events are queued for correlation and planning. */
  onRulesEvent(e: RulesEvent): void {
    if (!('alert' in e)) return;
    void this.onAlert(e.alert);
  }

  /** Correlation first (complaints learn their explanation), then planning. Never rejects. */
  onAlert(a: Alert): Promise<void> {
    const p = Promise.all([this.correlator.onAlert(a), this.planner.onAlert(a)]).then(() => undefined);
    this.pending = p;
    return p;
  }

  observeOutdoor(t: number, outdoorC: number): void {
    this.correlator.observeOutdoor(t, outdoorC);
  }

  tick(now = this.d.clock.now()): Promise<void> {
    return this.planner.tick(now).catch((err: unknown) => this.d.logger.error({ err }, 'visit planner tick failed'));
  }

  async drain(): Promise<void> {
    await this.pending.catch(() => undefined);
    await this.correlator.drain();
    await this.planner.drain();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.drain();
  }
}

/** The earliest cold complaint from the compound received in [from, to] that is not yet resolved. */
export async function openComplaint(store: Pick<TicketStore, 'list'>, compoundId: string, from: number, to: number): Promise<OpenComplaint | undefined> {
  let page = await store.list({ compoundId, from, to: to + 1, order: 'oldest', limit: MAX_PAGE });
  for (;;) {
    const t = page.items.find((x) => COLD_COMPLAINTS.has(x.category) && (x.loop.stage === 'received' || x.loop.stage === 'dispatched'));
    if (t !== undefined) return { id: t.id, receivedAt: t.receivedAt };
    if (page.next === undefined) return undefined;
    page = await store.list({ compoundId, from, to: to + 1, order: 'oldest', limit: MAX_PAGE, after: page.next });
  }
}
