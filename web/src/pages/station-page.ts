// #/station/<id>?range=24h — the station picker (grouped by primary network, pinyin search) beside
// the live station view. Picking another station or range changes the hash only.

import { el } from '../element';
import { t } from '../i18n';
import type { AppContext, Page } from '../page';
import { rangeOf } from '../range-picker';
import type { Route } from '../router';
import { createStationList } from '../station-list';
import { StationView } from '../station-view';

export class StationPage implements Page {
  readonly root: HTMLElement;
  private readonly main = el('div', { class: 'content-pane' });
  private readonly list;
  private view: StationView | undefined;

  constructor(
    private readonly ctx: AppContext,
    private route: Route,
  ) {
    this.list = createStationList(ctx.network, (id) => ctx.go({ page: 'station', id, params: { ...this.route.params } }));
    this.root = el('div', { class: 'layout' }, [this.list.root, this.main]);
    this.show();
  }

  update(r: Route): boolean {
    this.route = r;
    this.show();
    return true;
  }

  render(): void {
    this.list.render();
    this.list.select(this.view?.stationId);
    if (this.view) this.view.render();
    else this.show();
  }

  reload(): void {
    void this.view?.load();
  }

  destroy(): void {
    this.view?.destroy();
  }

  private show(): void {
    let id = this.route.id;
    if (id !== undefined && this.ctx.network.stations.every((s) => s.id !== id)) id = undefined;
    this.list.select(id);
    const range = rangeOf(this.route.params.range);
    if (this.view !== undefined && this.view.stationId === id) {
      this.view.setRange(range);
      return;
    }
    this.view?.destroy();
    this.view = undefined;
    if (id === undefined) {
      this.main.replaceChildren(el('div', { class: 'placeholder', text: t('pickStation') }));
      return;
    }
    const sid = id;
    this.view = new StationView(this.ctx, sid, range, (r) => this.ctx.go({ page: 'station', id: sid, params: { ...this.route.params, range: r } }));
    this.main.replaceChildren(this.view.root);
  }
}
