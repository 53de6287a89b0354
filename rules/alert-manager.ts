// The alert lifecycle: raises and updates alerts from rule activations (one live alert per rule
// and entity), applies operator actions, shelving, chattering suppression and auto-clear,
// emits events and writes every change through the AlertStore (serialised, failures counted).
//
// Called by the engine only: activate/deactivate/observe while evaluating an instant (event
// time), sweep at timer ticks (event time), expireShelves on each call (wall clock, since
// operators shelve in wall time), and the operator actions from the API.

import type { Clock } from '../domain/clock';
import { HeatError } from '../domain/errors';
import { addHistory, cloneAlert, type Alert, type AlertAction, type Evidence } from './alert';
import type { AlertStore } from './alert-store';
import type { CompiledRule } from './compile-rule';
import type { AlertEvent, RulesEvent } from './events';
import type { Scope } from './scope';
import type { WriteQueue } from './write-queue';
import { maxSeverity, SEVERITY_RANK, type Severity } from './severity';

export interface EntityInfo {
  readonly name: string;
  readonly route: Alert['route'];
}

export interface AlertManagerOptions {
  readonly store: AlertStore;
  readonly clock: Clock;
  readonly emit: (e: RulesEvent) => void;
  readonly describe: (kind: Scope, id: string) => EntityInfo;
  /** An unacknowledged alert back to normal clears itself after this (event time), unless its rule says otherwise. */
  readonly autoClearMs: number;
  readonly shelveDefaultMs: number;
  /** ISA-18.2: shelving must be time-limited. */
  readonly shelveMaxMs: number;
  /** Called after an alert opened, escalated or cleared (incident grouping). */
  readonly onChange: (a: Alert, t: number) => void;
  readonly queue: WriteQueue;
}

export interface ActivationInfo {
  readonly severity: Severity;
  readonly value: number | string | boolean | null;
  readonly evidence: Evidence;
  /** Activations of this rule on this entity within the chatter window, this one included. */
  readonly recentActivations: number;
  readonly chatter: { readonly transitions: number; readonly windowMs: number };
}

const RECENT_CLEARED = 1_000;

export class AlertManager {
  private readonly live = new Map<string, Alert>();
  private readonly keyById = new Map<string, string>();
  private readonly rules = new Map<string, CompiledRule>();
  /** Recently cleared alerts, still open to comments. Bounded. */
  private readonly recentCleared = new Map<string, Alert>();
  /** Live alerts with an event-time deadline: returned-to-normal (auto-clear) or suppressed. */
  private readonly timed = new Set<string>();
  private readonly shelved = new Set<string>();

  constructor(private readonly o: AlertManagerOptions) {}

  static key(ruleId: string, entityKey: string): string {
    return `${ruleId}|${entityKey}`;
  }

  get(key: string): Alert | undefined {
    return this.live.get(key);
  }

  byId(id: string): Alert | undefined {
    const key = this.keyById.get(id);
    return key === undefined ? this.recentCleared.get(id) : this.live.get(key);
  }

  liveAlerts(): Alert[] {
    return [...this.live.values()];
  }

  /**
   * Take back a live alert from the store after a restart (before any ingest): it is live again
   * with its timers (auto-clear, suppression, shelving). No event, no write: nothing changed.
   */
  restore(rule: CompiledRule, a: Alert): void {
    this.rules.set(rule.id, rule);
    const key = this.keyOf(a);
    this.live.set(key, a);
    this.keyById.set(a.id, key);
    if (a.state === 'suppressed' || (a.state === 'open' && !a.active)) this.timed.add(key);
    if (a.state === 'shelved') this.shelved.add(key);
  }

  /** The condition activated at `t` (a new alert, or a repeat of the live one). */
  activate(rule: CompiledRule, kind: Scope, id: string, t: number, info: ActivationInfo): Alert {
    this.rules.set(rule.id, rule);
    const key = AlertManager.key(rule.id, `${kind}/${id}`);
    const chattering = info.recentActivations >= info.chatter.transitions;
    const existing = this.live.get(key);
    if (existing !== undefined) {
      const a = existing;
      a.count++;
      a.active = true;
      delete a.returnedAt;
      a.lastSeenAt = t;
      a.value = info.value;
      a.severity = info.severity;
      a.peakSeverity = maxSeverity(a.peakSeverity, info.severity);
      addHistory(a, { action: 'repeated', by: 'system', at: t });
      let reason: AlertAction = 'repeated';
      if (a.state === 'suppressed') a.suppressedUntil = t + info.chatter.windowMs;
      else if (chattering && (a.state === 'open' || a.state === 'acknowledged')) {
        this.suppress(a, t, info.chatter.windowMs);
        reason = 'suppressed';
      }
      if (a.state !== 'suppressed') this.timed.delete(key);
      this.changed(a, 'alert.updated', reason);
      this.o.onChange(a, t);
      return a;
    }
    const info2 = this.o.describe(kind, id);
    const a: Alert = {
      id: `${rule.id}@${kind}/${id}@${t}`,
      version: 0,
      ruleId: rule.id,
      ruleName: rule.def.name,
      category: rule.def.category,
      role: rule.def.role,
      entity: { kind, id, name: info2.name },
      route: info2.route,
      state: 'open',
      active: true,
      severity: info.severity,
      peakSeverity: info.severity,
      openedAt: t,
      lastSeenAt: t,
      count: 1,
      value: info.value,
      evidence: info.evidence,
      history: [{ action: 'opened', by: 'system', at: t }],
      historyDropped: 0,
    };
    this.live.set(key, a);
    this.keyById.set(a.id, key);
    if (chattering) this.suppress(a, t, info.chatter.windowMs);
    this.changed(a, 'alert.opened', 'opened');
    this.o.onChange(a, t);
    return a;
  }

  /** While the condition stays active: keep value and severity current; escalation is news. */
  observe(key: string, t: number, severity: Severity, value: number | string | boolean | null): void {
    const a = this.live.get(key);
    if (a === undefined || !a.active) return;
    a.lastSeenAt = t;
    a.value = value;
    a.severity = severity;
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[a.peakSeverity]) {
      a.peakSeverity = severity;
      addHistory(a, { action: 'escalated', by: 'system', at: t, comment: severity });
      this.changed(a, 'alert.updated', 'escalated');
      this.o.onChange(a, t);
    }
  }

  /** The condition returned to normal at `t`. */
  deactivate(key: string, t: number): void {
    const a = this.live.get(key);
    if (a === undefined || !a.active) return;
    a.active = false;
    a.returnedAt = t;
    a.lastSeenAt = t;
    addHistory(a, { action: 'returned', by: 'system', at: t });
    if (a.state === 'acknowledged') {
      this.close(a, 'system', t, 'returned to normal after acknowledgement');
      return;
    }
    if (a.state === 'open' || a.state === 'suppressed') this.timed.add(key);
    this.changed(a, 'alert.updated', 'returned');
  }

  /** Event-time deadlines: end of suppression, auto-clear of returned unacknowledged alerts. */
  sweep(t: number): void {
    for (const key of [...this.timed]) {
      const a = this.live.get(key);
      if (a === undefined) {
        this.timed.delete(key);
        continue;
      }
      if (a.state === 'suppressed') {
        if (a.suppressedUntil !== undefined && t >= a.suppressedUntil) {
          if (!a.active) this.close(a, 'system', t, 'chattering ended; condition normal');
          else {
            a.state = a.resumeState ?? 'open';
            delete a.suppressedUntil;
            delete a.resumeState;
            this.timed.delete(key);
            addHistory(a, { action: 'unsuppressed', by: 'system', at: t });
            this.changed(a, 'alert.updated', 'unsuppressed');
          }
        }
        continue;
      }
      if (a.state === 'open' && !a.active && a.returnedAt !== undefined) {
        const after = this.rules.get(a.ruleId)?.def.autoClear ?? this.o.autoClearMs;
        if (t - a.returnedAt >= after) this.close(a, 'system', t, 'auto-cleared: back to normal, not acknowledged');
        continue;
      }
      this.timed.delete(key);
    }
  }

  /** Wall-clock expiry of shelving. */
  expireShelves(now: number): void {
    for (const key of [...this.shelved]) {
      const a = this.live.get(key);
      if (a === undefined || a.state !== 'shelved') {
        this.shelved.delete(key);
        continue;
      }
      if (a.shelvedUntil === undefined || now < a.shelvedUntil) continue;
      this.shelved.delete(key);
      if (!a.active) {
        this.close(a, 'system', now, 'shelving expired; condition normal');
        continue;
      }
      a.state = a.resumeState ?? 'open';
      delete a.shelvedUntil;
      delete a.resumeState;
      addHistory(a, { action: 'unshelved', by: 'system', at: now, comment: 'shelving expired' });
      this.changed(a, 'alert.updated', 'unshelved');
    }
  }

  acknowledge(id: string, who: string, comment?: string): Alert {
    const a = this.requireLive(id, 'acknowledge');
    if (a.state === 'acknowledged') return cloneAlert(a);
    const at = this.o.clock.now();
    a.acknowledged = { by: who, at, ...(comment === undefined ? {} : { comment }) };
    addHistory(a, { action: 'acknowledged', by: who, at, ...(comment === undefined ? {} : { comment }) });
    this.shelved.delete(this.keyOf(a));
    delete a.shelvedUntil;
    delete a.suppressedUntil;
    delete a.resumeState;
    a.state = 'acknowledged';
    this.changed(a, 'alert.acknowledged', 'acknowledged');
    // Acknowledging an alert that already returned to normal completes it.
    if (!a.active) this.close(a, who, at, comment ?? 'acknowledged after return to normal');
    return cloneAlert(a);
  }

  comment(id: string, who: string, comment: string): Alert {
    const a = this.byId(id);
    if (a === undefined) throw new HeatError('NOT_FOUND', `alert ${id}`);
    addHistory(a, { action: 'commented', by: who, at: this.o.clock.now(), comment });
    this.changed(a, 'alert.updated', 'commented');
    return cloneAlert(a);
  }

  shelve(id: string, who: string, comment: string | undefined, forMs?: number): Alert {
    const a = this.requireLive(id, 'shelve');
    const ms = forMs ?? this.o.shelveDefaultMs;
    if (!(ms > 0)) throw new HeatError('BAD_REQUEST', `alert ${id}: shelving needs a positive duration, not ${ms}`);
    const at = this.o.clock.now();
    if (a.state !== 'shelved') a.resumeState = a.state === 'acknowledged' ? 'acknowledged' : 'open';
    a.state = 'shelved';
    a.shelvedUntil = at + Math.min(ms, this.o.shelveMaxMs);
    delete a.suppressedUntil;
    const key = this.keyOf(a);
    this.timed.delete(key);
    this.shelved.add(key);
    addHistory(a, { action: 'shelved', by: who, at, ...(comment === undefined ? {} : { comment }) });
    this.changed(a, 'alert.shelved', 'shelved');
    return cloneAlert(a);
  }

  /** Operator clear. A condition still active re-raises only after it returns to normal and fires again. */
  clear(id: string, who: string, comment?: string): Alert {
    const a = this.requireLive(id, 'clear');
    this.close(a, who, this.o.clock.now(), comment);
    return cloneAlert(a);
  }

  /** Clear every live alert of a rule (the rule was disabled). */
  clearRule(ruleId: string, t: number, why: string): void {
    for (const a of [...this.live.values()]) if (a.ruleId === ruleId) this.close(a, 'system', t, why);
  }

  /** Record an incident membership change on a live alert. */
  setIncident(a: Alert, incidentId: string | undefined, t: number): void {
    if (a.incidentId === incidentId) return;
    if (incidentId === undefined) delete a.incidentId;
    else a.incidentId = incidentId;
    addHistory(a, { action: 'grouped', by: 'system', at: t, ...(incidentId === undefined ? {} : { comment: incidentId }) });
    this.changed(a, 'alert.updated', 'grouped');
  }

  private suppress(a: Alert, t: number, windowMs: number): void {
    a.resumeState = a.state === 'acknowledged' ? 'acknowledged' : 'open';
    a.state = 'suppressed';
    a.suppressedUntil = t + windowMs;
    this.timed.add(this.keyOf(a));
    addHistory(a, { action: 'suppressed', by: 'system', at: t, comment: `chattering: ${a.count} activations` });
  }

  private close(a: Alert, who: string, at: number, comment: string | undefined): void {
    const key = this.keyOf(a);
    a.state = 'cleared';
    a.clearedAt = at;
    a.cleared = { by: who, at, ...(comment === undefined ? {} : { comment }) };
    delete a.shelvedUntil;
    delete a.suppressedUntil;
    delete a.resumeState;
    addHistory(a, { action: 'cleared', by: who, at, ...(comment === undefined ? {} : { comment }) });
    this.live.delete(key);
    this.keyById.delete(a.id);
    this.timed.delete(key);
    this.shelved.delete(key);
    this.recentCleared.set(a.id, a);
    if (this.recentCleared.size > RECENT_CLEARED) {
      const oldest = this.recentCleared.keys().next().value;
      if (oldest !== undefined) this.recentCleared.delete(oldest);
    }
    this.changed(a, 'alert.cleared', 'cleared');
    this.o.onChange(a, at);
  }

  private keyOf(a: Alert): string {
    return AlertManager.key(a.ruleId, `${a.entity.kind}/${a.entity.id}`);
  }

  private requireLive(id: string, what: string): Alert {
    const key = this.keyById.get(id);
    const a = key === undefined ? undefined : this.live.get(key);
    if (a !== undefined) return a;
    if (this.recentCleared.has(id)) throw new HeatError('CONFLICT', `alert ${id} is cleared; cannot ${what} it`);
    throw new HeatError('NOT_FOUND', `alert ${id}`);
  }

  private changed(a: Alert, type: AlertEvent['type'], reason: AlertAction): void {
    a.version++;
    const snapshot = cloneAlert(a);
    this.o.emit({ type, alert: snapshot, reason });
    const write = cloneAlert(a);
    this.o.queue.push(`alert ${a.id}`, () => this.o.store.putAlert(write));
  }
}
