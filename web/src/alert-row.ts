// One alert as a row of the board (and of the crew's phone list): severity, rule, where, value,
// since when, state; tap to see the evidence and history; acknowledge / comment / shelve / clear
// through a small inline form (a comment is optional except for "comment"). Every outside text
// (names, comments) goes in with textContent.

import type { NetworkDto } from '../../api/dto';
import type { AlertAction, AlertFeed } from './alert-feed';
import type { Alert } from './alert-types';
import { alertPlace, alertTitle, alertValue, entityHref, entityName, evidenceLines } from './alert-text';
import { el } from './element';
import { dateTime, hourMinute } from './format';
import { lang, tr } from './i18n';
import { severityColour, severityLabel } from './severity-style';

const TEXT = {
  zh: {
    state: { open: '未确认', acknowledged: '已确认', shelved: '已搁置', suppressed: '抑制中', cleared: '已清除' },
    ack: '确认',
    comment: '备注',
    shelve: '搁置',
    clear: '清除',
    send: '提交',
    cancel: '取消',
    commentPh: '备注（可选）：现场情况、已通知谁…',
    commentReq: '请填写备注',
    minutes: '搁置时长',
    since: '开始',
    until: '至',
    times: '次',
    active: '仍在发生',
    normal: '已恢复正常',
    evidence: '依据',
    history: '记录',
    failed: '操作失败',
    by: '',
  },
  en: {
    state: { open: 'Unacknowledged', acknowledged: 'Acknowledged', shelved: 'Shelved', suppressed: 'Suppressed', cleared: 'Cleared' },
    ack: 'Acknowledge',
    comment: 'Comment',
    shelve: 'Shelve',
    clear: 'Clear',
    send: 'Submit',
    cancel: 'Cancel',
    commentPh: 'Comment (optional): what you saw, who was told…',
    commentReq: 'Please write a comment',
    minutes: 'Shelve for',
    since: 'since',
    until: 'until',
    times: '×',
    active: 'still active',
    normal: 'back to normal',
    evidence: 'Evidence',
    history: 'History',
    failed: 'Action failed',
    by: 'by ',
  },
} as const;

const SHELVE_MINUTES = [30, 120, 480] as const;

export interface AlertRowOptions {
  readonly feed: AlertFeed;
  readonly network: NetworkDto;
  readonly canWrite: boolean;
  readonly fresh?: boolean;
  /** Phone layout: larger buttons, fewer columns. */
  readonly compact?: boolean;
}

function shelveLabel(m: number): string {
  return m < 60 ? (lang() === 'zh' ? `${m}分钟` : `${m} min`) : lang() === 'zh' ? `${m / 60}小时` : `${m / 60} h`;
}

/** The alert's state in words (未确认 / Unacknowledged …). */
export function alertStateLabel(state: Alert['state']): string {
  return tr(TEXT).state[state];
}

export function alertRow(a: Alert, o: AlertRowOptions): HTMLElement {
  const x = tr(TEXT);
  const stateText = a.state === 'shelved' && a.shelvedUntil !== undefined ? `${x.state.shelved} ${x.until} ${hourMinute(a.shelvedUntil)}` : x.state[a.state];
  const details = el('div', { class: 'alert-details', attrs: { hidden: '' } });
  const form = el('div', { class: 'alert-form', attrs: { hidden: '' } });
  const value = alertValue(a, o.feed.signals);
  const row = el('article', { class: `alert-row state-${a.state}${o.fresh ? ' fresh' : ''}${o.compact ? ' compact' : ''}`, data: { alert: a.id, testid: 'alert-row', state: a.state } }, [
    el('div', { class: 'alert-main' }, [
      el('span', { class: 'sev-pill', text: severityLabel(a.severity) }),
      el('div', { class: 'alert-what' }, [
        el('button', { class: 'alert-title', text: alertTitle(a), attrs: { type: 'button', 'aria-expanded': 'false' } }),
        el('div', { class: 'alert-where' }, [
          el('a', { class: 'alert-entity', text: entityName(a, o.network), attrs: { href: entityHref(a, o.network) } }),
          el('span', { class: 'muted', text: alertPlace(a, o.network) ? ` · ${alertPlace(a, o.network)}` : '' }),
        ]),
      ]),
      el('div', { class: 'alert-value', text: value }),
      el('div', { class: 'alert-when' }, [
        el('div', { text: `${x.since} ${dateTime(a.openedAt)}` }),
        el('div', { class: a.active ? 'alert-active' : 'alert-normal', text: `${a.active ? x.active : x.normal}${a.count > 1 ? ` · ${a.count}${x.times}` : ''}` }),
      ]),
      el('span', { class: `alert-state ${a.state}`, text: stateText, data: { testid: 'alert-state' } }),
      o.canWrite ? actions(a, o, form) : null,
    ]),
    form,
    details,
  ]);
  row.style.setProperty('--sev', severityColour(a.severity));
  const title = row.querySelector<HTMLButtonElement>('.alert-title');
  title?.addEventListener('click', () => {
    const open = details.hidden;
    if (open && details.childElementCount === 0) fillDetails(details, a, o.feed);
    details.hidden = !open;
    title.setAttribute('aria-expanded', String(open));
  });
  return row;
}

function actions(a: Alert, o: AlertRowOptions, form: HTMLElement): HTMLElement {
  const x = tr(TEXT);
  const btn = (action: AlertAction, label: string, cls: string, enabled: boolean): HTMLButtonElement => {
    const b = el('button', { class: `btn ${cls}`, text: label, attrs: { type: 'button' }, data: { action, testid: `alert-${action}` } });
    b.disabled = !enabled;
    b.addEventListener('click', () => openForm(form, a, action, o));
    return b;
  };
  return el('div', { class: 'alert-actions' }, [
    btn('acknowledge', x.ack, 'primary', a.state === 'open'),
    btn('comment', x.comment, '', true),
    btn('shelve', x.shelve, 'warn', a.state === 'open' || a.state === 'acknowledged'),
    btn('clear', x.clear, 'danger', true),
  ]);
}

function openForm(form: HTMLElement, a: Alert, action: AlertAction, o: AlertRowOptions): void {
  const x = tr(TEXT);
  const text = el('textarea', { class: 'alert-comment', attrs: { rows: '2', maxlength: '500', placeholder: x.commentPh }, data: { testid: 'alert-note' } });
  let minutes: number = SHELVE_MINUTES[0];
  const mins =
    action === 'shelve'
      ? el('div', { class: 'segmented' }, SHELVE_MINUTES.map((m) => {
          const b = el('button', { class: m === minutes ? 'seg active' : 'seg', text: shelveLabel(m), attrs: { type: 'button' } });
          b.addEventListener('click', () => {
            minutes = m;
            for (const s of b.parentElement?.children ?? []) s.classList.toggle('active', s === b);
          });
          return b;
        }))
      : null;
  const error = el('div', { class: 'error-note' });
  const send = el('button', { class: 'btn primary', text: `${labelOf(action)} · ${x.send}`, attrs: { type: 'button' }, data: { testid: 'alert-submit' } });
  const cancel = el('button', { class: 'btn', text: x.cancel, attrs: { type: 'button' } });
  cancel.addEventListener('click', () => {
    form.hidden = true;
    form.replaceChildren();
  });
  send.addEventListener('click', () => {
    const comment = text.value.trim();
    if (action === 'comment' && comment === '') {
      error.textContent = x.commentReq;
      return;
    }
    send.disabled = true;
    error.textContent = '';
    const body = { ...(comment ? { comment } : {}), ...(action === 'shelve' ? { minutes } : {}) };
    o.feed.act(a.id, action, body).then(
      () => {
        form.hidden = true;
        form.replaceChildren();
      },
      (e: unknown) => {
        send.disabled = false;
        error.textContent = `${x.failed}: ${e instanceof Error ? e.message : String(e)}`;
      },
    );
  });
  form.replaceChildren(
    el('div', { class: 'alert-form-row' }, [mins ? el('span', { class: 'muted', text: x.minutes }) : null, mins]),
    text,
    el('div', { class: 'alert-form-row' }, [send, cancel, error]),
  );
  form.hidden = false;
  text.focus();
}

function labelOf(action: AlertAction): string {
  const x = tr(TEXT);
  switch (action) {
    case 'acknowledge':
      return x.ack;
    case 'comment':
      return x.comment;
    case 'shelve':
      return x.shelve;
    case 'clear':
      return x.clear;
    default: {
      const never: never = action;
      return String(never);
    }
  }
}

function fillDetails(box: HTMLElement, a: Alert, feed: AlertFeed): void {
  const x = tr(TEXT);
  const ev = evidenceLines(a, feed.signals);
  box.append(
    el('div', { class: 'alert-ev' }, [el('h4', { text: x.evidence }), el('ul', {}, ev.map((l) => el('li', { text: l })))]),
    el('div', { class: 'alert-hist' }, [
      el('h4', { text: x.history }),
      el(
        'ol',
        {},
        [...a.history].reverse().slice(0, 12).map((h) => el('li', {}, [el('span', { class: 'muted', text: `${dateTime(h.at)} ` }), el('b', { text: h.action }), el('span', { text: ` ${x.by}${h.by}` }), h.comment ? el('q', { text: h.comment }) : null])),
      ),
    ]),
  );
}
