// A proactive visit (未诉先办 work order) as a card: where (compound, tail end, street address),
// by when, why (the alerts behind it), which homes to check first, and — for the crew — one tap
// to record what they found (POST /api/visits/:id/outcome). Optional indoor reading and comment
// go with the tap; the buttons are big enough for gloved, cold hands.

import type { CompoundDto, NetworkDto, StationSummaryDto } from '../../api/dto';
import { postJson } from './api-client';
import { el } from './element';
import { dateTime, numberIn } from './format';
import { lang, localName, tr } from './i18n';
import { hrefOf } from './router';
import { severityColour, severityLabel } from './severity-style';
import { CAUSE_LABEL, isPending, isVisit as isVisitLike, RESULT_LABEL, STAGE_LABEL, type Visit, type VisitCause, type VisitResult } from './visit-types';

const TEXT = {
  zh: {
    due: '期限',
    overdue: '已超时',
    why: '原因',
    homes: '先查这些住户',
    reasons: { 'far-building': '远端楼栋', 'top-floor': '顶层', 'end-unit': '边户', 'ground-floor': '底层' },
    unit: '单元',
    floor: '层',
    indoor: '实测室温',
    comment: '备注（可选）',
    record: '记录结果（点一下即提交）',
    go: '接单出发',
    going: '已出发',
    recorded: '已记录',
    failed: '提交失败',
    curve: '看曲线 →',
    outcome: '结果',
    quick: {
      'network-fixed': '管网问题 · 已处理',
      'in-home-fixed': '户内问题 · 已处理',
      'network-escalated': '需上报维修',
      'none-nothing-to-fix': '未发现问题',
    },
  },
  en: {
    due: 'Due',
    overdue: 'overdue',
    why: 'Why',
    homes: 'Check these homes first',
    reasons: { 'far-building': 'far building', 'top-floor': 'top floor', 'end-unit': 'end unit', 'ground-floor': 'ground floor' },
    unit: 'unit',
    floor: 'fl.',
    indoor: 'Indoor measured',
    comment: 'Comment (optional)',
    record: 'Record the outcome (one tap submits)',
    go: 'Take it, on my way',
    going: 'On the way',
    recorded: 'Recorded',
    failed: 'Failed to submit',
    curve: 'Charts →',
    outcome: 'Outcome',
    quick: {
      'network-fixed': 'Network issue · fixed',
      'in-home-fixed': 'In-home issue · fixed',
      'network-escalated': 'Escalate for repair',
      'none-nothing-to-fix': 'Nothing wrong',
    },
  },
} as const;

const QUICK: readonly { key: keyof (typeof TEXT)['zh']['quick']; cause: VisitCause; result: VisitResult; cls: string }[] = [
  { key: 'network-fixed', cause: 'network', result: 'fixed', cls: 'good' },
  { key: 'in-home-fixed', cause: 'in-home', result: 'fixed', cls: 'good' },
  { key: 'network-escalated', cause: 'network', result: 'escalated', cls: 'warn' },
  { key: 'none-nothing-to-fix', cause: 'none', result: 'nothing-to-fix', cls: '' },
];

export interface VisitCardOptions {
  readonly network: NetworkDto;
  readonly now: number;
  readonly canWrite: boolean;
  /** Called with the updated visit after an outcome was recorded. */
  readonly onRecorded?: (v: Visit) => void;
  readonly compact?: boolean;
}

function place(network: NetworkDto, v: Visit): { compound?: CompoundDto; station?: StationSummaryDto } {
  const station = network.stations.find((s) => s.id === v.stationId);
  const compound = station?.compounds.find((c) => c.id === v.compoundId);
  return { ...(station ? { station } : {}), ...(compound ? { compound } : {}) };
}

export function visitCard(v: Visit, o: VisitCardOptions): HTMLElement {
  const x = tr(TEXT);
  const { compound, station } = place(o.network, v);
  const overdue = (v as Visit & { overdue?: boolean }).overdue ?? (isPending(v) && v.dueAt < o.now);
  const homes = v.homes.slice(0, o.compact ? 4 : 3);
  const card = el('article', { class: `visit-card${overdue ? ' overdue' : ''}${o.compact ? ' compact' : ''}`, data: { testid: 'visit-card', visit: v.id, stage: v.loop.stage } }, [
    el('header', { class: 'visit-head' }, [
      el('span', { class: 'sev-pill', text: severityLabel(v.severity) }),
      el('span', { class: 'visit-name', text: compound ? localName(compound) : v.compoundId }),
      v.tailEnd ? el('span', { class: 'badge tail-badge', text: lang() === 'zh' ? '末端' : 'tail end' }) : null,
      el('span', { class: 'visit-stage', text: STAGE_LABEL[v.loop.stage][lang()] }),
    ]),
    el('div', { class: 'visit-address', text: [compound?.address, station ? localName(station) : undefined].filter(Boolean).join(' · ') }),
    el('div', { class: overdue ? 'visit-due overdue' : 'visit-due' }, [el('span', { text: `${x.due} ${dateTime(v.dueAt)}` }), overdue ? el('b', { text: ` · ${x.overdue}` }) : null]),
    el('div', { class: 'visit-why' }, [el('span', { class: 'visit-label', text: x.why }), el('span', { text: v.summary[lang()] })]),
    v.reasons.length > 0
      ? el('ul', { class: 'visit-reasons' }, v.reasons.slice(0, 3).map((r) => el('li', { text: `${r.ruleName[lang()]}${reasonValue(r)} · ${dateTime(r.openedAt)}` })))
      : null,
    homes.length > 0
      ? el('div', { class: 'visit-homes' }, [
          el('span', { class: 'visit-label', text: x.homes }),
          el('ol', {}, homes.map((h) => el('li', {}, [el('b', { text: `${h.buildingName} ${h.unit}${x.unit} ${h.floor}${x.floor} ${h.rooms.join('、')}` }), el('span', { class: 'muted', text: ` ${h.reasons.map((r) => x.reasons[r]).join(' · ')}` })]))),
        ])
      : null,
    v.outcome ? el('div', { class: 'visit-outcome', data: { testid: 'visit-outcome' } }, [el('span', { class: 'visit-label', text: x.outcome }), el('span', { text: `${CAUSE_LABEL[v.outcome.cause][lang()]} · ${RESULT_LABEL[v.outcome.result][lang()]}${v.outcome.indoorC !== undefined ? ` · ${numberIn('°C', v.outcome.indoorC)} °C` : ''} · ${v.outcome.by} ${dateTime(v.outcome.at)}` }), v.outcome.comment ? el('q', { text: v.outcome.comment }) : null]) : null,
    o.canWrite && isPending(v) ? outcomeForm(v, o) : null,
    el('a', { class: 'visit-link', text: x.curve, attrs: { href: hrefOf({ page: 'compound', id: v.compoundId }) } }),
  ]);
  card.style.setProperty('--sev', severityColour(v.severity));
  return card;
}

function outcomeForm(v: Visit, o: VisitCardOptions): HTMLElement {
  const x = tr(TEXT);
  // Indoor temperature with big −/+ steps (typing on a phone in gloves is slow).
  let indoor: number | undefined;
  const shown = el('span', { class: 'stepper-value', text: '—', data: { testid: 'indoor-value' } });
  const step = (d: number): HTMLButtonElement => {
    const b = el('button', { class: 'btn stepper', text: d > 0 ? '+' : '−', attrs: { type: 'button', 'aria-label': `${d > 0 ? '+' : '−'}0.5 °C` } });
    b.addEventListener('click', () => {
      indoor = Math.round(((indoor ?? 18) + d) * 10) / 10;
      shown.textContent = `${numberIn('°C', indoor)} °C`;
    });
    return b;
  };
  const comment = el('input', { class: 'visit-comment', attrs: { type: 'text', maxlength: '300', placeholder: x.comment, enterkeyhint: 'done' }, data: { testid: 'visit-comment' } });
  const note = el('div', { class: 'visit-note', attrs: { role: 'status' } });
  const buttons = QUICK.map((q) => {
    const b = el('button', { class: `btn big ${q.cls}`, text: x.quick[q.key], attrs: { type: 'button' }, data: { testid: `outcome-${q.key}` } });
    b.addEventListener('click', () => {
      for (const other of buttons) other.disabled = true;
      note.textContent = '';
      const body = { cause: q.cause, result: q.result, ...(indoor !== undefined ? { indoorC: indoor } : {}), ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) };
      postJson<unknown>(`/api/visits/${encodeURIComponent(v.id)}/outcome`, body).then(
        (res) => {
          note.textContent = `${x.recorded}: ${x.quick[q.key]}`;
          note.className = 'visit-note ok-note';
          if (isVisitLike(res)) o.onRecorded?.(res);
        },
        (e: unknown) => {
          for (const other of buttons) other.disabled = false;
          note.textContent = `${x.failed}: ${e instanceof Error ? e.message : String(e)}`;
          note.className = 'visit-note error-note';
        },
      );
    });
    return b;
  });
  // Taking the order moves the loop to "dispatched" (受理 → 分流), so the board shows who is on it.
  const take =
    v.loop.stage === 'received'
      ? el('button', { class: 'btn big primary', text: x.go, attrs: { type: 'button' }, data: { testid: 'visit-take' } })
      : null;
  take?.addEventListener('click', () => {
    take.disabled = true;
    postJson<Visit>(`/api/visits/${encodeURIComponent(v.id)}/advance`, { stage: 'dispatched' }).then(
      (updated) => {
        take.textContent = x.going;
        if (isVisitLike(updated)) o.onRecorded?.(updated);
      },
      (e: unknown) => {
        take.disabled = false;
        note.textContent = `${x.failed}: ${e instanceof Error ? e.message : String(e)}`;
        note.className = 'visit-note error-note';
      },
    );
  });
  return el('div', { class: 'visit-form', data: { testid: 'visit-form' } }, [
    take,
    el('div', { class: 'visit-label', text: x.record }),
    el('div', { class: 'stepper-row' }, [el('span', { class: 'muted', text: x.indoor }), step(-0.5), shown, step(0.5)]),
    comment,
    el('div', { class: 'quick-buttons' }, buttons),
    note,
  ]);
}

/** An under-heating alert's value is an indoor temperature; other values are shown only with a known unit. */
function reasonValue(r: Visit['reasons'][number]): string {
  return r.category === 'underheating' && typeof r.value === 'number' ? ` · ${numberIn('°C', r.value)} °C` : '';
}
