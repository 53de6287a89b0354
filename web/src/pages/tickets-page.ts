// stub
import { el } from '../element';
import type { AppContext, Page } from '../page';
import type { Route } from '../router';

export class TicketsPage implements Page {
  readonly root = el('div', { class: 'placeholder', text: 'tickets' });
  constructor(_ctx: AppContext, _route?: Route) {}
  render(): void {}
  destroy(): void {}
}
