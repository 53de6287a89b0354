// #/crew?crew=<id> — the crew's phone view, for a stairwell in January: its open alerts and its
// visits, each with the address, what to check, and big buttons (acknowledge; one tap to record a
// visit's outcome). A crew user sees its own crew; others pick one. Alerts arrive live.

import { SEVERITY_RANK, type Alert } from '../alert-types';
import { alertRow } from '../alert-row';
import { ApiError, getJson, query } from '../api-client';
import { el } from '../element';
import { localName, t, tr } from '../i18n';
import type { AppContext, Page } from '../page';
import type { Route } from '../router';
import { visitCard } from '../visit-card';
import { isPending, parseVisits, type Visit } from '../visit-types';

const TEXT = {
  zh: {
    title: '班组',
    pick: '选择班组',
    stations: '座换热站',
    alerts: '我的告警',
    visits: '走访任务',
    done: '最近已反馈',
    noAlerts: '没有未关闭的告警',
    noVisits: '没有待走访的工单',
    alertsMissing: '告警接口尚未提供',
    visitsMissing: '走访接口尚未提供',
  },
  en: {
    title: 'Crew',
    pick: 'Pick a crew',
    stations: 'stations',
    alerts: 'My alerts',
    visits: 'Visits to make',
    done: 'Recently recorded',
    noAlerts: 'No open alerts',
    noVisits: 'No visits waiting',
    alertsMissing: 'Alerts API not available yet',
    visitsMissing: 'Visits API not available yet',
  },
} as const;

export class CrewPage implements Page {
  readonly root = el('div', { class: 'crew-page', data: { testid: 'crew-page' } });
  private visits: Visit[] | 'missing' | undefined;
  private visitsError: string | undefined;
  private abort = new AbortController();
  private readonly offAlerts: () => void;
  private readonly timer: ReturnType<typeof setInterval>;
  /** Alert rows kept while someone is typing in one (a broadcast must not wipe the comment). */
  private rows = new Map<string, { key: string; el: HTMLElement }>();

  constructor(
    private readonly ctx: AppContext,
    private route: Route,
  ) {
    this.offAlerts = ctx.alerts.onChange(() => this.render());
    this.render();
    void this.load();
    this.timer = setInterval(() => void this.load(), 30_000);
  }

  private get crew(): string | undefined {
    const own = this.ctx.session?.role === 'crew' ? this.ctx.session.crewId : undefined;
    return own ?? this.route.params.crew ?? this.crews()[0];
  }

  private crews(): string[] {
    return [...new Set(this.ctx.network.stations.map((s) => s.crew))].sort();
  }

  update(r: Route): boolean {
    this.route = r;
    this.visits = undefined;
    this.abort.abort();
    this.abort = new AbortController();
    this.render();
    void this.load();
    return true;
  }

  reload(): void {
    void this.load();
  }

  destroy(): void {
    this.abort.abort();
    clearInterval(this.timer);
    this.offAlerts();
  }

  private async load(): Promise<void> {
    const crew = this.crew;
    if (crew === undefined) return;
    const signal = this.abort.signal;
    try {
      this.visits = parseVisits(await getJson<unknown>(`/api/visits${query({ crew, limit: 100 })}`, signal));
      this.visitsError = undefined;
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.missing) this.visits = 'missing';
      else this.visitsError = e instanceof Error ? e.message : String(e);
    }
    this.render();
  }

  render(): void {
    const x = tr(TEXT);
    const crew = this.crew;
    const stations = this.ctx.network.stations.filter((s) => s.crew === crew);
    const ids = new Set(stations.map((s) => s.id));
    const head = el('header', { class: 'crew-head' }, [
      el('div', {}, [el('h1', { class: 'crew-title', text: crew ?? x.title, data: { testid: 'crew-title' } }), el('div', { class: 'muted', text: `${stations.length} ${x.stations}: ${stations.map((s) => localName(s)).join('、')}` })]),
      this.ctx.session?.role === 'crew' ? null : this.crewPicker(crew),
    ]);

    const feed = this.ctx.alerts;
    let alerts: HTMLElement;
    if (feed.status === 'ready') {
      const mine = [...feed.alerts.values()]
        .filter((a) => a.route.crew === crew || (a.route.stationId !== undefined && ids.has(a.route.stationId)))
        .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open') || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.openedAt - a.openedAt);
      const rows = new Map<string, { key: string; el: HTMLElement }>();
      const row = (a: Alert): HTMLElement => {
        const key = `${a.version}:${a.state}:${document.documentElement.lang}`;
        const old = this.rows.get(a.id);
        const busy = old?.el.querySelector('.alert-form:not([hidden])') != null;
        const r = old !== undefined && (old.key === key || busy) ? old : { key, el: alertRow(a, { feed, network: this.ctx.network, canWrite: this.ctx.can('alerts:write'), compact: true, fresh: feed.fresh.has(a.id) }) };
        rows.set(a.id, r);
        return r.el;
      };
      alerts = mine.length > 0 ? el('div', { class: 'alert-list', data: { testid: 'crew-alerts' } }, mine.map(row)) : el('div', { class: 'empty-state', text: x.noAlerts });
      this.rows = rows;
    } else {
      alerts = el('div', { class: 'empty-state', text: feed.status === 'loading' ? t('loading') : x.alertsMissing });
    }

    let visits: HTMLElement;
    let done: HTMLElement | null = null;
    if (this.visits === undefined) visits = el('div', { class: this.visitsError ? 'empty-state error-note' : 'empty-state', text: this.visitsError ?? t('loading') });
    else if (this.visits === 'missing') visits = el('div', { class: 'empty-state', text: x.visitsMissing, data: { testid: 'crew-visits-missing' } });
    else {
      const now = this.ctx.serverNow();
      const card = (v: Visit): HTMLElement => visitCard(v, { network: this.ctx.network, now, canWrite: this.ctx.can('tickets:write'), compact: true, onRecorded: () => void this.load() });
      const pending = this.visits.filter(isPending).sort((a, b) => a.dueAt - b.dueAt);
      const recorded = this.visits.filter((v) => !isPending(v)).slice(0, 5);
      visits = pending.length > 0 ? el('div', { class: 'visit-cards', data: { testid: 'crew-visits' } }, pending.map(card)) : el('div', { class: 'empty-state', text: x.noVisits });
      if (recorded.length > 0) done = el('section', { class: 'crew-section' }, [el('h2', { text: x.done }), el('div', { class: 'visit-cards' }, recorded.map(card))]);
    }
    this.root.replaceChildren(
      head,
      el('section', { class: 'crew-section' }, [el('h2', { text: x.visits }), visits]),
      el('section', { class: 'crew-section' }, [el('h2', { text: x.alerts }), alerts]),
      ...(done ? [done] : []),
    );
  }

  private crewPicker(current: string | undefined): HTMLElement {
    const sel = el('select', { class: 'select crew-select', data: { testid: 'crew-picker' }, attrs: { 'aria-label': tr(TEXT).pick } }, this.crews().map((c) => el('option', { text: c, attrs: { value: c } })));
    if (current !== undefined) sel.value = current;
    sel.addEventListener('change', () => this.ctx.go({ page: 'crew', params: { crew: sel.value } }, true));
    return sel;
  }
}
