// The frame around every page: brand, navigation (big tap targets; a scrolling strip on phones),
// the open-alert counter, live state, the clock in the network's zone (simulated time marked),
// the language switch and the user badge. Pages render into `main`.

import type { NetworkDto } from '../../api/dto';
import type { AlertFeed } from './alert-feed';
import { SEVERITIES, type Severity } from './alert-types';
import { el } from './element';
import { date, timeOfDay } from './format';
import { count, lang, setLang, t, type TextKey } from './i18n';
import type { LiveState } from './live-client';
import { hrefOf, type PageName } from './router';
import { severityColour } from './severity-style';

const NAV: readonly { page: PageName; label: TextKey }[] = [
  { page: 'overview', label: 'navOverview' },
  { page: 'alerts', label: 'navAlerts' },
  { page: 'station', label: 'navStation' },
  { page: 'compound', label: 'navCompound' },
  { page: 'tickets', label: 'navTickets' },
  { page: 'visits', label: 'navVisits' },
  { page: 'crew', label: 'navCrew' },
];

export class Shell {
  readonly main = el('main', { class: 'content' });
  private readonly title = el('div', { class: 'brand' });
  private readonly nav = el('nav', { class: 'mainnav', data: { testid: 'mainnav' } });
  private readonly alertChip = el('a', { class: 'alert-chip', attrs: { href: hrefOf({ page: 'alerts' }) }, data: { testid: 'alert-chip' } });
  private readonly status = el('div', { class: 'live-state connecting', data: { testid: 'live-state' } });
  private readonly clock = el('div', { class: 'clock', data: { testid: 'clock' } });
  private readonly badgeBox = el('div', { class: 'badge-box' });
  private readonly langBtn = el('button', { class: 'lang-switch', attrs: { type: 'button' }, data: { testid: 'lang-switch' } });
  readonly root: HTMLElement;
  private current: PageName | undefined;
  private liveState: LiveState = 'connecting';
  private serverOffset = 0;
  private simulated = false;

  constructor(
    private readonly network: NetworkDto,
    private readonly alerts: AlertFeed,
    /** The user badge (web/src/login.ts), made again after a language switch. */
    private readonly badge: () => HTMLElement | null,
    /** Show the link to the printable season report (/report/, its own page): roles with reports:read. */
    private readonly reportLink = false,
  ) {
    const top = el('header', { class: 'topbar' }, [this.title, this.nav, el('div', { class: 'topbar-right' }, [this.alertChip, this.status, this.clock, this.langBtn, this.badgeBox])]);
    this.root = el('div', { class: 'shell' }, [top, this.main]);
    this.langBtn.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
    alerts.onChange(() => this.renderAlertChip());
    this.render();
    this.tick();
    setInterval(() => this.tick(), 1000);
  }

  /** The server's clock, epoch ms (simulated time while the demo city runs). */
  serverNow(): number {
    return Date.now() + this.serverOffset;
  }

  setServerNow(now: number): void {
    this.serverOffset = now - Date.now();
    // More than two minutes apart: the demo clock, not drift.
    this.simulated = Math.abs(this.serverOffset) > 120_000;
  }

  setLiveState(s: LiveState): void {
    this.liveState = s;
    this.renderStatus();
  }

  setPage(p: PageName): void {
    this.current = p;
    for (const a of this.nav.querySelectorAll<HTMLAnchorElement>('a')) a.classList.toggle('active', a.dataset.page === p);
    document.body.dataset.page = p;
  }

  render(): void {
    this.title.replaceChildren(el('span', { class: 'brand-mark', text: '◆' }), el('span', { class: 'brand-city', text: this.network.city }), el('span', { class: 'brand-name', text: t('appTitle') }));
    this.nav.replaceChildren(
      ...NAV.map((n) => el('a', { class: n.page === this.current ? 'active' : '', text: t(n.label), attrs: { href: hrefOf({ page: n.page }) }, data: { page: n.page, testid: `nav-${n.page}` } })),
      ...(this.reportLink ? [el('a', { text: t('navReport'), attrs: { href: lang() === 'en' ? '/report/?lang=en' : '/report/', title: t('navReportTitle') }, data: { testid: 'nav-report' } })] : []),
    );
    const b = this.badge();
    this.badgeBox.replaceChildren(...(b ? [b] : []));
    this.langBtn.textContent = t('switchTo');
    this.langBtn.title = t('switchToTitle');
    document.title = `${t('appTitle')} · ${this.network.city}`;
    this.renderStatus();
    this.renderAlertChip();
  }

  private renderStatus(): void {
    const s = this.liveState;
    this.status.textContent = s === 'live' ? t('live') : s === 'offline' ? t('offline') : t('connecting');
    this.status.className = `live-state ${s}`;
  }

  private renderAlertChip(): void {
    const f = this.alerts;
    if (f.status !== 'ready') {
      this.alertChip.hidden = true;
      return;
    }
    const open = f.summary?.open ?? f.alerts.size;
    const worst: Severity | undefined = [...SEVERITIES].reverse().find((s) => (f.summary?.bySeverity[s] ?? [...f.alerts.values()].filter((a) => a.severity === s).length) > 0);
    this.alertChip.hidden = false;
    this.alertChip.style.setProperty('--sev', severityColour(worst));
    this.alertChip.replaceChildren(el('span', { class: 'alert-chip-n', text: count(open) }), el('span', { text: lang() === 'zh' ? '条告警' : open === 1 ? 'alert' : 'alerts' }));
    this.alertChip.classList.toggle('quiet', open === 0);
  }

  private tick(): void {
    const now = this.serverNow();
    this.clock.title = this.simulated ? t('simulatedTitle') : '';
    this.clock.replaceChildren(
      ...(this.simulated ? [el('span', { class: 'clock-sim', text: `${t('simulated')} `, data: { testid: 'clock-sim' } })] : []),
      el('span', { class: 'clock-date', text: `${date(now)} ` }),
      el('span', { text: timeOfDay(now) }),
    );
  }
}
