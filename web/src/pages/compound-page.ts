// #/compound/<id>?range=24h — one compound: indoor temperature per sensor (18 °C and 16 °C lines),
// its supply/return beside the station's supply, differential pressure and flow, all on one time
// axis with its tickets, visits and alerts drawn as markers, so "the complaint came 3 h after the
// temperature fell" can be seen. Below, the same events as a list (ticket text as text).
// Without an id: a compound picker grouped by station.

import type { CompoundDto, SeriesResponseDto, StationSummaryDto } from '../../../api/dto';
import { isAlert, itemsOf, type Alert } from '../alert-types';
import { alertTitle } from '../alert-text';
import { alertStateLabel } from '../alert-row';
import { ApiError, fetchSeries, getJson, query } from '../api-client';
import { el } from '../element';
import { dateTime } from '../format';
import { count, lang, localName, t, tr } from '../i18n';
import type { AppContext, Page } from '../page';
import { RANGES, rangeOf, rangePicker, type RangeKey } from '../range-picker';
import { hrefOf, type Route } from '../router';
import { fillSeries, seriesKey } from '../series-data';
import { severityColour, severityLabel } from '../severity-style';
import type { Point } from '../sorted-points';
import { CATEGORY_LABEL, type Ticket, type TicketPage } from '../ticket-types';
import { TimeChart, type Band, type TimeLine, type TimeMark } from '../time-chart';
import { COLOURS } from '../palette';
import { parseVisits, RESULT_LABEL, type Visit } from '../visit-types';

const TEXT = {
  zh: {
    pick: '选择小区',
    search: '搜索小区：名称 / 拼音',
    station: '所属换热站',
    households: '户',
    heating: { radiator: '散热器采暖', floor: '地暖' },
    sensors: '个室温测点',
    indoor: '室温（各测点）',
    temps: '小区供/回水温度（虚线：换热站二次供水）',
    dp: '资用压差',
    flow: '小区流量',
    events: '同一时间轴上的事件',
    ticket: '工单',
    visit: '走访',
    alert: '告警',
    noEvents: '此时段内没有工单、走访或告警',
    visitsMissing: '走访接口尚未提供',
    stationSupply: '换热站二次供水',
    min18: '18 °C 标准',
    min16: '16 °C',
    tail: '末端',
    due: '期限',
    outcome: '结果',
  },
  en: {
    pick: 'Pick a compound',
    search: 'Search compounds: name / pinyin',
    station: 'Station',
    households: 'households',
    heating: { radiator: 'radiators', floor: 'floor heating' },
    sensors: 'indoor sensors',
    indoor: 'Indoor temperature (each sensor)',
    temps: 'Compound supply / return (dashed: station secondary supply)',
    dp: 'Differential pressure',
    flow: 'Compound flow',
    events: 'Events on the same time axis',
    ticket: 'Ticket',
    visit: 'Visit',
    alert: 'Alert',
    noEvents: 'No tickets, visits or alerts in this range',
    visitsMissing: 'Visits API not available yet',
    stationSupply: 'Station secondary supply',
    min18: '18 °C standard',
    min16: '16 °C',
    tail: 'tail end',
    due: 'due',
    outcome: 'outcome',
  },
} as const;

const SENSOR_COLOURS = ['#ffd8a8', '#7cc0ff', '#b39bff', '#7beccc', '#ff9fb8', '#f0b429', '#9be15d', '#e6eef8'];
export const TICKET_COLOUR = '#ff6fb5';
export const VISIT_COLOUR = '#3fe0b5';

interface Located {
  readonly compound: CompoundDto;
  readonly station: StationSummaryDto;
}

export class CompoundPage implements Page {
  readonly root = el('div', { class: 'page compound-page', data: { testid: 'compound-page' } });
  private readonly points = new Map<string, Point[]>();
  private readonly bands = new Map<string, Band[]>();
  private charts: TimeChart[] = [];
  private tickets: Ticket[] = [];
  private visits: Visit[] | 'missing' = [];
  private alerts: Alert[] = [];
  private indoorKeys: string[] = [];
  private from = 0;
  private to = 0;
  private loaded = false;
  private failed: string | undefined;
  private abort = new AbortController();
  private readonly offAlerts: () => void;
  private readonly offReading: () => void;
  private subscribed: string | undefined;

  constructor(
    private readonly ctx: AppContext,
    private route: Route,
  ) {
    this.offAlerts = ctx.alerts.onChange(() => this.refreshMarks());
    // Short ranges are live: a new indoor or supply reading extends its line.
    this.offReading = ctx.live.onReading((r) => {
      if (r.entity !== this.subscribed || !RANGES[this.range].live) return;
      for (const [field, value] of Object.entries(r.fields)) {
        if (typeof value !== 'number') continue;
        const key = seriesKey(field, r.sensor);
        this.charts.find((c) => c.has(key))?.append(key, r.time, value);
      }
    });
    this.render();
    void this.load();
  }

  private get range(): RangeKey {
    return rangeOf(this.route.params.range);
  }

  private located(): Located | undefined {
    for (const s of this.ctx.network.stations) for (const c of s.compounds) if (c.id === this.route.id) return { compound: c, station: s };
    return undefined;
  }

  update(r: Route): boolean {
    const same = r.id === this.route.id;
    this.route = r;
    if (!same) {
      this.loaded = false;
      this.render();
    }
    this.abort.abort();
    this.abort = new AbortController();
    void this.load();
    return true;
  }

  reload(): void {
    void this.load();
  }

  destroy(): void {
    this.abort.abort();
    this.offAlerts();
    this.offReading();
    if (this.subscribed) this.ctx.live.unsubscribe(this.subscribed);
    this.disposeCharts();
  }

  private disposeCharts(): void {
    for (const c of this.charts) c.dispose();
    this.charts = [];
  }

  private async load(): Promise<void> {
    const loc = this.located();
    if (loc === undefined) return;
    const signal = this.abort.signal;
    const to = this.ctx.serverNow();
    const from = to - RANGES[this.range].ms;
    const { compound: c, station: s } = loc;
    const entity = `compound:${c.id}`;
    if (this.subscribed !== entity) {
      if (this.subscribed) this.ctx.live.unsubscribe(this.subscribed);
      this.subscribed = entity;
      this.ctx.live.subscribe(entity);
    }
    try {
      const [own, station, tickets, visits, alerts] = await Promise.all([
        fetchSeries(`compound:${c.id}`, { fields: ['t_indoor', 't_supply', 't_return', 'dp', 'flow'], from, to }, signal),
        fetchSeries(`station:${s.id}`, { fields: ['t2_supply'], from, to }, signal).catch(() => undefined),
        getJson<TicketPage>(`/api/tickets${query({ compound: c.id, from, to, limit: 500 })}`, signal).catch(() => ({ total: 0, items: [] })),
        getJson<unknown>(`/api/visits${query({ compound: c.id, from: from - RANGES[this.range].ms, limit: 200 })}`, signal).then(
          (b) => parseVisits(b).filter((v) => v.compoundId === c.id),
          (e: unknown) => (e instanceof ApiError && e.missing ? ('missing' as const) : []),
        ),
        getJson<unknown>(`/api/alerts${query({ station: s.id, state: 'active,cleared', limit: 500 })}`, signal).then(
          (b) => itemsOf(b).filter(isAlert),
          () => [] as Alert[],
        ),
      ]);
      if (signal.aborted) return;
      this.points.clear();
      this.bands.clear();
      fillSeries(own, this.points, this.bands);
      if (station) {
        const sp = new Map<string, Point[]>();
        const sb = new Map<string, Band[]>();
        fillSeries(station, sp, sb);
        this.points.set('station.t2_supply', sp.get('t2_supply') ?? []);
        this.bands.set('station.t2_supply', sb.get('t2_supply') ?? []);
      }
      this.indoorKeys = indoorKeys(own, c);
      this.tickets = [...tickets.items];
      this.visits = visits;
      this.alerts = alerts.filter((a) => (a.entity.kind === 'compound' && a.entity.id === c.id) || a.entity.kind === 'station' || a.entity.kind === 'primary');
      this.from = from;
      this.to = to;
      this.loaded = true;
      this.failed = undefined;
    } catch (e) {
      if (signal.aborted) return;
      this.failed = e instanceof Error ? e.message : String(e);
    }
    this.render();
  }

  render(): void {
    this.disposeCharts();
    const loc = this.located();
    if (loc === undefined) {
      this.root.replaceChildren(...this.picker());
      return;
    }
    const x = tr(TEXT);
    const { compound: c, station: s } = loc;
    const sev = this.ctx.alerts.compoundSeverity(c.id);
    const sevPill = sev ? el('span', { class: 'sev-pill', text: severityLabel(sev) }) : null;
    sevPill?.style.setProperty('--sev', severityColour(sev));
    const head = el('header', { class: 'page-head' }, [
      el('div', {}, [
        el('h1', { class: 'page-title' }, [el('span', { text: localName(c), data: { testid: 'compound-title' } }), c.tailEnd ? el('span', { class: 'badge tail-badge title-badge', text: t('tailEnd') }) : null, sevPill]),
        el('div', { class: 'station-facts' }, [
          el('span', {}, [el('span', { text: `${x.station} ` }), el('a', { text: localName(s), attrs: { href: hrefOf({ page: 'station', id: s.id }) } })]),
          el('span', { text: `${count(c.households)} ${x.households}` }),
          el('span', { text: x.heating[c.heating] }),
          el('span', { text: `${c.indoorSensors.length} ${x.sensors}` }),
          el('span', { text: `${lang() === 'zh' ? '水力顺序' : 'hydraulic order'} ${c.order} / ${s.compounds.length}` }),
        ]),
      ]),
      rangePicker(this.range, (r) => this.ctx.go({ page: 'compound', id: c.id, params: { ...this.route.params, range: r } })),
    ]);
    if (!this.loaded) {
      this.root.replaceChildren(head, el('div', { class: this.failed ? 'placeholder error' : 'placeholder', text: this.failed ? `${t('loadFailed')}: ${this.failed}` : t('loading') }));
      return;
    }
    const grid = el('div', { class: 'compound-charts' });
    const pending: (() => void)[] = [];
    const live = RANGES[this.range].live;
    const group = `compound-${c.id}`;
    const chart = (title: string, testid: string, unit: string, lines: TimeLine[], extra: { refLines?: { value: number; label: string; color: string }[]; yMin?: number } = {}): void => {
      const box = el('div', { class: 'chart' });
      grid.append(el('article', { class: 'card chart-card', data: { testid } }, [el('header', { class: 'card-head' }, [el('h2', { text: title }), el('span', { class: 'muted', text: unit })]), box]));
      pending.push(() => {
        for (const l of lines) if (!this.points.has(l.key)) this.points.set(l.key, []);
        this.charts.push(new TimeChart(box, { unit, lines, points: this.points, bands: this.bands, from: this.from, to: this.to, group, ...(live ? { windowMs: RANGES[this.range].ms } : {}), ...extra }));
      });
    };
    chart(
      x.indoor,
      'chart-indoor',
      '°C',
      this.indoorKeys.map((k, i) => ({ key: k, label: sensorLabel(k, c.id), color: SENSOR_COLOURS[i % SENSOR_COLOURS.length] ?? '#fff' })),
      { refLines: [{ value: 18, label: x.min18, color: '#ffc53d' }, { value: 16, label: x.min16, color: '#ff4d6d' }] },
    );
    chart(x.temps, 'chart-temps', '°C', [
      { key: 't_supply', label: t('supply'), color: COLOURS.supply },
      { key: 't_return', label: t('return'), color: COLOURS.return },
      { key: 'station.t2_supply', label: x.stationSupply, color: COLOURS.setpoint, dashed: true },
    ]);
    // From zero: the size of the pressure and flow matters more than their noise.
    chart(x.dp, 'chart-dp', 'kPa', [{ key: 'dp', label: x.dp, color: COLOURS.flowSecondary }], { yMin: 0 });
    chart(x.flow, 'chart-flow', 'm³/h', [{ key: 'flow', label: x.flow, color: COLOURS.flowPrimary }], { yMin: 0 });
    this.root.replaceChildren(head, grid, this.eventList());
    queueMicrotask(() => {
      if (!this.root.isConnected) return;
      for (const f of pending) f();
      this.refreshMarks();
    });
  }

  /** Tickets, visits and alerts as markers on every chart (and the list below). */
  private marks(): TimeMark[] {
    const x = tr(TEXT);
    const out: TimeMark[] = [];
    for (const tk of this.tickets) out.push({ time: tk.receivedAt, label: x.ticket, color: TICKET_COLOUR });
    if (this.visits !== 'missing') for (const v of this.visits) out.push({ time: v.outcome?.at ?? v.receivedAt, label: x.visit, color: VISIT_COLOUR });
    for (const a of this.allAlerts()) if (a.openedAt >= this.from) out.push({ time: a.openedAt, label: x.alert, color: severityColour(a.severity) });
    return out.filter((m) => m.time >= this.from && m.time <= this.to + 60_000);
  }

  private allAlerts(): Alert[] {
    const c = this.route.id;
    const live = [...this.ctx.alerts.alerts.values()].filter((a) => a.entity.kind === 'compound' && a.entity.id === c);
    const byId = new Map([...this.alerts, ...live].map((a) => [a.id, a]));
    return [...byId.values()].filter((a) => a.entity.kind === 'compound');
  }

  private refreshMarks(): void {
    const m = this.marks();
    for (const c of this.charts) c.setEvents(m);
  }

  private eventList(): HTMLElement {
    const x = tr(TEXT);
    type Row = { time: number; node: HTMLElement };
    const rows: Row[] = [];
    for (const tk of this.tickets) {
      const cat = CATEGORY_LABEL[tk.category][lang()];
      rows.push({
        time: tk.receivedAt,
        node: el('li', { class: 'event ticket', data: { testid: 'event-ticket', ticket: tk.id } }, [
          el('span', { class: 'event-kind', text: x.ticket }),
          el('span', { class: 'event-time', text: dateTime(tk.receivedAt) }),
          el('span', { class: 'event-tag', text: cat }),
          // Caller's words: text, never markup.
          el('span', { class: 'event-text', text: tk.text }),
          el('span', { class: 'event-sub', text: tk.address }),
        ]),
      });
    }
    if (this.visits !== 'missing') {
      for (const v of this.visits) {
        rows.push({
          time: v.receivedAt,
          node: el('li', { class: 'event visit', data: { testid: 'event-visit' } }, [
            el('span', { class: 'event-kind', text: x.visit }),
            el('span', { class: 'event-time', text: dateTime(v.receivedAt) }),
            el('span', { class: 'event-tag', text: v.outcome ? `${x.outcome}: ${RESULT_LABEL[v.outcome.result][lang()]}` : `${x.due} ${dateTime(v.dueAt)}` }),
            el('span', { class: 'event-text', text: v.summary[lang()] }),
            el('span', { class: 'event-sub', text: v.outcome?.comment ?? '' }),
          ]),
        });
      }
    }
    for (const a of this.allAlerts()) {
      const li = el('li', { class: 'event alert', data: { testid: 'event-alert' } }, [
        el('span', { class: 'event-kind', text: x.alert }),
        el('span', { class: 'event-time', text: dateTime(a.openedAt) }),
        el('span', { class: 'sev-pill', text: severityLabel(a.severity) }),
        el('span', { class: 'event-text', text: alertTitle(a) }),
        el('span', { class: 'event-sub', text: alertStateLabel(a.state) }),
      ]);
      li.style.setProperty('--sev', severityColour(a.severity));
      rows.push({ time: a.openedAt, node: li });
    }
    rows.sort((a, b) => b.time - a.time);
    return el('section', { class: 'card events-card' }, [
      el('header', { class: 'card-head' }, [el('h2', { text: x.events }), this.visits === 'missing' ? el('span', { class: 'muted', text: x.visitsMissing }) : null]),
      rows.length > 0 ? el('ol', { class: 'events', data: { testid: 'events' } }, rows.slice(0, 200).map((r) => r.node)) : el('div', { class: 'empty-state', text: x.noEvents }),
    ]);
  }

  private picker(): HTMLElement[] {
    const x = tr(TEXT);
    const input = el('input', { class: 'search', attrs: { type: 'search', placeholder: x.search, autocomplete: 'off' }, data: { testid: 'compound-search' } });
    const list = el('div', { class: 'compound-picker' });
    const draw = (): void => {
      const q = input.value.trim().toLowerCase();
      list.replaceChildren(
        ...this.ctx.network.stations
          .map((s) => {
            const hit = s.compounds.filter((c) => q === '' || c.name.toLowerCase().includes(q) || c.id.includes(q) || (c.nameEn ?? '').toLowerCase().includes(q) || s.pinyin.some((p) => p.includes(q)));
            if (hit.length === 0) return null;
            return el('section', { class: 'picker-group' }, [
              el('h3', { text: localName(s) }),
              el('div', { class: 'picker-items' }, hit.map((c) => el('a', { class: c.tailEnd ? 'picker-item tail' : 'picker-item', text: localName(c), attrs: { href: hrefOf({ page: 'compound', id: c.id }) } }))),
            ]);
          })
          .filter((n): n is HTMLElement => n !== null),
      );
    };
    input.addEventListener('input', draw);
    draw();
    return [el('header', { class: 'page-head' }, [el('h1', { class: 'page-title', text: x.pick }), input]), list];
  }
}

/** One series per indoor sensor the compound has (and any the store knows), sensor order kept. */
function indoorKeys(resp: SeriesResponseDto, c: CompoundDto): string[] {
  const keys = new Set(c.indoorSensors.map((s) => seriesKey('t_indoor', s)));
  for (const s of resp.series) if (s.field === 't_indoor') keys.add(seriesKey('t_indoor', s.sensor));
  return [...keys];
}

/** "测点 s1" for `t_indoor.longhu-huating-s1`. */
function sensorLabel(key: string, compoundId: string): string {
  if (!key.startsWith('t_indoor.')) return t('indoor');
  const sensor = key.slice('t_indoor.'.length);
  const short = sensor.startsWith(`${compoundId}-`) ? sensor.slice(compoundId.length + 1) : sensor;
  return `${lang() === 'zh' ? '测点' : 'sensor'} ${short}`;
}
