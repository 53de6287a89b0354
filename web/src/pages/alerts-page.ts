// #/alerts?severity=&network=&rule=&station=&state= — the live alert board. New alerts appear
// without reload (the shared feed listens to socket.io) and flash; filters live in the URL so a
// screen can be set up once; incidents group the alerts one root cause explains and expand to
// their children.

import { SEVERITIES, SEVERITY_RANK, type Alert, type Incident } from '../alert-types';
import { alertRow } from '../alert-row';
import { incidentName } from '../alert-text';
import { el } from '../element';
import { dateTime } from '../format';
import { localName, t, tr } from '../i18n';
import type { AppContext, Page } from '../page';
import type { Route } from '../router';
import { severityColour, severityLabel } from '../severity-style';

const TEXT = {
  zh: {
    title: '告警',
    sub: (n: number, inc: number) => `${n} 条未关闭 · ${inc} 起关联事件 · 实时更新`,
    allSev: '全部级别',
    allNets: '全部一次网',
    allRules: '全部规则',
    station: '换热站',
    clearFilter: '清除筛选',
    states: { live: '全部未关闭', open: '未确认', acknowledged: '已确认', shelved: '已搁置' },
    none: '没有符合条件的告警',
    incident: '关联事件',
    stations: (n: number) => `${n} 站`,
    compounds: (n: number) => `${n} 个小区`,
    alerts: '条告警',
    expand: '展开',
    collapse: '收起',
    missing: '告警接口尚未提供：规则引擎接入后，这里实时显示告警。',
    since: '开始',
  },
  en: {
    title: 'Alerts',
    sub: (n: number, inc: number) => `${n} open · ${inc} incidents · live`,
    allSev: 'All severities',
    allNets: 'All primary networks',
    allRules: 'All rules',
    station: 'Station',
    clearFilter: 'Clear filters',
    states: { live: 'All open', open: 'Unacknowledged', acknowledged: 'Acknowledged', shelved: 'Shelved' },
    none: 'No alerts match',
    incident: 'Incident',
    stations: (n: number) => `${n} station${n === 1 ? '' : 's'}`,
    compounds: (n: number) => `${n} compound${n === 1 ? '' : 's'}`,
    alerts: 'alerts',
    expand: 'Expand',
    collapse: 'Collapse',
    missing: 'The alerts API is not available yet: once the rules engine is wired, alerts show here live.',
    since: 'since',
  },
} as const;

type StateFilter = keyof (typeof TEXT)['zh']['states'];
const STATE_FILTERS: readonly StateFilter[] = ['live', 'open', 'acknowledged', 'shelved'];

export class AlertsPage implements Page {
  readonly root = el('div', { class: 'page alerts-page', data: { testid: 'alerts-page' } });
  private readonly offFeed: () => void;
  private readonly expanded = new Set<string>();
  /** Rows by alert id: reused while unchanged, and kept while someone is typing in one. */
  private rows = new Map<string, { key: string; el: HTMLElement }>();

  constructor(
    private readonly ctx: AppContext,
    private route: Route,
  ) {
    this.offFeed = ctx.alerts.onChange(() => this.render());
    this.render();
  }

  update(r: Route): boolean {
    this.route = r;
    this.render();
    return true;
  }

  render(): void {
    const x = tr(TEXT);
    const feed = this.ctx.alerts;
    const head = el('header', { class: 'page-head' }, [
      el('div', {}, [el('h1', { class: 'page-title', text: x.title }), el('div', { class: 'page-sub', text: feed.status === 'ready' ? x.sub(feed.alerts.size, feed.incidents.size) : '' })]),
    ]);
    if (feed.status !== 'ready') {
      const text = feed.status === 'loading' ? t('loading') : feed.status === 'missing' ? x.missing : `${t('loadFailed')}: ${feed.error ?? ''}`;
      this.root.replaceChildren(head, el('div', { class: 'empty-state', text, data: { testid: 'alerts-empty' } }));
      return;
    }
    const list = this.filtered();
    const inIncident = new Map<string, Incident>();
    for (const inc of feed.incidents.values()) for (const id of inc.liveAlertIds) inIncident.set(id, inc);
    const incidents = [...feed.incidents.values()].filter((inc) => list.some((a) => inIncident.get(a.id)?.id === inc.id)).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.openedAt - a.openedAt);
    const single = list.filter((a) => !inIncident.has(a.id));
    const canWrite = this.ctx.can('alerts:write');
    const rows = new Map<string, { key: string; el: HTMLElement }>();
    const row = (a: Alert): HTMLElement => {
      const key = `${a.version}:${a.state}:${document.documentElement.lang}`;
      const old = this.rows.get(a.id);
      const busy = old?.el.querySelector('.alert-form:not([hidden]), .alert-details:not([hidden])') != null;
      const r = old !== undefined && (old.key === key || busy) ? old : { key, el: alertRow(a, { feed, network: this.ctx.network, canWrite, fresh: feed.fresh.has(a.id) }) };
      rows.set(a.id, r);
      return r.el;
    };
    const body = el('div', { class: 'alert-list', data: { testid: 'alert-list' } }, [
      ...incidents.map((inc) => this.incidentCard(inc, list.filter((a) => inIncident.get(a.id)?.id === inc.id), row)),
      ...single.map(row),
    ]);
    if (list.length === 0) body.append(el('div', { class: 'empty-state', text: x.none }));
    // Fresh marks flash once.
    feed.fresh.clear();
    this.rows = rows;
    this.root.replaceChildren(head, this.filters(), body);
  }

  destroy(): void {
    this.offFeed();
  }

  private param(k: string): string | undefined {
    return this.route.params[k];
  }

  private set(k: string, v: string | undefined): void {
    this.ctx.go({ page: 'alerts', params: { ...this.route.params, [k]: v ?? '' } }, true);
  }

  private filtered(): Alert[] {
    const sev = this.param('severity');
    const net = this.param('network');
    const rule = this.param('rule');
    const station = this.param('station');
    const state = (this.param('state') ?? 'live') as StateFilter;
    return [...this.ctx.alerts.alerts.values()]
      .filter((a) => sev === undefined || a.severity === sev)
      .filter((a) => net === undefined || a.route.primaryNetworkId === net || (a.entity.kind === 'primary' && a.entity.id === net))
      .filter((a) => rule === undefined || a.ruleId === rule)
      .filter((a) => station === undefined || a.route.stationId === station)
      .filter((a) => state === 'live' || a.state === state)
      .sort((a, b) => Number(b.state === 'open') - Number(a.state === 'open') || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.openedAt - a.openedAt);
  }

  private filters(): HTMLElement {
    const x = tr(TEXT);
    const sev = this.param('severity');
    const sevButtons = el('div', { class: 'segmented', data: { testid: 'filter-severity' } }, [
      segButton(x.allSev, sev === undefined, () => this.set('severity', undefined)),
      ...[...SEVERITIES].reverse().map((s) => {
        const b = segButton(severityLabel(s), sev === s, () => this.set('severity', s));
        b.dataset.severity = s;
        b.style.setProperty('--sev', severityColour(s));
        b.classList.add('sev-seg');
        return b;
      }),
    ]);
    const nets = select(
      'filter-network',
      [['', x.allNets], ...this.ctx.network.primaryNetworks.map((n): [string, string] => [n.id, localName(n)])],
      this.param('network') ?? '',
      (v) => this.set('network', v),
    );
    const ruleIds = new Set([...this.ctx.alerts.rules.map((r) => r.id), ...[...this.ctx.alerts.alerts.values()].map((a) => a.ruleId)]);
    const rules = select(
      'filter-rule',
      [['', x.allRules], ...[...ruleIds].map((id): [string, string] => {
        const n = this.ctx.alerts.ruleName(id) ?? [...this.ctx.alerts.alerts.values()].find((a) => a.ruleId === id)?.ruleName;
        return [id, n ? (tr({ zh: n.zh, en: n.en }) as string) : id];
      })],
      this.param('rule') ?? '',
      (v) => this.set('rule', v),
    );
    const state = this.param('state') ?? 'live';
    const states = el('div', { class: 'segmented', data: { testid: 'filter-state' } }, STATE_FILTERS.map((s) => segButton(x.states[s], state === s, () => this.set('state', s === 'live' ? undefined : s))));
    const station = this.param('station');
    const st = station === undefined ? undefined : this.ctx.network.stations.find((s) => s.id === station);
    const chips = station !== undefined ? el('button', { class: 'btn filter-chip', text: `${x.station}: ${st ? localName(st) : station} ✕`, attrs: { type: 'button' } }) : null;
    chips?.addEventListener('click', () => this.set('station', undefined));
    const reset = el('button', { class: 'btn', text: x.clearFilter, attrs: { type: 'button' } });
    reset.addEventListener('click', () => this.ctx.go({ page: 'alerts', params: {} }, true));
    return el('div', { class: 'filters' }, [sevButtons, states, nets, rules, chips, reset]);
  }

  private incidentCard(inc: Incident, children: Alert[], row: (a: Alert) => HTMLElement): HTMLElement {
    const x = tr(TEXT);
    const open = this.expanded.has(inc.id);
    const toggle = el('button', { class: 'btn incident-toggle', text: open ? x.collapse : `${x.expand} (${children.length})`, attrs: { type: 'button', 'aria-expanded': String(open) }, data: { testid: 'incident-toggle' } });
    toggle.addEventListener('click', () => {
      if (open) this.expanded.delete(inc.id);
      else this.expanded.add(inc.id);
      this.render();
    });
    const card = el('section', { class: 'incident', data: { incident: inc.id, testid: 'incident' } }, [
      el('header', { class: 'incident-head' }, [
        el('span', { class: 'sev-pill', text: severityLabel(inc.severity) }),
        el('div', { class: 'incident-what' }, [
          el('div', { class: 'incident-title', text: `${x.incident} · ${incidentName(inc.root, this.ctx.network)}` }),
          el('div', { class: 'muted', text: `${x.since} ${dateTime(inc.openedAt)} · ${x.stations(inc.stationIds.length)} · ${x.compounds(inc.compoundIds.length)} · ${children.length} ${x.alerts}` }),
        ]),
        toggle,
      ]),
      open ? el('div', { class: 'incident-children' }, children.map(row)) : null,
    ]);
    card.style.setProperty('--sev', severityColour(inc.severity));
    return card;
  }
}

function segButton(label: string, active: boolean, onClick: () => void): HTMLButtonElement {
  const b = el('button', { class: active ? 'seg active' : 'seg', text: label, attrs: { type: 'button', 'aria-pressed': String(active) } });
  b.addEventListener('click', onClick);
  return b;
}

function select(testid: string, options: readonly [string, string][], value: string, onChange: (v: string | undefined) => void): HTMLSelectElement {
  const s = el('select', { class: 'select', data: { testid } }, options.map(([v, label]) => {
    const o = el('option', { text: label, attrs: { value: v } });
    o.selected = v === value;
    return o;
  }));
  s.addEventListener('change', () => onChange(s.value === '' ? undefined : s.value));
  return s;
}
