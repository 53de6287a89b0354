// stub
import { el } from '../element';
import type { AppContext, Page } from '../page';
import type { Route } from '../router';

export class VisitsPage implements Page {
  readonly root = el('div', { class: 'placeholder', text: 'visits' });
  constructor(_ctx: AppContext, _route?: Route) {}
  render(): void {}
  destroy(): void {}
}
