// How an alert reads to people: the rule's name in the current language, where it is (entity,
// station, network) and a link to that place. Names come from outside: callers put them in the
// DOM with textContent only.

import type { NetworkDto } from '../../api/dto';
import type { SignalCatalogueDto } from '../../api/routes/overview-dto';
import type { Alert } from './alert-types';
import { numberIn } from './format';
import { lang, localName } from './i18n';
import { hrefOf } from './router';

export function alertTitle(a: Alert): string {
  return a.ruleName[lang()] || a.ruleName.zh || a.ruleId;
}

/** The entity's name in the current language (the network's English name when it has one). */
export function entityName(a: Alert, network: NetworkDto): string {
  const k = a.entity.kind;
  if (k === 'station') {
    const s = network.stations.find((x) => x.id === a.entity.id);
    if (s) return localName(s);
  } else if (k === 'compound') {
    for (const s of network.stations) {
      const c = s.compounds.find((x) => x.id === a.entity.id);
      if (c) return localName(c);
    }
  } else if (k === 'primary') {
    const n = network.primaryNetworks.find((x) => x.id === a.entity.id);
    if (n) return localName(n);
  }
  return a.entity.name;
}

/** The root of an incident in the current language. */
export function incidentName(root: { kind: string; id: string; name: string }, network: NetworkDto): string {
  const found = root.kind === 'station' ? network.stations.find((x) => x.id === root.id) : network.primaryNetworks.find((x) => x.id === root.id);
  return found ? localName(found) : root.name;
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

/** The signal's unit and name, from the server's signal catalogue (GET /api/signals). */
function signalInfo(signals: SignalCatalogueDto, a: Alert, signal: string | undefined, of: string | undefined): { unit: string; name: string } | undefined {
  if (signal === undefined) return undefined;
  const scopes = [of === 'weather' ? 'weather' : of === 'station' ? 'station' : a.entity.kind, 'compound', 'station', 'weather'];
  for (const sc of scopes) {
    const d = signals[sc]?.[signal];
    if (d) return { unit: d.unit, name: lang() === 'zh' ? d.zh : d.en };
  }
  return undefined;
}

/** The headline value with its signal's unit (15.2 °C). */
export function alertValue(a: Alert, signals: SignalCatalogueDto): string {
  const v = a.value;
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  // A sensor-quality alert's value is a finding (a count, a span), not a reading of its signal.
  if (a.category === 'sensor') return String(Math.round(v * 100) / 100);
  const first = a.evidence.items[0];
  const unit = signalInfo(signals, a, first?.signal, first?.of)?.unit;
  return unit ? `${numberIn(unit, v)} ${unit}` : String(Math.round(v * 100) / 100);
}

/** Each evidence comparison in one line: "室温 · 最小 120 min = 15.2 °C < 16". */
export function evidenceLines(a: Alert, signals: SignalCatalogueDto): string[] {
  return a.evidence.items.slice(0, 6).map((i) => {
    const info = signalInfo(signals, a, i.signal, i.of);
    const name = info?.name ?? i.signal;
    if (i.detail) return `${name}: ${i.detail}`;
    const unit = info?.unit ? ` ${info.unit}` : '';
    const val = typeof i.value === 'number' ? `${numberIn(info?.unit ?? '', i.value)}${unit}` : String(i.value);
    const thr = i.threshold === undefined || i.threshold === null ? '' : ` ${i.op ?? ''} ${typeof i.threshold === 'number' ? i.threshold : JSON.stringify(i.threshold)}`;
    return `${name}${i.of !== 'self' ? ` (${i.of})` : ''} · ${i.agg}${i.windowMs > 0 ? ` ${Math.round(i.windowMs / 60_000)} min` : ''} = ${val}${thr}`;
  });
}
