// The live station page: header, big-number tiles, 24-hour charts of secondary and primary
// supply/return temperatures and flows, and the compounds in hydraulic order with the tail end
// (末端) marked and their latest supply/return/dp/indoor values.
// State (latest values, chart points) lives here; the DOM is rebuilt from it on a language
// switch, and patched in place for each live reading.

import type { FieldCatalogueDto, LatestDto, ReadingEvent, SeriesResponseDto, StationDetailDto } from '../../api/dto';
import { fetchSeries, fetchStation } from './api-client';
import { clear, el } from './element';
import { numberIn, timeOfDay } from './format';
import { lang, localName, t, type TextKey } from './i18n';
import type { LiveClient } from './live-client';
import { LiveLineChart, type LineSpec } from './live-line-chart';
import { insertPoint, pruneWindow, type Point } from './sorted-points';
import { COLOURS } from './palette';

type Kind = keyof FieldCatalogueDto;

interface ChartDef {
  readonly title: TextKey;
  readonly unit: string;
  readonly lines: readonly { field: string; color: string; dashed?: boolean }[];
}

const CHARTS: readonly ChartDef[] = [
  {
    title: 'secondaryTemps',
    unit: '°C',
    lines: [
      { field: 't2_supply', color: COLOURS.supply },
      { field: 't2_return', color: COLOURS.return },
      { field: 't2_supply_sp', color: COLOURS.setpoint, dashed: true },
    ],
  },
  {
    title: 'primaryTemps',
    unit: '°C',
    lines: [
      { field: 't1_supply', color: COLOURS.supplyPrimary },
      { field: 't1_return', color: COLOURS.returnPrimary },
    ],
  },
  {
    title: 'flows',
    unit: 'm³/h',
    lines: [
      { field: 'flow2', color: COLOURS.flowSecondary },
      { field: 'flow1', color: COLOURS.flowPrimary },
    ],
  },
];

type Tone = 'warm' | 'cold' | 'flow' | 'neutral';
const TILES: readonly { kind: Kind; field: string; tone: Tone }[] = [
  { kind: 'station', field: 't2_supply', tone: 'warm' },
  { kind: 'station', field: 't2_return', tone: 'cold' },
  { kind: 'station', field: 't1_supply', tone: 'warm' },
  { kind: 'station', field: 't1_return', tone: 'cold' },
  { kind: 'station', field: 'flow2', tone: 'flow' },
  { kind: 'station', field: 'flow1', tone: 'flow' },
  { kind: 'station', field: 'pump_hz', tone: 'neutral' },
  { kind: 'weather', field: 't_outdoor', tone: 'neutral' },
];

const COMPOUND_CELLS: readonly { field: string; label: TextKey; tone: Tone }[] = [
  { field: 't_supply', label: 'supply', tone: 'warm' },
  { field: 't_return', label: 'return', tone: 'cold' },
  { field: 'dp', label: 'dp', tone: 'neutral' },
  { field: 't_indoor', label: 'indoor', tone: 'neutral' },
];

const WINDOW_MS = 24 * 3_600_000;
const COMFORT_MIN_C = 18;
const BAND_LOW_C = 16;

/** Latest value per field (and sensor) of each entity, keyed `field` or `field.sensor`. */
type LatestMap = Map<string, Map<string, LatestDto>>;

export class StationView {
  readonly root = el('section', { class: 'station-view' });
  private detail: StationDetailDto | undefined;
  private series: SeriesResponseDto | undefined;
  private readonly latest: LatestMap = new Map();
  private readonly chartData = new Map<string, Point[]>();
  private charts: LiveLineChart[] = [];
  private readonly entities: string[] = [];
  private readonly unsubscribeReading: () => void;
  private readonly abort = new AbortController();
  private failed: string | undefined;

  constructor(
    readonly stationId: string,
    private readonly fields: FieldCatalogueDto,
    private readonly live: LiveClient,
  ) {
    this.root.dataset.station = stationId;
    for (const c of CHARTS) for (const l of c.lines) this.chartData.set(l.field, []);
    // Subscribe before loading, so nothing published while the history loads is missed.
    this.unsubscribeReading = live.onReading((r) => this.onReading(r));
    this.entities.push(`station:${stationId}`);
    live.subscribe(`station:${stationId}`);
    this.render();
    void this.load();
  }

  /** Reload history and latest values (after a reconnect, when readings may have been missed). */
  async load(): Promise<void> {
    try {
      const fields = CHARTS.flatMap((c) => c.lines.map((l) => l.field));
      const [detail, series] = await Promise.all([
        fetchStation(this.stationId, this.abort.signal),
        fetchSeries(`station:${this.stationId}`, fields, this.abort.signal),
      ]);
      if (this.abort.signal.aborted) return;
      this.detail = detail;
      this.series = series;
      this.subscribeAll(detail);
      this.mergeLatest(`station:${detail.station.id}`, detail.latest.station);
      this.mergeLatest(`weather:${detail.weatherSite.id}`, detail.latest.weather);
      for (const [id, values] of Object.entries(detail.latest.compounds)) this.mergeLatest(`compound:${id}`, values);
      for (const s of series.series) {
        const pts = this.chartData.get(s.field);
        if (pts === undefined || s.mode === 'changes') continue;
        // History first, then the live points that arrived while it loaded, each in its place.
        const live = pts.slice();
        pts.length = 0;
        for (const p of s.points) if (typeof p[1] === 'number') pts.push([p[0], p[1]]);
        for (const p of live) insertPoint(pts, p);
        pruneWindow(pts, WINDOW_MS);
      }
      this.failed = undefined;
      this.render();
    } catch (e) {
      if (this.abort.signal.aborted) return;
      this.failed = e instanceof Error ? e.message : String(e);
      this.render();
    }
  }

  /** Re-render in the current language, keeping every value and point. */
  render(): void {
    for (const c of this.charts) c.dispose();
    this.charts = [];
    clear(this.root);
    const d = this.detail;
    if (d === undefined) {
      this.root.append(el('div', { class: this.failed ? 'placeholder error' : 'placeholder', text: this.failed ? `${t('loadFailed')}: ${this.failed}` : t('loading') }));
      return;
    }
    const s = d.station;
    const facts = el('div', { class: 'station-facts' }, [
      el('span', { text: `${t('primaryNetwork')} ${localName(d.primaryNetwork)}` }),
      el('span', { text: `${t('crew')} ${s.crew}` }),
      el('span', { text: `${s.compounds.length} ${t('compoundsCount')}` }),
      el('span', { text: `${s.households.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en')} ${t('households')}` }),
    ]);
    const lastData = el('div', { class: 'station-last', data: { testid: 'last-data' } });
    const head = el('header', { class: 'station-head' }, [
      el('div', {}, [el('h1', { class: 'station-title', text: localName(s), data: { testid: 'station-title' } }), facts]),
      lastData,
    ]);

    const tiles = el('div', { class: 'tiles' }, TILES.map((tile) => this.tile(tile.kind, tile.field, tile.tone)));

    const chartsBox = el('div', { class: 'charts' });
    const every = this.series?.every ?? 'raw';
    for (const def of CHARTS) {
      const box = el('div', { class: 'chart' });
      chartsBox.append(
        el('article', { class: 'card chart-card' }, [
          el('header', { class: 'card-head' }, [
            el('h2', { text: t(def.title) }),
            el('span', { class: 'muted', text: `${t('last24h')} · ${t('granularity')} ${every === 'raw' ? t('raw') : every}` }),
          ]),
          box,
        ]),
      );
      const lines: LineSpec[] = def.lines.map((l) => ({ ...l, label: this.label('station', l.field) }));
      // Charts need their box in the document to measure it; create them after attaching.
      queueMicrotask(() => {
        if (box.isConnected) this.charts.push(new LiveLineChart(box, def.unit, lines, this.chartData, WINDOW_MS));
      });
    }

    const compounds = el('ol', { class: 'compounds', data: { testid: 'compounds' } }, s.compounds.map((c, i) => {
      const entity = `compound:${c.id}`;
      const li = el('li', { class: c.tailEnd ? 'compound tail' : 'compound', data: { compound: c.id } }, [
        el('div', { class: 'order', text: String(c.order) }),
        el('div', { class: 'c-main' }, [
          el('div', { class: 'c-head' }, [
            el('span', { class: 'c-name', text: localName(c) }),
            c.tailEnd ? el('span', { class: 'badge tail-badge', text: t('tailEnd'), data: { testid: 'tail-badge' } }) : null,
            el('span', { class: 'c-households', text: `${c.households} ${t('households')}` }),
          ]),
          el('div', { class: 'c-values' }, COMPOUND_CELLS.map((cell) =>
            el('div', { class: `c-cell ${cell.tone}`, data: { field: cell.field, entity } }, [
              el('span', { class: 'c-label', text: t(cell.label) }),
              el('span', { class: 'c-reading' }, [el('span', { class: 'c-value', text: '—' }), el('span', { class: 'c-unit', text: this.fields.compound[cell.field]?.unit ?? '' })]),
            ]),
          )),
        ]),
      ]);
      // Position along the secondary pipe, 0 at the station, 1 at the far end: the pipe drawn
      // between the order numbers cools from supply red to return blue.
      li.style.setProperty('--pos', String(s.compounds.length > 1 ? i / (s.compounds.length - 1) : 0));
      return li;
    }));
    const side = el('article', { class: 'card compounds-card' }, [el('header', { class: 'card-head' }, [el('h2', { text: t('compounds') })]), compounds]);

    this.root.append(head, tiles, el('div', { class: 'station-body' }, [chartsBox, side]));
    this.refreshValues();
  }

  destroy(): void {
    this.abort.abort();
    this.unsubscribeReading();
    for (const e of this.entities) this.live.unsubscribe(e);
    for (const c of this.charts) c.dispose();
    this.charts = [];
  }

  private subscribeAll(d: StationDetailDto): void {
    const wanted = [`station:${d.station.id}`, `weather:${d.weatherSite.id}`, ...d.station.compounds.map((c) => `compound:${c.id}`)];
    for (const e of wanted) {
      if (this.entities.includes(e)) continue;
      this.entities.push(e);
      this.live.subscribe(e);
    }
  }

  private onReading(r: ReadingEvent): void {
    if (!this.entities.includes(r.entity)) return;
    this.mergeLatest(r.entity, Object.entries(r.fields).map(([field, value]) => ({ field, value, time: r.time, ...(r.sensor === undefined ? {} : { sensor: r.sensor }) })));
    if (r.entity === `station:${this.stationId}`) {
      for (const [field, value] of Object.entries(r.fields)) {
        if (typeof value !== 'number') continue;
        const chart = this.charts.find((c) => c.has(field));
        if (chart !== undefined) chart.append(field, r.time, value);
        else {
          const pts = this.chartData.get(field); // charts not built yet: keep the point for them
          if (pts !== undefined) insertPoint(pts, [r.time, value]);
        }
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
    if (pumpTile) pumpTile.classList.toggle('fault', pump?.value === 'fault');

    for (const cell of this.root.querySelectorAll<HTMLElement>('.c-cell')) {
      const entity = cell.dataset.entity ?? '';
      const field = cell.dataset.field ?? '';
      const values = this.latest.get(entity);
      const valueEl = cell.querySelector('.c-value');
      if (valueEl === null) continue;
      cell.classList.remove('low', 'cold-band');
      if (field === 't_indoor') {
        // The coldest sensor is what decides whether residents call the hotline.
        const readings = [...(values?.values() ?? [])].filter((v) => v.field === 't_indoor' && typeof v.value === 'number');
        const coldest = readings.reduce<LatestDto | undefined>((a, v) => (a === undefined || (v.value as number) < (a.value as number) ? v : a), undefined);
        valueEl.textContent = coldest === undefined ? '—' : numberIn('°C', coldest.value as number);
        cell.title = readings.length === 0 ? t('noSensor') : `${t('coldest')} · ${readings.length} ${t('sensors')}`;
        if (coldest !== undefined && (coldest.value as number) < COMFORT_MIN_C) cell.classList.add((coldest.value as number) < BAND_LOW_C ? 'cold-band' : 'low');
      } else {
        const v = values?.get(field);
        valueEl.textContent = v === undefined ? '—' : this.show('compound', field, v.value);
      }
    }

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
