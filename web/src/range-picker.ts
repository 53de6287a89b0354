// The time-range picker of the detail pages: 6 h / 24 h / 7 d / 30 d. Short ranges are live
// (new readings slide the window); long ones are a fixed, server-downsampled view.

import { el } from './element';
import { lang } from './i18n';

export const RANGES = {
  '6h': { ms: 6 * 3_600_000, zh: '6小时', en: '6 h', live: true },
  '24h': { ms: 24 * 3_600_000, zh: '24小时', en: '24 h', live: true },
  '7d': { ms: 7 * 86_400_000, zh: '7天', en: '7 d', live: false },
  '30d': { ms: 30 * 86_400_000, zh: '30天', en: '30 d', live: false },
} as const;
export type RangeKey = keyof typeof RANGES;

export function rangeOf(v: string | undefined, fallback: RangeKey = '24h'): RangeKey {
  return v !== undefined && Object.prototype.hasOwnProperty.call(RANGES, v) ? (v as RangeKey) : fallback;
}

export function rangePicker(current: RangeKey, onPick: (r: RangeKey) => void): HTMLElement {
  const box = el('div', { class: 'segmented', data: { testid: 'range-picker' }, attrs: { role: 'group' } });
  for (const key of Object.keys(RANGES) as RangeKey[]) {
    const b = el('button', { class: key === current ? 'seg active' : 'seg', text: RANGES[key][lang()], attrs: { type: 'button', 'aria-pressed': String(key === current) }, data: { range: key } });
    b.addEventListener('click', () => onPick(key));
    box.append(b);
  }
  return box;
}
