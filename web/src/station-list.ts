// The station picker: stations grouped by primary network, filtered by a search box that matches
// name, aliases, id and pinyin (full or initials: "dx" finds 德轩). Enter picks the first match.

import type { NetworkDto, StationSummaryDto } from '../../api/dto';
import { clear, el } from './element';
import { localName, t } from './i18n';

export interface StationList {
  readonly root: HTMLElement;
  select(id: string | undefined): void;
  render(): void;
}

function matches(s: StationSummaryDto, q: string): boolean {
  if (q === '') return true;
  const hay = [s.name, s.nameEn ?? '', s.id, ...s.aliases, ...s.pinyin].map((x) => x.toLowerCase());
  return hay.some((h) => h.includes(q));
}

export function createStationList(network: NetworkDto, onPick: (id: string) => void): StationList {
  const input = el('input', { class: 'search', attrs: { type: 'search', autocomplete: 'off', spellcheck: 'false' }, data: { testid: 'station-search' } });
  const list = el('nav', { class: 'station-groups', data: { testid: 'station-list' } });
  const count = el('div', { class: 'station-count' });
  const root = el('aside', { class: 'sidebar' }, [input, count, list]);
  const byId = new Map(network.stations.map((s) => [s.id, s]));
  let selected: string | undefined;

  const visible = (): StationSummaryDto[] => {
    const q = input.value.trim().toLowerCase();
    return network.stations.filter((s) => matches(s, q));
  };

  const render = (): void => {
    input.placeholder = t('search');
    const shown = new Set(visible().map((s) => s.id));
    count.textContent = `${shown.size} / ${network.stations.length} ${t('stationCount')}`;
    clear(list);
    for (const net of network.primaryNetworks) {
      const items = net.stationIds.filter((id) => shown.has(id)).map((id) => byId.get(id)).filter((s): s is StationSummaryDto => s !== undefined);
      if (items.length === 0) continue;
      const ul = el('ul');
      for (const s of items) {
        const btn = el('button', { class: s.id === selected ? 'station selected' : 'station', data: { station: s.id }, attrs: { type: 'button' } }, [
          el('span', { class: 'station-name', text: localName(s) }),
          el('span', { class: 'station-meta', text: `${s.compounds.length}` , title: t('compoundsCount') }),
        ]);
        btn.addEventListener('click', () => onPick(s.id));
        ul.append(el('li', {}, [btn]));
      }
      list.append(el('section', { class: 'group' }, [el('h3', { text: localName(net) }), ul]));
    }
    if (shown.size === 0) list.append(el('p', { class: 'empty', text: t('noMatch') }));
  };

  input.addEventListener('input', render);
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const first = visible()[0];
    if (first !== undefined) onPick(first.id);
  });
  render();

  return {
    root,
    select(id) {
      selected = id;
      for (const b of list.querySelectorAll<HTMLButtonElement>('button.station')) b.classList.toggle('selected', b.dataset.station === id);
      list.querySelector('button.station.selected')?.scrollIntoView({ block: 'nearest' });
    },
    render,
  };
}
