// The dashboard: log in, load the network, open the live connection and the alert feed, then show
// the page the URL hash names (#/overview, #/alerts, #/station/<id>, #/compound/<id>, #/tickets,
// #/visits, #/crew). Crews land on their phone view, everyone else on the overview.

import type { NetworkDto } from '../../api/dto';
import { AlertFeed } from './alert-feed';
import { fetchNetwork, fetchOverview } from './api-client';
import { el } from './element';
import { setTimeZone } from './format';
import { lang, onLangChange, setLang, t } from './i18n';
import { connectLive } from './live-client';
import { ensureLoggedIn, userBadge } from './login';
import { sessionOf, type AppContext, type Page } from './page';
import { createPage } from './pages/create-page';
import { hrefOf, parseHash, sameRoute, type Route } from './router';
import { Shell } from './shell';

async function start(root: HTMLElement): Promise<void> {
  setLang(lang());
  // Access control: the login form first when there is no session (web/src/login.ts).
  const me = await ensureLoggedIn(root);
  const session = sessionOf(me);
  root.replaceChildren(el('div', { class: 'placeholder', text: t('loading') }));

  let network: NetworkDto;
  let now: number | undefined;
  try {
    // The overview answer carries the server's clock: page ranges are counted from it.
    const [n, o] = await Promise.all([fetchNetwork(), fetchOverview().catch(() => undefined)]);
    network = n;
    now = o?.now;
  } catch (e) {
    root.replaceChildren(el('div', { class: 'placeholder error', text: `${t('loadFailed')}: ${e instanceof Error ? e.message : String(e)}` }));
    return;
  }
  setTimeZone(network.timezone);
  const live = connectLive();
  const alerts = new AlertFeed(live);
  void alerts.load();
  const shell = new Shell(network, alerts, () => (me ? userBadge(me) : null), session === undefined || session.permissions.has('reports:read'));
  if (now !== undefined) shell.setServerNow(now);

  let page: Page | undefined;
  let route: Route | undefined;
  const defaultRoute = (): Route => ({ page: session?.role === 'crew' ? 'crew' : 'overview', params: {} });

  const ctx: AppContext = {
    network,
    session,
    live,
    alerts,
    serverNow: () => shell.serverNow(),
    can: (p) => session === undefined || session.permissions.has(p),
    go: (r, replace = false) => {
      const href = hrefOf(r);
      if (replace) history.replaceState(null, '', href);
      else history.pushState(null, '', href);
      show(r);
    },
  };

  const show = (r: Route): void => {
    if (route !== undefined && page !== undefined && sameRoute(route, r)) return;
    if (route !== undefined && page?.update !== undefined && route.page === r.page && page.update(r)) {
      route = r;
      return;
    }
    page?.destroy();
    route = r;
    shell.setPage(r.page);
    const next = createPage(r, ctx);
    page = next;
    shell.main.replaceChildren(next.root);
    shell.main.scrollTop = 0;
  };
  const fromHash = (): void => {
    const r = parseHash(location.hash);
    if (r === undefined) {
      const d = defaultRoute();
      history.replaceState(null, '', hrefOf(d));
      show(d);
    } else show(r);
  };

  live.onTick((tk) => shell.setServerNow(tk.now));
  live.onState((s, reconnected) => {
    shell.setLiveState(s);
    if (reconnected) page?.reload?.();
  });
  onLangChange(() => {
    shell.render();
    page?.render();
  });
  window.addEventListener('hashchange', fromHash);

  root.replaceChildren(shell.root);
  fromHash();
}

const root = document.getElementById('app');
if (root) void start(root);
