// The page's live picture of alerts and incidents, shared by every view: loaded once from the
// alerts API, then kept current by the `alert` / `incident` broadcasts (no reload), the summary
// re-read shortly after a change. Views subscribe with onChange; changes are coalesced per frame.
// When the alerts API is not deployed (404), `status` is 'missing' and it is asked again now and then.

import type { SignalCatalogueDto } from '../../api/routes/overview-dto';
import { ApiError, getJson, postJson, query } from './api-client';
import { isAlert, isIncident, itemsOf, parseAlerts, parseRules, worse, type Alert, type AlertSummary, type Incident, type RuleInfo, type Severity } from './alert-types';
import type { LiveClient } from './live-client';

export type FeedStatus = 'loading' | 'ready' | 'missing' | 'error';
export type AlertAction = 'acknowledge' | 'comment' | 'shelve' | 'clear';

/** Every state but cleared (the API's largest page; a city rarely has more open at once). */
const LIVE_QUERY = query({ state: 'open,acknowledged,shelved,suppressed', limit: 1000 });
const SUMMARY_DELAY_MS = 700;
const MISSING_RETRY_MS = 30_000;

export class AlertFeed {
  status: FeedStatus = 'loading';
  error: string | undefined;
  summary: AlertSummary | undefined;
  rules: RuleInfo[] = [];
  /** Units and names of the signals rules read (for values and evidence). */
  signals: SignalCatalogueDto = {};
  /** Alerts not cleared, by id. */
  readonly alerts = new Map<string, Alert>();
  /** Incidents not resolved, by id. */
  readonly incidents = new Map<string, Incident>();
  /** Ids that arrived live since load (the board highlights them). */
  readonly fresh = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private frame = 0;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly live: LiveClient) {
    live.onAlert((e) => {
      if (!isAlert(e.alert)) return;
      this.upsert(e.alert);
      this.fresh.add(e.alert.id);
      this.refreshSummarySoon();
    });
    live.onIncident((e) => {
      if (!isIncident(e.incident)) return;
      if (e.incident.state === 'open') this.incidents.set(e.incident.id, e.incident);
      else this.incidents.delete(e.incident.id);
      this.changed();
    });
    live.onState((s, reconnected) => {
      if (s === 'live' && reconnected) void this.load();
    });
  }

  onChange(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  async load(): Promise<void> {
    clearTimeout(this.retryTimer);
    try {
      const [list, summary, incidents, rules, signals] = await Promise.all([
        getJson<unknown>(`/api/alerts${LIVE_QUERY}`),
        getJson<AlertSummary>('/api/alerts/summary').catch(() => undefined),
        getJson<unknown>('/api/incidents?active=true').catch(() => ({ items: [] })),
        this.rules.length > 0 ? Promise.resolve(undefined) : getJson<unknown>('/api/rules').catch(() => undefined),
        Object.keys(this.signals).length > 0 ? Promise.resolve(this.signals) : getJson<SignalCatalogueDto>('/api/signals').catch(() => ({})),
      ]);
      this.signals = signals;
      this.alerts.clear();
      for (const a of parseAlerts(list)) if (a.state !== 'cleared') this.alerts.set(a.id, a);
      this.incidents.clear();
      for (const i of itemsOf(incidents)) if (isIncident(i) && i.state === 'open') this.incidents.set(i.id, i);
      if (rules !== undefined) this.rules = parseRules(rules);
      this.summary = summary;
      this.status = 'ready';
      this.error = undefined;
    } catch (e) {
      if (e instanceof ApiError && e.missing) {
        this.status = 'missing';
        this.retryTimer = setTimeout(() => void this.load(), MISSING_RETRY_MS);
      } else {
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
      }
    }
    this.changed();
  }

  /** Worst open severity at a station (its own alerts and its compounds'). */
  stationSeverity(id: string): Severity | undefined {
    if (this.summary) return this.summary.byStation[id];
    let w: Severity | undefined;
    for (const a of this.alerts.values()) if (a.route.stationId === id && a.state !== 'shelved') w = worse(w, a.severity);
    return w;
  }

  compoundSeverity(id: string): Severity | undefined {
    if (this.summary) return this.summary.byCompound[id];
    let w: Severity | undefined;
    for (const a of this.alerts.values()) if (a.entity.kind === 'compound' && a.entity.id === id && a.state !== 'shelved') w = worse(w, a.severity);
    return w;
  }

  ruleName(id: string): { zh: string; en: string } | undefined {
    return this.rules.find((r) => r.id === id)?.name;
  }

  /** Acknowledge, comment, shelve or clear; the changed alert comes back (and by broadcast). */
  async act(id: string, action: AlertAction, body: { comment?: string; minutes?: number }): Promise<void> {
    const res = await postJson<unknown>(`/api/alerts/${encodeURIComponent(id)}/${action}`, body);
    const a = isAlert(res) ? res : isAlert((res as { alert?: unknown } | undefined)?.alert) ? (res as { alert: Alert }).alert : undefined;
    if (a !== undefined) this.upsert(a);
    this.refreshSummarySoon();
  }

  private upsert(a: Alert): void {
    const old = this.alerts.get(a.id);
    if (old !== undefined && old.version > a.version) return; // a late broadcast must not roll it back
    if (a.state === 'cleared') this.alerts.delete(a.id);
    else this.alerts.set(a.id, a);
    this.changed();
  }

  private refreshSummarySoon(): void {
    clearTimeout(this.summaryTimer);
    this.summaryTimer = setTimeout(() => {
      void getJson<AlertSummary>('/api/alerts/summary').then(
        (s) => {
          this.summary = s;
          this.changed();
        },
        () => undefined,
      );
    }, SUMMARY_DELAY_MS);
  }

  private changed(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const f of this.listeners) f();
    });
  }
}
