// #/overview — the whole network at a glance for the control room: counters (open alerts, tickets
// today, visits pending, households estimated below 18 °C, outdoor temperature), the schematic
// coloured by worst open alert, and the alerts that need someone now. Alert colours follow the
// live feed; latest values are re-read every 30 s. Marks `heat:overview-ready` (Performance API)
// when the first schematic with data has been drawn.

import type { OverviewDto } from '../../../api/routes/overview-dto';
import { SEVERITIES, SEVERITY_RANK, type Alert } from '../alert-types';
import { ApiError, fetchOverview, getJson, query } from '../api-client';
import { el } from '../element';
import { dateTime, numberIn, startOfDay } from '../format';
import { count, localName, t, tr } from '../i18n';
import { OverviewSchematic } from '../overview-schematic';
import type { AppContext, Page } from '../page';
import { hrefOf } from '../router';
import { NO_ALERT_COLOUR, SEVERITY_COLOUR, severityColour, severityLabel } from '../severity-style';
import { alertTitle, entityHref, entityName } from '../alert-text';

const TEXT = {
  zh: {
    open: '未关闭告警',
    incidents: '起关联事件',
    ticketsToday: '今日工单',
    heating: '其中供热',
    visits: '待走访',
    below18: '估计室温低于18 °C',
    households: '户',
    covered: (a: string, b: string, n: number) => `测点覆盖 ${a} / ${b} 户 · ${n} 个小区偏冷`,
    outdoor: '室外温度',
    needs: '待处理告警',
    coldest: '室温最低的小区',
    coldNote: '最新室温测点 · 最低值',
    tail: '末端',
    noneOpen: '当前没有未确认的告警',
    all: '查看全部告警 →',
    legendCalm: '无告警',
    legendTail: '末端小区',
    legendStation: '换热站',
    legendCompound: '小区',
    schematic: '热源 → 一次网 → 换热站 → 小区（按水力顺序，末端在下）',
  },
  en: {
    open: 'Open alerts',
    incidents: 'incidents',
    ticketsToday: 'Tickets today',
    heating: 'heating',
    visits: 'Visits pending',
    below18: 'Homes est. below 18 °C',
    households: 'households',
    covered: (a: string, b: string, n: number) => `sensors cover ${a} / ${b} households · ${n} compounds cold`,
    outdoor: 'Outdoor',
    needs: 'Alerts needing action',
    coldest: 'Coldest compounds',
    coldNote: 'latest indoor sensors · coldest',
    tail: 'tail end',
    noneOpen: 'No unacknowledged alerts',
    all: 'All alerts →',
    legendCalm: 'no alert',
    legendTail: 'tail-end compound',
    legendStation: 'station',
    legendCompound: 'compound',
    schematic: 'Plant → primary networks → stations → compounds (hydraulic order, tail end at the bottom)',
  },
} as const;

const REFRESH_MS = 30_000;
const HEATING = ['heating-not-warm', 'heating-no-circulation', 'heating-leak', 'heating-other'] as const;

type Count = { n: number; sub?: number } | 'missing' | 'error' | undefined;

export class OverviewPage implements Page {
  readonly root = el('div', { class: 'overview', data: { testid: 'overview' } });
  private overview: OverviewDto | undefined;
  private tickets: Count;
  private visits: Count;
  private schematic: OverviewSchematic | undefined;
  private readonly counters = el('div', { class: 'counters', data: { testid: 'counters' } });
  private readonly side = el('aside', { class: 'card overview-side' });
  private readonly schematicBox = el('div', { class: 'schematic', data: { testid: 'schematic' } });
  private readonly legend = el('div', { class: 'legend' });
  private readonly title = el('h2');
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly offAlerts: () => void;
  private readonly abort = new AbortController();
  private marked = false;

  constructor(private readonly ctx: AppContext) {
    this.root.append(
      this.counters,
      el('div', { class: 'overview-body' }, [el('section', { class: 'card schematic-card' }, [el('header', { class: 'card-head' }, [this.title, this.legend]), this.schematicBox]), this.side]),
    );
    this.offAlerts = ctx.alerts.onChange(() => {
      this.schematic?.refresh();
      this.renderCounters();
      this.renderSide();
    });
    this.render();
    void this.load();
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  render(): void {
    const x = tr(TEXT);
    this.title.textContent = x.schematic;
    this.legend.replaceChildren(
      ...[...SEVERITIES].reverse().map((s) => legendItem(SEVERITY_COLOUR[s], severityLabel(s), 'dot')),
      legendItem(NO_ALERT_COLOUR, x.legendCalm, 'dot'),
      legendItem('transparent', x.legendTail, 'diamond'),
    );
    this.renderCounters();
    this.renderSide();
    // Names and tooltips are in the schematic's options: draw it again in the new language.
    this.schematic?.dispose();
    this.schematic = undefined;
    queueMicrotask(() => this.mountSchematic());
  }

  destroy(): void {
    clearInterval(this.timer);
    this.abort.abort();
    this.offAlerts();
    this.schematic?.dispose();
  }

  reload(): void {
    void this.load();
  }

  private mountSchematic(): void {
    if (this.schematic !== undefined || !this.schematicBox.isConnected) return;
    const feed = this.ctx.alerts;
    this.schematic = new OverviewSchematic(
      this.schematicBox,
      this.ctx.network,
      {
        overview: () => this.overview,
        stationSeverity: (id) => feed.stationSeverity(id),
        compoundSeverity: (id) => feed.compoundSeverity(id),
      },
      (p) => {
        if (p.kind === 'network') this.ctx.go({ page: 'alerts', params: { network: p.id } });
        else this.ctx.go({ page: p.kind, id: p.id, params: {} });
      },
    );
    this.markReady();
  }

  private markReady(): void {
    if (this.marked || this.overview === undefined || this.schematic === undefined) return;
    this.marked = true;
    performance.mark('heat:overview-ready');
  }

  private async load(): Promise<void> {
    const signal = this.abort.signal;
    try {
      this.overview = await fetchOverview(signal);
      this.schematic?.refresh();
      this.markReady();
    } catch {
      if (signal.aborted) return;
    }
    this.renderCounters();
    // The coldest compounds come from the overview too, not only from alert changes.
    this.renderSide();
    // Counters from other parts of the product: each may be missing on this server.
    const today = startOfDay(this.ctx.serverNow());
    const [total, ...heating] = await Promise.all([
      countOf(`/api/tickets${query({ from: today, limit: 1 })}`, signal),
      ...HEATING.map((c) => countOf(`/api/tickets${query({ from: today, category: c, limit: 1 })}`, signal)),
    ]);
    if (signal.aborted) return;
    this.tickets = typeof total === 'number' ? { n: total, sub: heating.reduce<number>((a, h) => a + (typeof h === 'number' ? h : 0), 0) } : total;
    const v = await countOf(`/api/visits${query({ status: 'open', limit: 1 })}`, signal);
    if (signal.aborted) return;
    this.visits = typeof v === 'number' ? { n: v } : v;
    this.renderCounters();
  }

  private renderCounters(): void {
    const x = tr(TEXT);
    const feed = this.ctx.alerts;
    const ov = this.overview;
    const cards: HTMLElement[] = [];
    // Open alerts, with the split by severity.
    if (feed.status === 'ready') {
      const by = (s: (typeof SEVERITIES)[number]): number => feed.summary?.bySeverity[s] ?? [...feed.alerts.values()].filter((a) => a.severity === s).length;
      const open = feed.summary?.open ?? feed.alerts.size;
      const worst = [...SEVERITIES].reverse().find((s) => by(s) > 0);
      const card = counter('open', x.open, count(open), '', worst ? severityColour(worst) : NO_ALERT_COLOUR, hrefOf({ page: 'alerts' }));
      const split = el('div', { class: 'counter-split' }, [...SEVERITIES].reverse().map((s) => {
        const chip = el('span', { class: 'split-chip', text: `${severityLabel(s)} ${by(s)}` });
        chip.style.setProperty('--sev', SEVERITY_COLOUR[s]);
        chip.classList.toggle('zero', by(s) === 0);
        return chip;
      }));
      const inc = feed.summary?.incidents ?? feed.incidents.size;
      card.append(split, el('div', { class: 'counter-sub', text: `${inc} ${x.incidents}` }));
      cards.push(card);
    } else {
      cards.push(unavailable('open', x.open, feed.status === 'loading' ? t('loading') : feed.status === 'missing' ? t('notAvailable') : (feed.error ?? t('loadFailed'))));
    }
    cards.push(this.countCard('tickets', x.ticketsToday, this.tickets, (c) => (c.sub !== undefined ? `${x.heating} ${count(c.sub)}` : ''), hrefOf({ page: 'tickets' })));
    cards.push(this.countCard('visits', x.visits, this.visits, () => '', hrefOf({ page: 'visits' })));
    if (ov !== undefined) {
      const b = ov.below18;
      const card = counter('below18', x.below18, count(b.households), x.households, b.households > 0 ? SEVERITY_COLOUR.low : NO_ALERT_COLOUR);
      card.append(el('div', { class: 'counter-sub', text: x.covered(count(b.coveredHouseholds), count(b.totalHouseholds), b.compounds) }));
      cards.push(card);
      const site = this.ctx.network.weatherSites[0];
      const w = site ? ov.weather[site.id] : undefined;
      const out = counter('outdoor', `${x.outdoor}${site ? ` · ${localName(site)}` : ''}`, w?.t_outdoor === undefined ? '—' : numberIn('°C', w.t_outdoor), '°C', '#86c5ff');
      if (w?.time !== undefined) out.append(el('div', { class: 'counter-sub', text: dateTime(w.time) }));
      cards.push(out);
    } else {
      cards.push(unavailable('below18', x.below18, t('loading')));
    }
    this.counters.replaceChildren(...cards);
  }

  private countCard(id: string, label: string, c: Count, sub: (c: { n: number; sub?: number }) => string, href: string): HTMLElement {
    if (c === undefined) return unavailable(id, label, t('loading'), href);
    if (c === 'missing') return unavailable(id, label, t('notAvailable'), href);
    if (c === 'error') return unavailable(id, label, t('loadFailed'), href);
    const card = counter(id, label, count(c.n), '', '#3ea0ff', href);
    const s = sub(c);
    if (s) card.append(el('div', { class: 'counter-sub', text: s }));
    return card;
  }

  private renderSide(): void {
    const x = tr(TEXT);
    const feed = this.ctx.alerts;
    const head = el('header', { class: 'card-head' }, [el('h2', { text: x.needs }), el('a', { class: 'muted', text: x.all, attrs: { href: hrefOf({ page: 'alerts' }) } })]);
    let alerts: HTMLElement;
    if (feed.status !== 'ready') {
      alerts = el('div', { class: 'empty-state', text: feed.status === 'loading' ? t('loading') : t('notAvailable') });
    } else {
      const list = [...feed.alerts.values()]
        .filter((a) => a.state === 'open')
        .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.openedAt - a.openedAt)
        .slice(0, 10);
      alerts = list.length > 0 ? el('ol', { class: 'side-alerts', data: { testid: 'side-alerts' } }, list.map((a) => sideRow(a, this.ctx.network))) : el('div', { class: 'empty-state', text: x.noneOpen });
    }
    this.side.replaceChildren(
      el('section', { class: 'side-section grow' }, [head, alerts]),
      el('section', { class: 'side-section' }, [el('header', { class: 'card-head' }, [el('h2', { text: x.coldest }), el('span', { class: 'muted', text: x.coldNote })]), this.coldest()]),
    );
  }

  /** The compounds whose coldest fresh sensor is lowest: where residents will call first. */
  private coldest(): HTMLElement {
    const x = tr(TEXT);
    const ov = this.overview;
    if (ov === undefined) return el('div', { class: 'empty-state', text: t('loading') });
    const rows = this.ctx.network.stations
      .flatMap((s) => s.compounds.map((c) => ({ s, c, g: ov.compounds[c.id] })))
      .filter((r) => r.g?.indoorMin !== undefined)
      .sort((a, b) => (a.g?.indoorMin ?? 0) - (b.g?.indoorMin ?? 0))
      .slice(0, 6);
    if (rows.length === 0) return el('div', { class: 'empty-state', text: t('noData') });
    return el(
      'ol',
      { class: 'cold-list', data: { testid: 'coldest' } },
      rows.map(({ s, c, g }) => {
        const v = g?.indoorMin ?? 0;
        const li = el('li', { class: v < 16 ? 'cold-row band' : v < 18 ? 'cold-row low' : 'cold-row' }, [
          el('a', { class: 'cold-name', attrs: { href: hrefOf({ page: 'compound', id: c.id }) } }, [el('span', { text: localName(c) }), c.tailEnd ? el('span', { class: 'badge tail-badge', text: x.tail }) : null]),
          el('span', { class: 'cold-station', text: localName(s) }),
          el('span', { class: 'cold-value', text: `${numberIn('°C', v)} °C` }),
        ]);
        return li;
      }),
    );
  }
}

function sideRow(a: Alert, network: AppContext['network']): HTMLElement {
  const li = el('li', { class: 'side-alert' }, [
    el('span', { class: 'sev-bar' }),
    el('div', { class: 'side-main' }, [
      el('div', { class: 'side-title', text: alertTitle(a) }),
      el('div', { class: 'side-meta' }, [el('a', { text: entityName(a, network), attrs: { href: entityHref(a, network) } }), el('span', { text: ` · ${dateTime(a.openedAt)}` })]),
    ]),
    el('span', { class: 'sev-pill', text: severityLabel(a.severity) }),
  ]);
  li.style.setProperty('--sev', severityColour(a.severity));
  return li;
}

function counter(id: string, label: string, value: string, unit: string, colour: string, href?: string): HTMLElement {
  const card = el(href ? 'a' : 'div', { class: 'counter', data: { testid: `counter-${id}` }, ...(href ? { attrs: { href } } : {}) }, [
    el('div', { class: 'counter-label', text: label }),
    el('div', { class: 'counter-reading' }, [el('span', { class: 'counter-value', text: value }), unit ? el('span', { class: 'counter-unit', text: unit }) : null]),
  ]);
  card.style.setProperty('--accent', colour);
  return card;
}

function unavailable(id: string, label: string, why: string, href?: string): HTMLElement {
  const card = counter(id, label, '—', '', '#4a5d78', href);
  card.classList.add('unavailable');
  card.append(el('div', { class: 'counter-sub', text: why }));
  return card;
}

function legendItem(colour: string, label: string, shape: 'dot' | 'diamond'): HTMLElement {
  const sw = el('span', { class: `legend-swatch ${shape}` });
  sw.style.background = colour;
  return el('span', { class: 'legend-item' }, [sw, el('span', { text: label })]);
}

/** `total` of a list endpoint; 'missing' when the endpoint does not exist on this server. */
async function countOf(path: string, signal: AbortSignal): Promise<number | 'missing' | 'error'> {
  try {
    const body = await getJson<{ total?: unknown; items?: unknown }>(path, signal);
    if (typeof body.total === 'number') return body.total;
    if (Array.isArray(body.items)) return body.items.length;
    if (Array.isArray(body)) return body.length;
    return 'error';
  } catch (e) {
    return e instanceof ApiError && e.missing ? 'missing' : 'error';
  }
}

