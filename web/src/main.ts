// The first live page: top bar (title, live state, clock in the network's zone, language switch),
// the station picker, and the live view of the picked station. The picked station is kept in
// the URL hash (#station=dexuan), so a control-room screen comes back to it after a reload.

import type { NetworkDto } from '../../api/dto';
import { fetchNetwork } from './api-client';
import { clear, el } from './element';
import { date, setTimeZone, timeOfDay } from './format';
import { lang, onLangChange, setLang, t } from './i18n';
import { connectLive, type LiveState } from './live-client';
import { ensureLoggedIn, userBadge } from './login';
import { createStationList } from './station-list';
import { StationView } from './station-view';

function stationFromHash(): string | undefined {
  const m = /(?:^#|&)station=([A-Za-z0-9_-]{1,64})/.exec(location.hash);
  return m?.[1];
}

async function start(root: HTMLElement): Promise<void> {
  setLang(lang());
  // Access control: the login form first when there is no session (web/src/login.ts).
  const me = await ensureLoggedIn(root);
  const title = el('div', { class: 'brand' });
  const status = el('div', { class: 'live-state connecting', data: { testid: 'live-state' } });
  const clock = el('div', { class: 'clock', data: { testid: 'clock' } });
  const langBtn = el('button', { class: 'lang-switch', attrs: { type: 'button' }, data: { testid: 'lang-switch' } });
  const top = el('header', { class: 'topbar' }, [title, el('div', { class: 'topbar-right' }, [status, clock, langBtn, me ? userBadge(me) : null])]);
  const main = el('main', { class: 'content' });
  root.replaceChildren(top, el('div', { class: 'placeholder', text: t('loading') }));

  let network: NetworkDto;
  try {
    network = await fetchNetwork();
  } catch (e) {
    root.replaceChildren(top, el('div', { class: 'placeholder error', text: `${t('loadFailed')}: ${e instanceof Error ? e.message : String(e)}` }));
    return;
  }
  setTimeZone(network.timezone);
  const live = connectLive();
  let view: StationView | undefined;
  let liveState: LiveState = 'connecting';

  const showEmpty = (): void => {
    clear(main);
    main.append(el('div', { class: 'placeholder', text: t('pickStation') }));
  };
  const pick = (id: string | undefined): void => {
    if (id !== undefined && network.stations.every((s) => s.id !== id)) id = undefined;
    list.select(id);
    if (view !== undefined && view.stationId === id) return;
    view?.destroy();
    view = undefined;
    if (id === undefined) return showEmpty();
    if (location.hash !== `#station=${id}`) history.replaceState(null, '', `#station=${id}`);
    view = new StationView(id, network.fields, live);
    main.replaceChildren(view.root);
  };
  const list = createStationList(network, pick);

  const renderChrome = (): void => {
    title.replaceChildren(el('span', { class: 'brand-mark', text: '◆' }), el('span', { text: `${network.city} · ${t('appTitle')}` }));
    langBtn.textContent = t('switchTo');
    langBtn.title = t('switchToTitle');
    status.textContent = liveState === 'live' ? t('live') : liveState === 'offline' ? t('offline') : t('connecting');
    status.className = `live-state ${liveState}`;
    document.title = `${t('appTitle')} · ${network.city}`;
  };
  // The server's clock is the application's "now": simulated event time while the demo city
  // runs (it can be hours ahead of the wall clock), so the page shows that, not the browser's.
  let serverOffset = 0;
  let simulated = false;
  live.onTick((tk) => {
    serverOffset = tk.now - Date.now();
    simulated = Math.abs(serverOffset) > 120_000;
  });
  const tickClock = (): void => {
    const now = Date.now() + serverOffset;
    clock.title = simulated ? t('simulatedTitle') : '';
    clock.replaceChildren(
      ...(simulated ? [el('span', { class: 'clock-sim', text: `${t('simulated')} `, data: { testid: 'clock-sim' } })] : []),
      el('span', { class: 'clock-date', text: `${date(now)} ` }),
      el('span', { text: timeOfDay(now) }),
    );
  };

  langBtn.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  onLangChange(() => {
    renderChrome();
    list.render();
    list.select(view?.stationId);
    if (view) view.render();
    else showEmpty();
  });
  live.onState((s, reconnected) => {
    liveState = s;
    renderChrome();
    if (reconnected) void view?.load();
  });
  window.addEventListener('hashchange', () => pick(stationFromHash()));

  renderChrome();
  tickClock();
  setInterval(tickClock, 1000);
  root.replaceChildren(top, el('div', { class: 'layout' }, [list.root, main]));
  pick(stationFromHash());
}

const root = document.getElementById('app');
if (root) void start(root);
