// The station page: header (facts, open alerts, range picker), big-number tiles, charts of
// secondary and primary temperatures, flows, pressures, valve and pump (state shaded) over
// 6 h / 24 h / 7 d / 30 d (server-downsampled, min–max band when aggregated), the weather-
// compensation curve against the actual points, and the compounds side by side in hydraulic
// order with the tail end marked. Short ranges are live: readings slide the window.
// State (latest values, chart points) lives here; the DOM is rebuilt from it on a language switch.

import type { CurveDto } from '../../api/routes/overview-dto';
import type { FieldCatalogueDto, LatestDto, ReadingEvent, SeriesResponseDto, StationDetailDto } from '../../api/dto';
import { fetchCurve, fetchSeries, fetchStation } from './api-client';
import { CompoundBars, type CompoundBar } from './compound-bars';
import { coldestIndoor, compoundList, refreshCompoundList, type LatestMap } from './compound-list';
import { CurveChart } from './curve-chart';
import { clear, el } from './element';
import { numberIn, timeOfDay } from './format';
import { lang, localName, t, tr } from './i18n';
import type { AppContext } from './page';
import { RANGES, rangePicker, type RangeKey } from './range-picker';
import { hrefOf } from './router';
import { fillSeries, stateSpans } from './series-data';
import { severityColour, severityLabel } from './severity-style';
import type { Point } from './sorted-points';
import { PUMP_SPAN_COLOURS, STATION_CHARTS, STATION_SERIES_FIELDS } from './station-charts';
import { TimeChart, type Band, type TimeSpan } from './time-chart';

type Kind = keyof FieldCatalogueDto;
type Tone = 'warm' | 'cold' | 'flow' | 'neutral';

const TEXT = {
  zh: {
    secondary: '二次网 供/回水温度',
    primary: '一次网 供/回水温度',
    flows: '流量',
    pressures: '压力',
    valve: '一次阀门开度',
    pump: '循环泵频率（灰：停止，红：故障）',
    curve: '气候补偿：设定曲线与实际供水',
    curveRange: '最近7天 · 每点为时段均值',
    bars: '各小区并排：资用压差与最低室温',
    barsNote: '按水力顺序，橙色为末端',
    stop: '停止',
    fault: '故障',
    alerts: '条未关闭告警',
    noAlerts: '无未关闭告警',
    band: '阴影：时段最小–最大值',
    liveRange: '实时',
    fixedRange: '截至',
  },
  en: {
    secondary: 'Secondary supply / return temperature',
    primary: 'Primary supply / return temperature',
    flows: 'Flow',
    pressures: 'Pressure',
    valve: 'Primary valve opening',
    pump: 'Circulation pump frequency (grey: stopped, red: fault)',
    curve: 'Weather compensation: curve vs actual supply',
    curveRange: 'Last 7 days · each point a bucket mean',
    bars: 'Compounds side by side: diff. pressure and coldest indoor',
    barsNote: 'hydraulic order, tail end in orange',
    stop: 'stopped',
    fault: 'fault',
    alerts: 'open alerts',
    noAlerts: 'No open alerts',
    band: 'shaded: bucket min–max',
    liveRange: 'live',
    fixedRange: 'until',
  },
} as const;

const TILES: readonly { kind: Kind; field: string; tone: Tone }[] = [
  { kind: 'station', field: 't2_supply', tone: 'warm' },
  { kind: 'station', field: 't2_return', tone: 'cold' },
  { kind: 'station', field: 't1_supply', tone: 'warm' },
  { kind: 'station', field: 't1_return', tone: 'cold' },
  { kind: 'station', field: 'flow2', tone: 'flow' },
  { kind: 'station', field: 'flow1', tone: 'flow' },
  { kind: 'station', field: 'valve_pct', tone: 'neutral' },
  { kind: 'station', field: 'pump_hz', tone: 'neutral' },
  { kind: 'weather', field: 't_outdoor', tone: 'neutral' },
];

const CURVE_MIN_RANGE_MS = 7 * 86_400_000;

export class StationView {
  readonly root = el('section', { class: 'station-view' });
  private detail: StationDetailDto | undefined;
  private series: SeriesResponseDto | undefined;
  private curve: CurveDto | undefined;
  private readonly latest: LatestMap = new Map();
  private readonly points = new Map<string, Point[]>();
  private readonly bands = new Map<string, Band[]>();
  private pumpSpans: TimeSpan[] = [];
  private from = 0;
  private to = 0;
  private charts: TimeChart[] = [];
  private others: { dispose(): void }[] = [];
  private readonly entities: string[] = [];
  private readonly offReading: () => void;
  private readonly offAlerts: () => void;
  private abort = new AbortController();
  private failed: string | undefined;

  constructor(
    private readonly ctx: AppContext,
    readonly stationId: string,
    private range: RangeKey,
    private readonly onRange: (r: RangeKey) => void,
  ) {
    this.root.dataset.station = stationId;
    // Subscribe before loading, so nothing published while the history loads is missed.
    this.offReading = ctx.live.onReading((r) => this.onReading(r));
    this.offAlerts = ctx.alerts.onChange(() => this.refreshAlerts());
    this.entities.push(`station:${stationId}`);
    ctx.live.subscribe(`station:${stationId}`);
    this.render();
    void this.load();
  }

  private get fields(): FieldCatalogueDto {
    return this.ctx.network.fields;
  }

  setRange(r: RangeKey): void {
    if (r === this.range) return;
    this.range = r;
    this.abort.abort();
    this.abort = new AbortController();
    void this.load();
  }

  /** Reload history and latest values (after a reconnect, when readings may have been missed). */
  async load(): Promise<void> {
    const signal = this.abort.signal;
    const to = this.ctx.serverNow();
    const from = to - RANGES[this.range].ms;
    try {
      const [detail, series, curve] = await Promise.all([
        fetchStation(this.stationId, signal),
        fetchSeries(`station:${this.stationId}`, { fields: STATION_SERIES_FIELDS, from, to }, signal),
        fetchCurve(this.stationId, Math.min(from, to - CURVE_MIN_RANGE_MS), to, signal).catch(() => undefined),
      ]);
      if (signal.aborted) return;
      this.detail = detail;
      this.series = series;
      this.curve = curve;
      this.from = from;
      this.to = to;
      this.subscribeAll(detail);
      this.mergeLatest(`station:${detail.station.id}`, detail.latest.station);
      this.mergeLatest(`weather:${detail.weatherSite.id}`, detail.latest.weather);
      for (const [id, values] of Object.entries(detail.latest.compounds)) this.mergeLatest(`compound:${id}`, values);
      this.points.clear();
      this.bands.clear();
      fillSeries(series, this.points, this.bands);
      for (const def of STATION_CHARTS) for (const l of def.lines) if (!this.points.has(l.field)) this.points.set(l.field, []);
      this.pumpSpans = stateSpans(series, 'pump_state', PUMP_SPAN_COLOURS, { stop: tr(TEXT).stop, fault: tr(TEXT).fault }, to);
      this.failed = undefined;
      this.render();
    } catch (e) {
      if (signal.aborted) return;
      this.failed = e instanceof Error ? e.message : String(e);
      this.render();
    }
  }

  /** Re-render in the current language, keeping every value and point. */
  render(): void {
    this.disposeCharts();
    clear(this.root);
    const d = this.detail;
    if (d === undefined) {
      this.root.append(el('div', { class: this.failed ? 'placeholder error' : 'placeholder', text: this.failed ? `${t('loadFailed')}: ${this.failed}` : t('loading') }));
      return;
    }
    const x = tr(TEXT);
    const s = d.station;
    const facts = el('div', { class: 'station-facts' }, [
      el('span', { text: `${t('primaryNetwork')} ${localName(d.primaryNetwork)}` }),
      el('span', { text: `${t('crew')} ${s.crew}` }),
      el('span', { text: `${s.compounds.length} ${t('compoundsCount')}` }),
      el('span', { text: `${s.households.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en')} ${t('households')}` }),
      s.address ? el('span', { text: s.address }) : null,
    ]);
    const head = el('header', { class: 'station-head' }, [
      el('div', { class: 'station-head-main' }, [el('h1', { class: 'station-title', text: localName(s), data: { testid: 'station-title' } }), facts]),
      el('div', { class: 'station-head-side' }, [
        el('div', { class: 'station-alerts', data: { testid: 'station-alerts' } }),
        el('div', { class: 'station-range' }, [rangePicker(this.range, (r) => this.onRange(r)), el('div', { class: 'station-last', data: { testid: 'last-data' } })]),
      ]),
    ]);
    const tiles = el('div', { class: 'tiles' }, TILES.map((tile) => this.tile(tile.kind, tile.field, tile.tone)));

    const grid = el('div', { class: 'chart-grid' });
    const every = this.series?.every ?? 'raw';
    const aggregated = this.series?.everyMs !== null && this.series?.everyMs !== undefined;
    const note = `${RANGES[this.range][lang()]} · ${t('granularity')} ${every === 'raw' ? t('raw') : every}${aggregated ? ` · ${x.band}` : ''}`;
    const pending: (() => void)[] = [];
    const card = (title: string, sub: string, testid: string): HTMLElement => {
      const box = el('div', { class: 'chart' });
      grid.append(el('article', { class: 'card chart-card', data: { testid } }, [el('header', { class: 'card-head' }, [el('h2', { text: title }), el('span', { class: 'muted', text: sub })]), box]));
      return box;
    };
    const live = RANGES[this.range].live;
    for (const def of STATION_CHARTS) {
      const box = card(x[def.id as keyof typeof x] as string, note, `chart-${def.id}`);
      pending.push(() => {
        const chart = new TimeChart(box, {
          unit: def.unit,
          lines: def.lines.map((l) => ({ key: l.field, label: this.label('station', l.field), color: l.color, ...(l.dashed ? { dashed: true } : {}), ...(l.step ? { step: true } : {}) })),
          points: this.points,
          bands: this.bands,
          from: this.from,
          to: this.to,
          ...(live ? { windowMs: RANGES[this.range].ms } : {}),
          group: `station-${this.stationId}`,
          ...(def.yMin !== undefined ? { yMin: def.yMin } : {}),
          ...(def.yMax !== undefined ? { yMax: def.yMax } : {}),
        });
        if (def.id === 'pump') chart.setEvents([], this.pumpSpans);
        this.charts.push(chart);
      });
      if (def.id === 'secondary') {
        const curveBox = card(x.curve, x.curveRange, 'chart-curve');
        const c = this.curve;
        if (c !== undefined) pending.push(() => this.others.push(new CurveChart(curveBox, c)));
        else curveBox.append(el('div', { class: 'placeholder', text: t('noData') }));
      }
    }
    const barsBox = card(x.bars, x.barsNote, 'chart-compounds');
    pending.push(() => this.others.push(new CompoundBars(barsBox, this.compoundBars(), (id) => this.ctx.go({ page: 'compound', id, params: {} }))));

    const side = el('article', { class: 'card compounds-card' }, [el('header', { class: 'card-head' }, [el('h2', { text: t('compounds') })]), compoundList(s, this.fields)]);
    this.root.append(head, tiles, el('div', { class: 'station-body' }, [grid, side]));
    // Charts need their box in the document to measure it: create them after attaching.
    queueMicrotask(() => {
      if (!this.root.isConnected) return;
      for (const f of pending) f();
    });
    this.refreshValues();
    this.refreshAlerts();
  }

  destroy(): void {
    this.abort.abort();
    this.offReading();
    this.offAlerts();
    for (const e of this.entities) this.ctx.live.unsubscribe(e);
    this.disposeCharts();
  }

  private disposeCharts(): void {
    for (const c of this.charts) c.dispose();
    for (const c of this.others) c.dispose();
    this.charts = [];
    this.others = [];
  }

  private compoundBars(): CompoundBar[] {
    return (this.detail?.station.compounds ?? []).map((c) => {
      const values = this.latest.get(`compound:${c.id}`);
      const dp = values?.get('dp')?.value;
      const coldest = coldestIndoor(values);
      return { id: c.id, name: localName(c), tailEnd: c.tailEnd, ...(typeof dp === 'number' ? { dp } : {}), ...(coldest ? { indoorMin: coldest.value } : {}) };
    });
  }

  private subscribeAll(d: StationDetailDto): void {
    const wanted = [`station:${d.station.id}`, `weather:${d.weatherSite.id}`, ...d.station.compounds.map((c) => `compound:${c.id}`)];
    for (const e of wanted) {
      if (this.entities.includes(e)) continue;
      this.entities.push(e);
      this.ctx.live.subscribe(e);
    }
  }

  private onReading(r: ReadingEvent): void {
    if (!this.entities.includes(r.entity)) return;
    this.mergeLatest(r.entity, Object.entries(r.fields).map(([field, value]) => ({ field, value, time: r.time, ...(r.sensor === undefined ? {} : { sensor: r.sensor }) })));
    if (r.entity === `station:${this.stationId}` && RANGES[this.range].live) {
      for (const [field, value] of Object.entries(r.fields)) {
        if (typeof value !== 'number') continue;
        const chart = this.charts.find((c) => c.has(field));
        if (chart !== undefined) chart.append(field, r.time, value);
      }
    }
    this.refreshValues();
  }

  private mergeLatest(entity: string, values: readonly LatestDto[]): void {
    let m = this.latest.get(entity);
    if (m === undefined) {
      m = new Map();
      this.latest.set(entity, m);
    }
    for (const v of values) {
      const key = v.sensor === undefined ? v.field : `${v.field}.${v.sensor}`;
      const old = m.get(key);
      if (old === undefined || old.time <= v.time) m.set(key, v);
    }
  }

  private label(kind: Kind, field: string): string {
    const f = this.fields[kind][field];
    if (f === undefined) return field;
    return lang() === 'zh' ? f.zh : f.en;
  }

  private tile(kind: Kind, field: string, tone: Tone): HTMLElement {
    const unit = this.fields[kind][field]?.unit ?? '';
    return el('div', { class: `tile ${tone}`, data: { field, kind } }, [
      el('div', { class: 'tile-label', text: this.label(kind, field), title: this.label(kind, field) }),
      el('div', { class: 'tile-reading' }, [el('span', { class: 'tile-value', text: '—' }), el('span', { class: 'tile-unit', text: unit })]),
      el('div', { class: 'tile-time' }),
    ]);
  }

  private refreshAlerts(): void {
    const box = this.root.querySelector<HTMLElement>('[data-testid="station-alerts"]');
    const d = this.detail;
    if (box === null || d === undefined) return;
    const feed = this.ctx.alerts;
    const mine = [...feed.alerts.values()].filter((a) => a.route.stationId === this.stationId);
    if (feed.status !== 'ready') {
      box.replaceChildren();
    } else if (mine.length === 0) {
      box.replaceChildren(el('span', { class: 'ok-note', text: tr(TEXT).noAlerts }));
    } else {
      const worst = mine.reduce((w, a) => (w === undefined || a.severity === 'critical' || (a.severity === 'high' && w !== 'critical') ? a.severity : w), mine[0]?.severity);
      const link = el('a', { class: 'alert-link', attrs: { href: hrefOf({ page: 'alerts', params: { station: this.stationId } }) } }, [
        el('span', { class: 'sev-pill', text: worst ? severityLabel(worst) : '' }),
        el('span', { text: `${mine.length} ${tr(TEXT).alerts}` }),
      ]);
      link.style.setProperty('--sev', severityColour(worst));
      box.replaceChildren(link);
    }
    const list = this.root.querySelector<HTMLElement>('[data-testid="compounds"]');
    if (list) refreshCompoundList(list, this.latest, this.fields, (id) => feed.compoundSeverity(id));
  }

  /** Write every shown value from state into the DOM (cheap: a few dozen text nodes). */
  private refreshValues(): void {
    const d = this.detail;
    if (d === undefined) return;
    const stationKey = `station:${d.station.id}`;
    const weatherKey = `weather:${d.weatherSite.id}`;
    for (const tile of this.root.querySelectorAll<HTMLElement>('.tile')) {
      const kind = tile.dataset.kind as Kind;
      const field = tile.dataset.field ?? '';
      const v = this.latest.get(kind === 'weather' ? weatherKey : stationKey)?.get(field);
      const valueEl = tile.querySelector('.tile-value');
      const timeEl = tile.querySelector('.tile-time');
      if (valueEl) valueEl.textContent = v === undefined ? '—' : this.show(kind, field, v.value);
      if (timeEl) timeEl.textContent = v === undefined ? '' : timeOfDay(v.time);
    }
    const pump = this.latest.get(stationKey)?.get('pump_state');
    const pumpTile = this.root.querySelector<HTMLElement>('.tile[data-field="pump_hz"]');
    if (pumpTile) {
      pumpTile.classList.toggle('fault', pump?.value === 'fault');
      pumpTile.classList.toggle('stopped', pump?.value === 'stop');
      const label = pumpTile.querySelector('.tile-label');
      if (label) label.textContent = pump === undefined ? this.label('station', 'pump_hz') : `${this.label('station', 'pump_hz')} · ${this.show('station', 'pump_state', pump.value)}`;
    }
    const list = this.root.querySelector<HTMLElement>('[data-testid="compounds"]');
    if (list) refreshCompoundList(list, this.latest, this.fields, (id) => this.ctx.alerts.compoundSeverity(id));

    const newest = Math.max(0, ...[...(this.latest.get(stationKey)?.values() ?? [])].map((v) => v.time));
    const last = this.root.querySelector('[data-testid="last-data"]');
    if (last) last.textContent = newest > 0 ? `${t('lastData')} ${timeOfDay(newest)}` : t('noData');
  }

  private show(kind: Kind, field: string, value: LatestDto['value']): string {
    if (typeof value === 'number') return numberIn(this.fields[kind][field]?.unit ?? '', value);
    if (value === 'run' || value === 'stop' || value === 'fault') return t(value);
    return String(value);
  }
}
