// stub
import { el } from '../element';
import type { AppContext, Page } from '../page';
import type { Route } from '../router';

export class CompoundPage implements Page {
  readonly root = el('div', { class: 'placeholder', text: 'compound' });
  constructor(_ctx: AppContext, _route?: Route) {}
  render(): void {}
  destroy(): void {}
}
