// One ticket against the alerts around it: the pure heart of correlation.
//
// A heating complaint is explained by an alert of its compound, its station or its primary
// network that was active at some time in [receivedAt − before, receivedAt + after]: residents
// call after their rooms have been cold for a while (the window reaches back a day), and an
// alert may open a little after the first calls (the rules wait for a condition to hold). Only
// rule categories that make rooms cold explain "not warm" and "no circulation"; a leak
// complaint is explained only by a leak alert; fees, refunds and non-heating matters are not
// telemetry's to explain. Of several alerts the best is, in order: active at the moment of the
// call; nearest the flat (compound, then station, then network); a measured or predicted
// under-heating over an upstream condition; opened closest to the call.

import type { NetworkModel } from '../../domain/network';
import type { AlertLink, Correlation, CorrelationLevel, TicketCategory, TicketRecord } from '../ticket-model';
import { activeWithin, type AlertSpan } from './alert-span';

export interface CorrelationWindow {
  /** How far before receipt an alert may have been active, ms. */
  readonly beforeMs: number;
  /** How far after receipt an alert may open, ms. */
  readonly afterMs: number;
}

/** Alerts that make rooms cold: under-heating measured/estimated/hydraulic, predicted, and their upstream causes. */
const COLD = ['underheating', 'prediction', 'supply', 'equipment', 'hydraulic', 'leak'] as const;

/** Rule categories that explain each ticket category; null: telemetry cannot explain it. */
export const EXPLAINED_BY = {
  'heating-not-warm': COLD,
  'heating-no-circulation': COLD,
  'heating-leak': ['leak'],
  'heating-other': null,
  'non-heating': null,
} as const satisfies Record<TicketCategory, readonly string[] | null>;

/** Other matching alerts kept on the ticket. */
export const MAX_ALSO = 5;

const LEVEL_RANK: Record<CorrelationLevel, number> = { compound: 3, station: 2, network: 1 };
const CATEGORY_RANK: Readonly<Record<string, number>> = { underheating: 3, prediction: 2 };

/** Where a ticket is: what it can be explained at. */
export interface TicketPlace {
  readonly compoundId: string;
  readonly stationId: string;
  readonly primaryNetworkId?: string;
}

export function placeOf(t: TicketRecord, network: NetworkModel): TicketPlace | undefined {
  const r = t.resolution;
  if (r.review !== 'auto' && r.review !== 'confirmed') return undefined;
  const c = r.compoundId === undefined ? undefined : network.compound(r.compoundId);
  if (c === undefined) return undefined;
  const pn = network.station(c.stationId)?.primaryNetworkId;
  return { compoundId: c.id, stationId: c.stationId, ...(pn !== undefined ? { primaryNetworkId: pn } : {}) };
}

export function levelOf(s: AlertSpan, p: TicketPlace): CorrelationLevel | undefined {
  if (s.entityKind === 'compound' && s.entityId === p.compoundId) return 'compound';
  if (s.entityKind === 'station' && s.entityId === p.stationId) return 'station';
  if (s.entityKind === 'primary' && s.entityId === p.primaryNetworkId) return 'network';
  return undefined;
}

function linkOf(s: AlertSpan, level: CorrelationLevel): AlertLink {
  return {
    alertId: s.id,
    ruleId: s.ruleId,
    category: s.category,
    level,
    entity: { kind: s.entityKind, id: s.entityId },
    openedAt: s.openedAt,
    ...(s.endedAt !== undefined ? { endedAt: s.endedAt } : {}),
    ...(s.incidentId !== undefined ? { incidentId: s.incidentId } : {}),
  };
}

/**
 * The correlation of one ticket given the alerts of its place (any superset: others are
 * ignored). `clusterId` is the caller's to add.
 */
export function explainTicket(
  t: TicketRecord,
  place: TicketPlace | undefined,
  spans: Iterable<AlertSpan>,
  w: CorrelationWindow,
  now: number,
): Correlation {
  const windowFrom = t.receivedAt - w.beforeMs;
  const windowTo = t.receivedAt + w.afterMs;
  const base = { also: [], windowFrom, windowTo, evaluatedAt: now } as const;
  const wanted: readonly string[] | null = EXPLAINED_BY[t.category];
  if (wanted === null) return { ...base, verdict: 'not-applicable', suggestion: 'none' };
  if (place === undefined) return { ...base, verdict: 'unplaced', suggestion: 'none' };
  const found: { s: AlertSpan; level: CorrelationLevel; key: number[] }[] = [];
  for (const s of spans) {
    if (!wanted.includes(s.category) || !activeWithin(s, windowFrom, windowTo)) continue;
    const level = levelOf(s, place);
    if (level === undefined) continue;
    const atCall = activeWithin(s, t.receivedAt, t.receivedAt) ? 1 : 0;
    found.push({ s, level, key: [atCall, LEVEL_RANK[level], CATEGORY_RANK[s.category] ?? 1, -Math.abs(s.openedAt - t.receivedAt)] });
  }
  if (found.length === 0) return { ...base, verdict: 'unexplained', suggestion: 'visit-flat' };
  found.sort((a, b) => compareKeys(b.key, a.key) || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
  const [best, ...rest] = found;
  if (best === undefined) return { ...base, verdict: 'unexplained', suggestion: 'visit-flat' };
  return {
    ...base,
    verdict: 'explained',
    alert: linkOf(best.s, best.level),
    also: rest.slice(0, MAX_ALSO).map((f) => linkOf(f.s, f.level)),
    suggestion: 'network',
  };
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Same outcome for the ticket (verdict, alerts, cluster): a rewrite would change nothing a person sees. */
export function sameCorrelation(a: Correlation | undefined, b: Correlation): boolean {
  if (a === undefined) return false;
  const key = (c: Correlation): string =>
    JSON.stringify([c.verdict, c.alert?.alertId, c.alert?.endedAt, c.alert?.incidentId, c.also.map((x) => x.alertId), c.clusterId, c.suggestion]);
  return key(a) === key(b);
}
