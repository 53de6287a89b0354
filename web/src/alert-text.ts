// How an alert reads to people: the rule's name in the current language, where it is (entity,
// station, network) and a link to that place. Names come from outside: callers put them in the
// DOM with textContent only.

import type { NetworkDto } from '../../api/dto';
import type { Alert } from './alert-types';
import { numberIn } from './format';
import { lang, localName } from './i18n';
import { hrefOf } from './router';

export function alertTitle(a: Alert): string {
  return a.ruleName[lang()] || a.ruleName.zh || a.ruleId;
}

/** The station or compound page of the alert's entity (the station's for others). */
export function entityHref(a: Alert, network: NetworkDto): string {
  if (a.entity.kind === 'compound') return hrefOf({ page: 'compound', id: a.entity.id });
  if (a.entity.kind === 'station') return hrefOf({ page: 'station', id: a.entity.id });
  if (a.route.stationId !== undefined) return hrefOf({ page: 'station', id: a.route.stationId });
  if (a.entity.kind === 'primary') return hrefOf({ page: 'alerts', params: { network: a.entity.id } });
  void network;
  return hrefOf({ page: 'alerts' });
}

/** "德轩换热站 · 一次网1号线" for the alert's station and network. */
export function alertPlace(a: Alert, network: NetworkDto): string {
  const s = a.route.stationId === undefined ? undefined : network.stations.find((x) => x.id === a.route.stationId);
  const n = a.route.primaryNetworkId === undefined ? undefined : network.primaryNetworks.find((x) => x.id === a.route.primaryNetworkId);
  return [s && a.entity.kind !== 'station' ? localName(s) : undefined, n ? localName(n) : undefined].filter((x): x is string => x !== undefined).join(' · ');
}

/** The headline value, with the unit of its signal when the field catalogue knows it (15.2 °C). */
export function alertValue(a: Alert, fields: NetworkDto['fields']): string {
  const v = a.value;
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  const signal = a.evidence.items[0]?.signal;
  const unit = signal === undefined ? undefined : (fields.station[signal] ?? fields.compound[signal] ?? fields.weather[signal])?.unit;
  return unit ? `${numberIn(unit, v)} ${unit}` : String(Math.round(v * 100) / 100);
}

/** Each evidence comparison in one line: "t_indoor min 2h = 15.2 < 16". */
export function evidenceLines(a: Alert): string[] {
  return a.evidence.items.slice(0, 6).map((i) => {
    if (i.detail) return `${i.signal}: ${i.detail}`;
    const val = typeof i.value === 'number' ? String(Math.round(i.value * 100) / 100) : String(i.value);
    const thr = i.threshold === undefined || i.threshold === null ? '' : ` ${i.op ?? ''} ${typeof i.threshold === 'object' ? JSON.stringify(i.threshold) : String(i.threshold)}`;
    return `${i.signal}${i.of !== 'self' ? ` (${i.of})` : ''} ${i.agg}${i.windowMs > 0 ? ` ${Math.round(i.windowMs / 60_000)} min` : ''} = ${val}${thr}`;
  });
}
