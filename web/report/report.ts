// The printable season report page: reads ?from=&to=&lang= and renders the report of
// /api/reports/season with echarts (SVG renderer: crisp in PDF). `document.body.dataset.ready`
// becomes "1" when everything is drawn (the PDF test and print scripts wait for it).

import * as echarts from 'echarts';
import type { CompoundRow, RepairCandidate, SeasonReport, StationRow } from '../../reports/season-model';
import { CAUSE_LABELS } from '../../reports/season-model';

type Lang = 'zh' | 'en';
const params = new URLSearchParams(location.search);
let lang: Lang = params.get('lang') === 'en' ? 'en' : 'zh';
const L = (zh: string, en: string): string => (lang === 'zh' ? zh : en);

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e as T;
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

const dayOf = (t: number): string => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
const fmt = (x: number | undefined, d = 1): string => (x === undefined ? '—' : x.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: d }));
const pct = (x: number | undefined): string => (x === undefined ? '—' : `${Math.round(x * 100)} %`);

function table(head: string[], rows: Array<Array<string | number>>): HTMLTableElement {
  const t = el('table');
  const thead = el('thead');
  const tr = el('tr');
  for (const h of head) tr.append(el('th', h));
  thead.append(tr);
  const tb = el('tbody');
  for (const r of rows) {
    const row = el('tr');
    for (const c of r) row.append(el('td', typeof c === 'number' ? fmt(c) : c, typeof c === 'number' ? 'num' : undefined));
    tb.append(row);
  }
  t.append(thead, tb);
  return t;
}

function chart(host: HTMLElement, option: echarts.EChartsCoreOption): void {
  const div = el('div', undefined, 'chart');
  host.append(div);
  const c = echarts.init(div, undefined, { renderer: 'svg' });
  c.setOption({ animation: false, textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily }, ...option });
}

function candidatesSection(main: HTMLElement, cands: readonly RepairCandidate[]): void {
  main.append(el('h2', L('维修改造候选（冬病夏治）', 'Repair candidates (summer repairs)')));
  const ol = el('ol');
  for (const c of cands.slice(0, 20)) {
    const li = el('li', undefined, `candidate cause-${c.cause}`);
    li.append(el('strong', `[${CAUSE_LABELS[c.cause][lang]}] `), document.createTextNode(lang === 'zh' ? c.reasonZh : c.reasonEn));
    ol.append(li);
  }
  if (cands.length === 0) main.append(el('p', L('本时段无候选。', 'No candidates in this range.')));
  main.append(ol);
}

function compoundCharts(main: HTMLElement, compounds: readonly CompoundRow[]): void {
  const top = [...compounds].sort((a, b) => b.underheatingDegreeHoursPerHousehold - a.underheatingDegreeHoursPerHousehold).slice(0, 15).reverse();
  chart(main, {
    title: { text: L('每户低于18 °C度时（前15）', 'Degree-hours below 18 °C per household (top 15)'), textStyle: { fontSize: 12 } },
    grid: { left: 110, right: 30, top: 30, bottom: 24 },
    xAxis: { type: 'value', name: 'K·h' },
    yAxis: { type: 'category', data: top.map((c) => `${c.name}${c.indoorMethod === 'estimated' ? L('（估）', ' (est.)') : ''}`) },
    series: [{ type: 'bar', data: top.map((c) => ({ value: c.underheatingDegreeHoursPerHousehold, itemStyle: { color: c.tailEnd ? '#c23' : '#48a' } })) }],
  });
  const withFlow = compounds.filter((c) => c.coldFlowRatio !== undefined);
  chart(main, {
    title: { text: L('寒冷时段流量/设计 与 度时', 'Cold-hour flow / design vs degree-hours'), textStyle: { fontSize: 12 } },
    grid: { left: 50, right: 30, top: 30, bottom: 36 },
    xAxis: { type: 'value', name: L('流量/设计', 'flow / design'), nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'value', name: 'K·h' },
    series: [{ type: 'scatter', symbolSize: 7, data: withFlow.map((c) => ({ value: [c.coldFlowRatio ?? 0, c.underheatingDegreeHoursPerHousehold], name: c.name, itemStyle: { color: c.tailEnd ? '#c23' : '#48a' } })) }],
  });
}

function stationsSection(main: HTMLElement, stations: readonly StationRow[]): void {
  const sec = el('section', undefined, 'page');
  sec.append(el('h2', L('换热站', 'Stations')));
  const rows = [...stations].sort((a, b) => b.underheatingDegreeHoursPerHousehold - a.underheatingDegreeHoursPerHousehold);
  sec.append(
    table(
      [L('换热站', 'Station'), L('户数', 'Households'), L('度时/户', 'K·h / hh'), L('工单/千户', 'Tickets / 1,000'), L('停泵 h', 'Pump stop h'), L('阀饱和 h', 'Valve sat. h'), L('小温差 h', 'Small ΔT h'), L('补水 m³', 'Make-up m³'), 'GJ/m²'],
      rows.map((s) => [s.name, s.households, s.underheatingDegreeHoursPerHousehold, s.ticketsPer1000Households, s.pumpStopHours, s.valveSaturatedHours, s.smallDeltaTHours, s.makeupWaterM3, fmt(s.heatGjPerM2, 4)]),
    ),
  );
  main.append(sec);
}

function compoundsSection(main: HTMLElement, compounds: readonly CompoundRow[]): void {
  const sec = el('section', undefined, 'page');
  sec.append(el('h2', L('小区', 'Compounds')));
  const rows = [...compounds].sort((a, b) => b.underheatingDegreeHoursPerHousehold - a.underheatingDegreeHoursPerHousehold);
  sec.append(
    table(
      [L('小区', 'Compound'), L('换热站', 'Station'), L('末端', 'Tail'), L('室温', 'Indoor'), L('度时/户', 'K·h / hh'), L('<18 °C 小时', 'h < 18 °C'), L('工单/千户', 'Tickets / 1,000'), L('管网原因', 'Network share'), L('寒冷流量/设计', 'Cold flow / design'), 'GJ/m²'],
      rows.map((c) => [
        c.name,
        c.stationName,
        c.tailEnd ? L('是', 'yes') : '',
        c.indoorMethod === 'measured' ? L('实测', 'measured') : c.indoorMethod === 'estimated' ? L('估算', 'estimated') : '—',
        c.underheatingDegreeHoursPerHousehold,
        c.hoursBelow18,
        c.ticketsPer1000Households,
        pct(c.explainedShare),
        pct(c.coldFlowRatio),
        fmt(c.heatGjPerM2, 4),
      ]),
    ),
  );
  main.append(sec);
}

function render(r: SeasonReport): void {
  const main = $('report');
  main.replaceChildren();
  main.append(el('h1', L('供暖季分析报告', 'Heating season report')));
  main.append(
    el(
      'p',
      `${dayOf(r.from)} – ${dayOf(r.to - 1)} · ${r.hours} h · ${L('采暖度日数', 'heating degree-days')} ${fmt(r.heatingDegreeDays)} (18 °C) · ${L('平均室外', 'mean outdoor')} ${fmt(r.meanOutdoorC)} °C`,
      'meta',
    ),
  );
  candidatesSection(main, r.candidates);
  compoundCharts(main, r.compounds);
  stationsSection(main, r.stations);
  compoundsSection(main, r.compounds);
  if (r.notes.length > 0) {
    main.append(el('h2', L('说明', 'Notes')));
    const ul = el('ul', undefined, 'notes');
    for (const n of r.notes) ul.append(el('li', n));
    main.append(ul);
  }
}

async function load(): Promise<void> {
  const from = params.get('from');
  const to = params.get('to');
  const status = $('status');
  if (!from || !to) {
    status.textContent = L('请选择时段', 'Choose a range');
    document.body.dataset.ready = '1';
    return;
  }
  $<HTMLInputElement>('from').value = dayOf(Number.isFinite(Number(from)) ? Number(from) : Date.parse(from));
  $<HTMLInputElement>('to').value = dayOf((Number.isFinite(Number(to)) ? Number(to) : Date.parse(to)) - 1);
  const qs = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  $<HTMLAnchorElement>('csv').href = `/api/reports/season.csv?${qs}`;
  $<HTMLAnchorElement>('xlsx').href = `/api/reports/season.xlsx?${qs}`;
  status.textContent = L('分析中…', 'Analysing…');
  // A long range runs as a job: start it, poll its progress, then fetch the cached report.
  const start = await fetch('/api/reports/season/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from, to }) });
  // A read-only role may not start jobs (POST): then the GET below computes it in the request.
  if (!start.ok && start.status !== 403) throw new Error(`${start.status} ${await start.text()}`);
  const job = start.ok ? ((await start.json()) as { jobId: string; state: string; progress: number }) : { jobId: '', state: 'done', progress: 0 };
  let state = job.state;
  while (state === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    const j = (await (await fetch(`/api/reports/season/jobs/${encodeURIComponent(job.jobId)}`)).json()) as { state: string; progress: number };
    state = j.state;
    status.textContent = `${L('分析中', 'Analysing')} ${Math.round(j.progress * 100)} %`;
  }
  const res = await fetch(`/api/reports/season?${qs}`);
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  render((await res.json()) as SeasonReport);
  status.textContent = '';
  document.body.dataset.ready = '1';
}

function wire(): void {
  $('lang').textContent = lang === 'zh' ? 'English' : '中文';
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    params.set('lang', lang);
    location.search = params.toString();
  });
  $('print').addEventListener('click', () => window.print());
  $('run').addEventListener('click', () => {
    const f = $<HTMLInputElement>('from').value;
    const t = $<HTMLInputElement>('to').value;
    if (!f || !t) return;
    params.set('from', `${f}T00:00:00+08:00`);
    params.set('to', String(Date.parse(`${t}T00:00:00+08:00`) + 86_400_000));
    location.search = params.toString();
  });
}

wire();
load().catch((e: unknown) => {
  $('status').textContent = `${L('失败', 'Failed')}: ${e instanceof Error ? e.message : String(e)}`;
  document.body.dataset.ready = 'error';
});
