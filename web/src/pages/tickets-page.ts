// #/tickets — heating tickets of the last 14 days by compound × day (all, or only those telemetry
// explains / does not explain, once tickets carry a correlation verdict), and the human queue:
// tickets whose place the resolver was unsure of, with one-click confirmation of a candidate
// compound (POST /api/tickets/:id/confirm), which also teaches the spelling.

import type { CompoundDto } from '../../../api/dto';
import { ApiError, getJson, postJson, query } from '../api-client';
import { el } from '../element';
import { dateTime, startOfDay } from '../format';
import { lang, localName, t, tr } from '../i18n';
import type { AppContext, Page } from '../page';
import { TicketHeatmap, ticketGrid } from '../ticket-heatmap';
import { CATEGORY_LABEL, isHeatingTicket, type Ticket, type TicketPage } from '../ticket-types';

const TEXT = {
  zh: {
    title: '工单与关联分析',
    heat: (d: number) => `供热工单：小区 × 日（最近${d}天）`,
    modes: { all: '全部', unexplained: '未解释（需入户）', explained: '遥测可解释' },
    noCorrelation: '工单与告警的关联结果尚未提供：暂按全部工单显示',
    stats: (n: number, e: number, u: number, p: number) => `${n} 张供热工单 · 可解释 ${e} · 未解释 ${u} · 未定位 ${p}`,
    queue: '待人工确认地址',
    queueSub: (n: number) => `${n} 张 · 最早的在前`,
    queueEmpty: '没有待确认的工单',
    confirmAs: '确认为',
    other: '其他小区…',
    confirm: '确认',
    confirmed: (name: string) => `已确认为 ${name}`,
    learned: (s: string) => `，已学习写法「${s}」`,
    failed: '确认失败',
    tickets: '张',
    tail: '末端',
    readOnly: '只读账号：不能确认',
    empty: '此期间没有供热工单',
  },
  en: {
    title: 'Tickets and correlation',
    heat: (d: number) => `Heating tickets by compound × day (last ${d} days)`,
    modes: { all: 'All', unexplained: 'Unexplained (visit the flat)', explained: 'Explained by telemetry' },
    noCorrelation: 'Ticket–alert correlation not available yet: showing all tickets',
    stats: (n: number, e: number, u: number, p: number) => `${n} heating tickets · explained ${e} · unexplained ${u} · unplaced ${p}`,
    queue: 'Addresses waiting for a person',
    queueSub: (n: number) => `${n} · oldest first`,
    queueEmpty: 'Nothing waiting',
    confirmAs: 'It is',
    other: 'Another compound…',
    confirm: 'Confirm',
    confirmed: (name: string) => `Confirmed as ${name}`,
    learned: (s: string) => `; learned the spelling “${s}”`,
    failed: 'Confirmation failed',
    tickets: 'tickets',
    tail: 'tail end',
    readOnly: 'Read-only account: cannot confirm',
    empty: 'No heating tickets in this period',
  },
} as const;

const DAYS = 14;
const MAX_PAGES = 10;
type Mode = 'all' | 'unexplained' | 'explained';

export class TicketsPage implements Page {
  readonly root = el('div', { class: 'page tickets-page', data: { testid: 'tickets-page' } });
  private tickets: Ticket[] | undefined;
  private queue: { total: number; items: Ticket[] } | undefined;
  private failed: string | undefined;
  private mode: Mode = 'all';
  private heatmap: TicketHeatmap | undefined;
  private readonly compounds = new Map<string, CompoundDto>();
  private readonly abort = new AbortController();
  private from = 0;

  constructor(private readonly ctx: AppContext) {
    for (const s of ctx.network.stations) for (const c of s.compounds) this.compounds.set(c.id, c);
    this.render();
    void this.load();
  }

  destroy(): void {
    this.abort.abort();
    this.heatmap?.dispose();
  }

  reload(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    const signal = this.abort.signal;
    this.from = startOfDay(this.ctx.serverNow()) - (DAYS - 1) * 86_400_000;
    try {
      const all: Ticket[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page = await getJson<TicketPage>(`/api/tickets${query({ from: this.from, limit: 500, cursor })}`, signal);
        all.push(...page.items);
        cursor = page.next;
        if (cursor === undefined) break;
      }
      const q = await getJson<TicketPage>('/api/tickets/queue?limit=50', signal);
      if (signal.aborted) return;
      this.tickets = all.filter(isHeatingTicket);
      this.queue = { total: q.total, items: [...q.items] };
      this.failed = undefined;
    } catch (e) {
      if (signal.aborted) return;
      this.failed = e instanceof ApiError && e.missing ? t('notAvailable') : e instanceof Error ? e.message : String(e);
    }
    this.render();
  }

  render(): void {
    const x = tr(TEXT);
    this.heatmap?.dispose();
    this.heatmap = undefined;
    const head = el('header', { class: 'page-head' }, [el('h1', { class: 'page-title', text: x.title })]);
    if (this.tickets === undefined || this.queue === undefined) {
      this.root.replaceChildren(head, el('div', { class: this.failed ? 'placeholder error' : 'placeholder', text: this.failed ?? t('loading') }));
      return;
    }
    const tickets = this.tickets;
    const verdict = (tk: Ticket): string | undefined => tk.correlation?.verdict;
    const hasCorrelation = tickets.some((tk) => verdict(tk) !== undefined);
    const mode: Mode = hasCorrelation ? this.mode : 'all';
    const shown = mode === 'all' ? tickets : tickets.filter((tk) => verdict(tk) === mode);
    const modes = el('div', { class: 'segmented', data: { testid: 'heat-mode' } }, (Object.keys(x.modes) as Mode[]).map((m) => {
      const b = el('button', { class: m === mode ? 'seg active' : 'seg', text: x.modes[m], attrs: { type: 'button' }, data: { mode: m } });
      b.disabled = !hasCorrelation && m !== 'all';
      b.addEventListener('click', () => {
        this.mode = m;
        this.render();
      });
      return b;
    }));
    const explained = tickets.filter((tk) => verdict(tk) === 'explained').length;
    const unexplained = tickets.filter((tk) => verdict(tk) === 'unexplained').length;
    const unplaced = tickets.filter((tk) => tk.resolution.compoundId === undefined).length;
    const grid = ticketGrid(shown, this.from, DAYS, (id) => {
      const c = this.compounds.get(id);
      return c ? { name: localName(c), tailEnd: c.tailEnd } : undefined;
    }, 24);
    const box = el('div', { class: 'heatmap', data: { testid: 'heatmap' } });
    box.style.height = `${Math.max(260, grid.rows.length * 30 + 90)}px`;
    const heatCard = el('section', { class: 'card heat-card' }, [
      el('header', { class: 'card-head' }, [el('h2', { text: x.heat(DAYS) }), modes]),
      el('div', { class: 'heat-stats muted', text: hasCorrelation ? x.stats(tickets.length, explained, unexplained, unplaced) : `${x.stats(tickets.length, explained, unexplained, unplaced)} · ${x.noCorrelation}` }),
      grid.rows.length > 0 ? box : el('div', { class: 'empty-state', text: x.empty }),
    ]);
    this.root.replaceChildren(head, el('div', { class: 'tickets-body' }, [heatCard, this.queueCard()]));
    if (grid.rows.length > 0) {
      queueMicrotask(() => {
        if (box.isConnected) this.heatmap = new TicketHeatmap(box, grid, { tickets: x.tickets, tail: x.tail }, (id) => this.ctx.go({ page: 'compound', id, params: {} }));
      });
    }
  }

  private queueCard(): HTMLElement {
    const x = tr(TEXT);
    const q = this.queue ?? { total: 0, items: [] };
    const canWrite = this.ctx.can('tickets:write');
    return el('section', { class: 'card queue-card', data: { testid: 'ticket-queue' } }, [
      el('header', { class: 'card-head' }, [el('h2', { text: x.queue }), el('span', { class: 'muted', text: x.queueSub(q.total) })]),
      q.items.length === 0 ? el('div', { class: 'empty-state', text: x.queueEmpty }) : el('ol', { class: 'queue' }, q.items.map((tk) => this.queueItem(tk, canWrite))),
    ]);
  }

  private queueItem(tk: Ticket, canWrite: boolean): HTMLElement {
    const x = tr(TEXT);
    const note = el('div', { class: 'queue-note' });
    const act = (compoundId: string, buttons: HTMLButtonElement[]): void => {
      for (const b of buttons) b.disabled = true;
      note.textContent = '';
      postJson<{ ticket: Ticket; learned?: { spelling?: string } }>(`/api/tickets/${encodeURIComponent(tk.id)}/confirm`, { compoundId }).then(
        (r) => {
          const c = this.compounds.get(compoundId);
          note.textContent = x.confirmed(c ? localName(c) : compoundId) + (r.learned?.spelling ? x.learned(r.learned.spelling) : '');
          note.className = 'queue-note ok-note';
          item.classList.add('done');
          if (this.queue) this.queue = { total: this.queue.total - 1, items: this.queue.items.filter((i) => i.id !== tk.id) };
        },
        (e: unknown) => {
          for (const b of buttons) b.disabled = false;
          note.textContent = `${x.failed}: ${e instanceof Error ? e.message : String(e)}`;
          note.className = 'queue-note error-note';
        },
      );
    };
    const buttons: HTMLButtonElement[] = [];
    const candidates = tk.resolution.candidates.slice(0, 3).map((cand) => {
      const c = this.compounds.get(cand.compoundId);
      const b = el('button', { class: 'btn primary', attrs: { type: 'button' }, data: { testid: 'confirm-candidate', compound: cand.compoundId } }, [
        el('span', { text: `${x.confirmAs} ${c ? localName(c) : cand.compoundName}` }),
        el('span', { class: 'cand-score', text: `${Math.round(cand.score * 100)}%` }),
      ]);
      b.disabled = !canWrite;
      b.addEventListener('click', () => act(cand.compoundId, buttons));
      buttons.push(b);
      return b;
    });
    const other = el('select', { class: 'select', data: { testid: 'confirm-other' } }, [
      el('option', { text: x.other, attrs: { value: '' } }),
      ...this.ctx.network.stations.map((s) => el('optgroup', { attrs: { label: localName(s) } }, s.compounds.map((c) => el('option', { text: localName(c), attrs: { value: c.id } })))),
    ]);
    other.disabled = !canWrite;
    const go = el('button', { class: 'btn', text: x.confirm, attrs: { type: 'button' } });
    go.disabled = !canWrite;
    go.addEventListener('click', () => {
      if (other.value) act(other.value, buttons);
    });
    buttons.push(go);
    const item = el('li', { class: 'queue-item', data: { testid: 'queue-item', ticket: tk.id } }, [
      el('div', { class: 'queue-head' }, [
        el('span', { class: 'event-time', text: dateTime(tk.receivedAt) }),
        el('span', { class: 'event-tag', text: CATEGORY_LABEL[tk.category][lang()] }),
        el('span', { class: 'muted', text: tk.externalId }),
      ]),
      // The caller's words and address: text, never markup.
      el('div', { class: 'queue-text', text: tk.text, data: { testid: 'ticket-text' } }),
      el('div', { class: 'queue-address', text: tk.address }),
      el('div', { class: 'queue-actions' }, [...candidates, other, go]),
      canWrite ? null : el('div', { class: 'muted', text: x.readOnly }),
      note,
    ]);
    return item;
  }
}


