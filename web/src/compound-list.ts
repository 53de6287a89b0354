// A station's compounds in hydraulic order (nearest → tail end) as cards: the secondary pipe drawn
// between them cooling from supply red to return blue, the tail end (末端) marked, latest
// supply/return/dp/coldest indoor per compound, a dot in the colour of its worst open alert, and
// the name linking to the compound page.

import type { FieldCatalogueDto, LatestDto, StationSummaryDto } from '../../api/dto';
import type { Severity } from './alert-types';
import { el } from './element';
import { numberIn } from './format';
import { lang, localName, t, type TextKey } from './i18n';
import { hrefOf } from './router';
import { severityColour, severityLabel } from './severity-style';

const CELLS: readonly { field: string; label: TextKey; tone: string }[] = [
  { field: 't_supply', label: 'supply', tone: 'warm' },
  { field: 't_return', label: 'return', tone: 'cold' },
  { field: 'dp', label: 'dp', tone: 'neutral' },
  { field: 't_indoor', label: 'indoor', tone: 'neutral' },
];

export const COMFORT_MIN_C = 18;
export const BAND_LOW_C = 16;

/** Latest value per field (and sensor) of each entity, keyed `field` or `field.sensor`. */
export type LatestMap = Map<string, Map<string, LatestDto>>;

export function coldestIndoor(values: Map<string, LatestDto> | undefined): { value: number; sensors: number } | undefined {
  const readings = [...(values?.values() ?? [])].filter((v) => v.field === 't_indoor' && typeof v.value === 'number');
  if (readings.length === 0) return undefined;
  return { value: Math.min(...readings.map((v) => v.value as number)), sensors: readings.length };
}

export function compoundList(s: StationSummaryDto, fields: FieldCatalogueDto): HTMLElement {
  return el(
    'ol',
    { class: 'compounds', data: { testid: 'compounds' } },
    s.compounds.map((c, i) => {
      const entity = `compound:${c.id}`;
      const li = el('li', { class: c.tailEnd ? 'compound tail' : 'compound', data: { compound: c.id } }, [
        el('div', { class: 'order', text: String(c.order) }),
        el('div', { class: 'c-main' }, [
          el('div', { class: 'c-head' }, [
            el('span', { class: 'sev-dot', data: { sevFor: c.id } }),
            el('a', { class: 'c-name', text: localName(c), attrs: { href: hrefOf({ page: 'compound', id: c.id }) } }),
            c.tailEnd ? el('span', { class: 'badge tail-badge', text: t('tailEnd'), data: { testid: 'tail-badge' } }) : null,
            el('span', { class: 'c-households', text: `${c.households.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en')} ${t('households')}` }),
          ]),
          el(
            'div',
            { class: 'c-values' },
            CELLS.map((cell) =>
              el('div', { class: `c-cell ${cell.tone}`, data: { field: cell.field, entity } }, [
                el('span', { class: 'c-label', text: t(cell.label) }),
                el('span', { class: 'c-reading' }, [el('span', { class: 'c-value', text: '—' }), el('span', { class: 'c-unit', text: fields.compound[cell.field]?.unit ?? '' })]),
              ]),
            ),
          ),
        ]),
      ]);
      // Position along the secondary pipe, 0 at the station, 1 at the far end.
      li.style.setProperty('--pos', String(s.compounds.length > 1 ? i / (s.compounds.length - 1) : 0));
      return li;
    }),
  );
}

/** Write latest values and alert dots into a list built by compoundList (a few dozen text nodes). */
export function refreshCompoundList(root: HTMLElement, latest: LatestMap, fields: FieldCatalogueDto, severityOf: (compoundId: string) => Severity | undefined): void {
  for (const cell of root.querySelectorAll<HTMLElement>('.c-cell')) {
    const entity = cell.dataset.entity ?? '';
    const field = cell.dataset.field ?? '';
    const values = latest.get(entity);
    const valueEl = cell.querySelector('.c-value');
    if (valueEl === null) continue;
    cell.classList.remove('low', 'cold-band');
    if (field === 't_indoor') {
      // The coldest sensor is what decides whether residents call the hotline.
      const coldest = coldestIndoor(values);
      valueEl.textContent = coldest === undefined ? '—' : numberIn('°C', coldest.value);
      cell.title = coldest === undefined ? t('noSensor') : `${t('coldest')} · ${coldest.sensors} ${t('sensors')}`;
      if (coldest !== undefined && coldest.value < COMFORT_MIN_C) cell.classList.add(coldest.value < BAND_LOW_C ? 'cold-band' : 'low');
    } else {
      const v = values?.get(field);
      valueEl.textContent = v === undefined || typeof v.value !== 'number' ? '—' : numberIn(fields.compound[field]?.unit ?? '', v.value);
    }
  }
  for (const dot of root.querySelectorAll<HTMLElement>('.sev-dot')) {
    const sev = severityOf(dot.dataset.sevFor ?? '');
    dot.style.background = severityColour(sev);
    dot.title = sev === undefined ? '' : severityLabel(sev);
    dot.classList.toggle('none', sev === undefined);
  }
}
