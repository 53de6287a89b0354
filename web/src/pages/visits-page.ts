// #/visits?crew= — the 未诉先办 board: proactive work orders in three columns (issued, on the
// way, outcome recorded), overdue ones marked, filtered by crew; the KPIs above when the KPI API
// answers. Outcomes are recorded here too (or on the crew's phone view).

import { ApiError, getJson, query } from '../api-client';
import { el } from '../element';
import { t, tr } from '../i18n';
import type { AppContext, Page } from '../page';
import type { Route } from '../router';
import { SEVERITY_RANK } from '../alert-types';
import { visitCard } from '../visit-card';
import { isPending, parseVisits, type Visit } from '../visit-types';

const TEXT = {
  zh: {
    title: '走访（未诉先办）',
    sub: '规则发现小区偏冷、尚无人投诉时，给班组派发的上门工单',
    allCrews: '全部班组',
    cols: { issued: '待处理', onway: '进行中', done: '已反馈' },
    none: '暂无',
    missing: '走访接口尚未提供：接入后这里显示未诉先办工单。',
    kpi: { rate: '未诉先办率', lead: '提前量（中位）', per10k: '每万户供热工单', visits: '走访数' },
    hours: '小时',
  },
  en: {
    title: 'Visits (act before complaints)',
    sub: 'Work orders sent to crews when the rules see a compound going cold before anyone complains',
    allCrews: 'All crews',
    cols: { issued: 'Issued', onway: 'On the way', done: 'Outcome recorded' },
    none: 'None',
    missing: 'The visits API is not available yet: proactive work orders will show here.',
    kpi: { rate: 'Proactive rate', lead: 'Median lead', per10k: 'Heating tickets / 10k households', visits: 'Visits' },
    hours: 'h',
  },
} as const;

type Col = keyof (typeof TEXT)['zh']['cols'];

export class VisitsPage implements Page {
  readonly root = el('div', { class: 'page visits-page', data: { testid: 'visits-page' } });
  private visits: Visit[] | 'missing' | undefined;
  private kpi: Record<string, unknown> | undefined;
  private failed: string | undefined;
  private abort = new AbortController();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly ctx: AppContext,
    private route: Route = { page: 'visits', params: {} },
  ) {
    this.render();
    void this.load();
    this.timer = setInterval(() => void this.load(), 30_000);
  }

  update(r: Route): boolean {
    this.route = r;
    this.abort.abort();
    this.abort = new AbortController();
    void this.load();
    return true;
  }

  reload(): void {
    void this.load();
  }

  destroy(): void {
    clearInterval(this.timer);
    this.abort.abort();
  }

  private async load(): Promise<void> {
    const signal = this.abort.signal;
    const crew = this.route.params.crew;
    try {
      const body = await getJson<unknown>(`/api/visits${query({ crew, limit: 200 })}`, signal);
      this.visits = parseVisits(body);
      this.failed = undefined;
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.missing) this.visits = 'missing';
      else this.failed = e instanceof Error ? e.message : String(e);
    }
    this.kpi = await getJson<Record<string, unknown>>('/api/kpi', signal).catch(() => undefined);
    if (!signal.aborted) this.render();
  }

  render(): void {
    const x = tr(TEXT);
    const crews = [...new Set(this.ctx.network.stations.map((s) => s.crew))].sort();
    const sel = el('select', { class: 'select', data: { testid: 'visits-crew' } }, [el('option', { text: x.allCrews, attrs: { value: '' } }), ...crews.map((c) => el('option', { text: c, attrs: { value: c } }))]);
    sel.value = this.route.params.crew ?? '';
    sel.addEventListener('change', () => this.ctx.go({ page: 'visits', params: { crew: sel.value } }, true));
    const head = el('header', { class: 'page-head' }, [el('div', {}, [el('h1', { class: 'page-title', text: x.title }), el('div', { class: 'page-sub', text: x.sub })]), sel]);
    if (this.visits === undefined) {
      this.root.replaceChildren(head, el('div', { class: this.failed ? 'placeholder error' : 'placeholder', text: this.failed ?? t('loading') }));
      return;
    }
    if (this.visits === 'missing') {
      this.root.replaceChildren(head, el('div', { class: 'empty-state', text: x.missing, data: { testid: 'visits-missing' } }));
      return;
    }
    const now = this.ctx.serverNow();
    const colOf = (v: Visit): Col => (!isPending(v) ? 'done' : v.loop.stage === 'dispatched' ? 'onway' : 'issued');
    const sorted = [...this.visits].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.dueAt - b.dueAt);
    const cols = (Object.keys(x.cols) as Col[]).map((col) => {
      const items = sorted.filter((v) => colOf(v) === col);
      return el('section', { class: `visit-col col-${col}`, data: { testid: `visits-${col}` } }, [
        el('header', { class: 'card-head' }, [el('h2', { text: `${x.cols[col]} · ${items.length}` })]),
        items.length === 0 ? el('div', { class: 'empty-state', text: x.none }) : el('div', { class: 'visit-cards' }, items.slice(0, 60).map((v) => visitCard(v, { network: this.ctx.network, now, canWrite: this.ctx.can('tickets:write'), onRecorded: () => void this.load() }))),
      ]);
    });
    this.root.replaceChildren(head, this.kpiStrip(), el('div', { class: 'visit-board' }, cols));
  }

  /** The KPI totals when /api/kpi answers (its shape is read defensively). */
  private kpiStrip(): HTMLElement | string {
    const x = tr(TEXT);
    const k = this.kpi;
    const total = (k?.total ?? (Array.isArray(k?.rows) ? (k.rows as Record<string, unknown>[]).find((r) => r.key === 'total') : undefined)) as Record<string, unknown> | undefined;
    if (total === undefined) return '';
    const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const rate = num(total.proactiveRate);
    const lead = num(total.medianLeadMs);
    const per = num(total.ticketsPer10kHouseholds);
    const visits = num(total.visits);
    const cell = (label: string, value: string): HTMLElement => el('div', { class: 'kpi' }, [el('div', { class: 'counter-label', text: label }), el('div', { class: 'kpi-value', text: value })]);
    return el('div', { class: 'kpi-strip', data: { testid: 'kpi' } }, [
      cell(x.kpi.rate, rate === undefined ? '—' : `${Math.round(rate * 100)}%`),
      cell(x.kpi.lead, lead === undefined ? '—' : `${(lead / 3_600_000).toFixed(1)} ${x.hours}`),
      cell(x.kpi.per10k, per === undefined ? '—' : per.toFixed(1)),
      cell(x.kpi.visits, visits === undefined ? '—' : String(visits)),
    ]);
  }
}


