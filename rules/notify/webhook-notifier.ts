// When chat robots hear about alerts, and which robots (routing by station → crew):
//
//   alert opened ──settle (1 min)──▶ still open, unacknowledged, not part of an incident, severity
//        │                          ≥ minimum (predictions always), not old news (history being
//        │                          backfilled or replayed) → 新告警 to its crew's robots
//        │                          (an incident speaks for its members: one message, not a flood)
//        ├─ severity rises ────────▶ 告警升级 to the crew
//        ├─ unacknowledged for escalateAfter ──▶ 告警上报 to the supervisor robots (once)
//        ├─ unacknowledged, every remindEvery ─▶ 告警提醒 to the crew (at most maxReminders)
//        └─ cleared ───────────────▶ 告警已恢复 to the crew
//   incident opened ──settle──▶ 关联事件 (root, stations, compounds, causes) to every crew involved;
//        reminders and escalation while any cause alert is unacknowledged.
//
// Deadlines run on the app clock (simulated time in the demo, like acknowledgements); a ticker
// checks them (default every 5 s of real time). Memory is bounded (maxTracked, oldest dropped,
// counted and logged). Delivery, retries and loss accounting are the sender's.
//
// Lifecycle: new WebhookNotifier(o); onEvent() for every rules event (synchronous, cheap);
// start() begins the ticker; stop() ends it (then the sender is closed).

import type { Clock } from '../../domain/clock';
import type { NetworkModel } from '../../domain/network';
import type { Alert } from '../alert';
import type { RulesLogger } from '../engine';
import type { RulesEvent } from '../events';
import type { Incident } from '../incident';
import { timerTicker, type Ticker } from '../live';
import { SEVERITY_RANK, type Severity } from '../severity';
import { alertMessage, incidentMessage, robotPayload, type MessageKind, type RobotMessage } from './robot-message';
import { targetsFor, type WebhookRouting, type WebhookTarget } from './webhook-targets';

const MIN = 60_000;

export interface RobotSender {
  send(target: WebhookTarget, payload: ReturnType<typeof robotPayload>, kind: string): void;
}

export interface WebhookPolicy {
  /** Wait this long after an alert opens (incident grouping settles, flickers vanish). */
  readonly settleMs: number;
  /** Unacknowledged this long after the first message: tell the supervisor. */
  readonly escalateAfterMs: number;
  /** Remind the crew this often while unacknowledged (0 = never). */
  readonly remindEveryMs: number;
  readonly maxReminders: number;
  /** Alerts below this severity stay on the dashboard only (predictions always go out). */
  readonly minSeverity: Severity;
  /** Alerts and incidents followed at once; beyond it the oldest are dropped (counted, logged). */
  readonly maxTracked: number;
  /**
   * An alert that opened (event time) longer ago than this is old news — history being replayed
   * or backfilled, a restart catching up — and is not pushed to chats (it is on the dashboard).
   */
  readonly maxAgeMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  settleMs: MIN,
  escalateAfterMs: 30 * MIN,
  remindEveryMs: 60 * MIN,
  maxReminders: 8,
  minSeverity: 'low',
  maxTracked: 5_000,
  maxAgeMs: 2 * 60 * MIN,
};

export interface WebhookNotifierOptions {
  readonly network: NetworkModel;
  readonly routing: WebhookRouting;
  readonly sender: RobotSender;
  readonly clock: Clock;
  readonly policy?: Partial<WebhookPolicy>;
  readonly ticker?: Ticker;
  /** Real-time interval of deadline checks, ms (default 5 s). */
  readonly tickMs?: number;
  /** Display names of crews (crew id → 班组名). */
  readonly crewNames?: Readonly<Record<string, string>>;
  readonly logger?: RulesLogger;
}

interface Followed {
  notifiedAt: number;
  lastRemindAt: number;
  reminders: number;
  supervised: boolean;
}

export class WebhookNotifier {
  private readonly policy: WebhookPolicy;
  /** Latest snapshot of every alert we wait on or follow (and of incident causes). */
  private readonly alerts = new Map<string, Alert>();
  private readonly incidents = new Map<string, Incident>();
  private readonly settling = new Map<string, number>();
  private readonly settlingIncidents = new Map<string, number>();
  private readonly followed = new Map<string, Followed>();
  private readonly followedIncidents = new Map<string, Followed>();
  private cancel: (() => void) | undefined;
  dropped = 0;

  constructor(private readonly o: WebhookNotifierOptions) {
    this.policy = { ...DEFAULT_WEBHOOK_POLICY, ...o.policy };
  }

  start(): void {
    this.cancel ??= (this.o.ticker ?? timerTicker).every(this.o.tickMs ?? 5_000, () => this.tick());
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  onEvent(e: RulesEvent): void {
    const now = this.o.clock.now();
    if ('incident' in e) {
      const i = e.incident;
      this.incidents.set(i.id, i);
      if (e.type === 'incident.opened') this.settlingIncidents.set(i.id, now + this.policy.settleMs);
      if (i.state !== 'open') this.forgetIncident(i.id);
      this.bound();
      return;
    }
    const a = e.alert;
    const known = this.alerts.has(a.id) || this.isCauseOfFollowed(a.id);
    if (e.type === 'alert.opened' || ((e.reason === 'unshelved' || e.reason === 'unsuppressed') && !this.followed.has(a.id))) {
      this.alerts.set(a.id, a);
      this.settling.set(a.id, now + this.policy.settleMs);
    } else if (known) this.alerts.set(a.id, a);
    const f = this.followed.get(a.id);
    if (f !== undefined && e.reason === 'escalated' && a.state === 'open' && a.incidentId === undefined) this.sendAlert('escalated', a, [a.route.crew]);
    if (e.type === 'alert.cleared') {
      this.settling.delete(a.id);
      if (f !== undefined) this.sendAlert('cleared', a, [a.route.crew]);
      this.followed.delete(a.id);
      if (!this.isCauseOfFollowed(a.id)) this.alerts.delete(a.id);
    }
    this.bound();
  }

  /** Checks deadlines against the app clock (the ticker calls it; tests may too). */
  tick(): void {
    const now = this.o.clock.now();
    for (const [id, due] of [...this.settling]) {
      if (now < due) continue;
      this.settling.delete(id);
      const a = this.alerts.get(id);
      if (a === undefined || !this.worthTelling(a) || now - a.openedAt > this.policy.maxAgeMs) {
        if (!this.isCauseOfFollowed(id)) this.alerts.delete(id);
        continue;
      }
      this.sendAlert('opened', a, [a.route.crew]);
      this.followed.set(id, { notifiedAt: now, lastRemindAt: now, reminders: 0, supervised: false });
    }
    for (const [id, due] of [...this.settlingIncidents]) {
      if (now < due) continue;
      this.settlingIncidents.delete(id);
      const i = this.incidents.get(id);
      if (i === undefined || i.state !== 'open' || now - i.openedAt > this.policy.maxAgeMs) continue;
      this.sendIncident('incident', i, i.route.crews);
      this.followedIncidents.set(id, { notifiedAt: now, lastRemindAt: now, reminders: 0, supervised: false });
    }
    for (const [id, f] of this.followed) {
      const a = this.alerts.get(id);
      if (a === undefined || a.state !== 'open' || a.incidentId !== undefined) continue;
      this.chase(f, now, (kind) => this.sendAlert(kind, a, kind === 'supervisor' ? [] : [a.route.crew]));
    }
    for (const [id, f] of this.followedIncidents) {
      const i = this.incidents.get(id);
      if (i === undefined || i.state !== 'open' || !this.unacknowledged(i)) continue;
      this.chase(f, now, (kind) => this.sendIncident(kind, i, kind === 'supervisor' ? [] : i.route.crews));
    }
  }

  /** Tracked counts, for tests and /metrics. */
  sizes(): { settling: number; followed: number; incidents: number } {
    return { settling: this.settling.size + this.settlingIncidents.size, followed: this.followed.size, incidents: this.followedIncidents.size };
  }

  private chase(f: Followed, now: number, send: (kind: 'supervisor' | 'reminder') => void): void {
    if (!f.supervised && now - f.notifiedAt >= this.policy.escalateAfterMs) {
      f.supervised = true;
      send('supervisor');
    }
    if (this.policy.remindEveryMs > 0 && f.reminders < this.policy.maxReminders && now - f.lastRemindAt >= this.policy.remindEveryMs) {
      f.reminders++;
      f.lastRemindAt = now;
      send('reminder');
    }
  }

  private worthTelling(a: Alert): boolean {
    if (a.state !== 'open' || a.incidentId !== undefined) return false;
    return a.category === 'prediction' || SEVERITY_RANK[a.peakSeverity] >= SEVERITY_RANK[this.policy.minSeverity];
  }

  private unacknowledged(i: Incident): boolean {
    // Unknown causes count as unacknowledged: silence must not be mistaken for an answer.
    return i.causeAlertIds.some((id) => i.liveAlertIds.includes(id) && (this.alerts.get(id)?.state ?? 'open') === 'open');
  }

  private isCauseOfFollowed(alertId: string): boolean {
    for (const id of this.followedIncidents.keys()) if (this.incidents.get(id)?.causeAlertIds.includes(alertId) === true) return true;
    for (const id of this.settlingIncidents.keys()) if (this.incidents.get(id)?.causeAlertIds.includes(alertId) === true) return true;
    return false;
  }

  private forgetIncident(id: string): void {
    this.settlingIncidents.delete(id);
    this.followedIncidents.delete(id);
    this.incidents.delete(id);
  }

  private targets(kind: MessageKind, crews: readonly (string | undefined)[]): WebhookTarget[] {
    if (kind === 'supervisor') return [...this.o.routing.supervisor];
    return targetsFor(this.o.routing, crews);
  }

  private sendAlert(kind: Exclude<MessageKind, 'incident'>, a: Alert, crews: readonly (string | undefined)[]): void {
    const crew = a.route.crew;
    const crewName = crew === undefined ? undefined : (this.o.crewNames?.[crew] ?? crew);
    const note = kind === 'supervisor' ? `已超过 ${Math.round(this.policy.escalateAfterMs / MIN)} 分钟无人确认，请督办。` : kind === 'reminder' ? '告警仍未确认，请尽快处理并在看板上确认。' : undefined;
    this.deliver(kind, this.targets(kind, crews), alertMessage(kind, a, this.o.network, { ...(crewName === undefined ? {} : { crewName }), ...(note === undefined ? {} : { note }) }));
  }

  private sendIncident(kind: 'incident' | 'reminder' | 'supervisor', i: Incident, crews: readonly string[]): void {
    const causes = i.causeAlertIds.map((id) => this.alerts.get(id)).filter((a): a is Alert => a !== undefined);
    this.deliver(kind, this.targets(kind, crews), incidentMessage(i, causes, this.o.network, { kind }));
  }

  private deliver(kind: MessageKind, targets: readonly WebhookTarget[], m: RobotMessage): void {
    for (const t of targets) this.o.sender.send(t, robotPayload(t.kind, m), kind);
  }

  /** Keeps memory bounded: the oldest followed alerts go first. */
  private bound(): void {
    const over = this.alerts.size - this.policy.maxTracked;
    if (over <= 0) return;
    let n = 0;
    for (const id of this.alerts.keys()) {
      if (n >= over) break;
      this.alerts.delete(id);
      this.settling.delete(id);
      this.followed.delete(id);
      n++;
    }
    this.dropped += n;
    this.o.logger?.warn({ dropped: n, maxTracked: this.policy.maxTracked }, 'webhook notifier dropped the oldest followed alerts');
  }
}
