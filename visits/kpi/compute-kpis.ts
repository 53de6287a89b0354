// KPIs of complaints and proactive service, by day (Asia/Shanghai), station or primary network:
// - heating tickets per 10,000 households (the households of the group: the city for a day);
// - 未诉先办率: the share of under-heating episodes (measured or estimated, not only predicted)
//   whose visit was issued before their first cold complaint (or that drew none), and the median
//   lead of the visit over that first complaint;
// - median time from receipt to dispatch and to resolution, over the tickets that got there;
// - the share of correlated heating tickets that telemetry explains.
// Pure: the caller loads the tickets received, visits issued and episodes begun in the range.

import type { NetworkModel } from '../../domain/network';
import { isHeating, type TicketRecord } from '../../tickets/ticket-model';
import type { Episode, Visit } from '../visit-model';

export const KPI_GROUPS = ['day', 'station', 'network'] as const;
export type KpiGroupBy = (typeof KPI_GROUPS)[number];

export interface KpiRow {
  /** Shanghai date "2025-01-08", station id or primary network id; "total" for the whole range. */
  readonly key: string;
  readonly name: string;
  readonly households: number;
  readonly heatingTickets: number;
  readonly ticketsPer10kHouseholds: number | null;
  /** Under-heating episodes begun in the group. */
  readonly episodes: number;
  /** … visited before their first cold complaint (or drawing none). */
  readonly visitedFirst: number;
  /** … where a complaint was open before the rules saw anything. */
  readonly ticketFirst: number;
  /** 未诉先办率 = visitedFirst / episodes. */
  readonly proactiveRate: number | null;
  /** Median of (first complaint − visit issued) over episodes visited first that drew a complaint, ms. */
  readonly medianLeadMs: number | null;
  readonly visits: number;
  readonly dispatched: number;
  readonly medianDispatchMs: number | null;
  readonly resolved: number;
  readonly medianResolveMs: number | null;
  /** Heating tickets with a verdict (explained or unexplained). */
  readonly correlated: number;
  readonly explained: number;
  readonly explainedShare: number | null;
}

export interface KpiInput {
  readonly network: NetworkModel;
  readonly groupBy: KpiGroupBy;
  readonly tickets: readonly TicketRecord[];
  readonly visits: readonly Visit[];
  readonly episodes: readonly Episode[];
}

export interface KpiReport {
  readonly groupBy: KpiGroupBy;
  readonly rows: readonly KpiRow[];
  readonly total: KpiRow;
}

const SHANGHAI_MS = 8 * 3_600_000;

export function shanghaiDay(t: number): string {
  return new Date(t + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** Whether an episode was visited before its first complaint (or drew none). */
export function visitedFirst(e: Episode): boolean {
  return !e.ticketFirst && e.visitAt !== undefined && (e.firstTicketAt === undefined || e.visitAt < e.firstTicketAt);
}

interface Acc {
  heatingTickets: number;
  episodes: number;
  visitedFirst: number;
  ticketFirst: number;
  leads: number[];
  visits: number;
  dispatch: number[];
  resolve: number[];
  correlated: number;
  explained: number;
}

const acc = (): Acc => ({ heatingTickets: 0, episodes: 0, visitedFirst: 0, ticketFirst: 0, leads: [], visits: 0, dispatch: [], resolve: [], correlated: 0, explained: 0 });

export function computeKpis(i: KpiInput): KpiReport {
  const { network } = i;
  const groups = new Map<string, Acc>();
  const total = acc();
  const at = (key: string | undefined): Acc[] => {
    if (key === undefined) return [total];
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = acc()));
    return [g, total];
  };
  const keyOf = (t: number, stationId: string | undefined): string | undefined => {
    switch (i.groupBy) {
      case 'day':
        return shanghaiDay(t);
      case 'station':
        return stationId;
      case 'network':
        return stationId === undefined ? undefined : network.station(stationId)?.primaryNetworkId;
      default: {
        const never: never = i.groupBy;
        throw new Error(`unknown grouping ${String(never)}`);
      }
    }
  };

  for (const t of i.tickets) {
    if (!isHeating(t.category)) continue;
    const placed = t.resolution.review === 'auto' || t.resolution.review === 'confirmed';
    for (const a of at(keyOf(t.receivedAt, placed ? t.resolution.stationId : undefined))) {
      a.heatingTickets++;
      const d = t.loop.at.dispatched;
      if (d !== undefined) a.dispatch.push(d - t.receivedAt);
      const r = t.loop.at.resolved;
      if (r !== undefined) a.resolve.push(r - t.receivedAt);
      const v = t.correlation?.verdict;
      if (v === 'explained' || v === 'unexplained') {
        a.correlated++;
        if (v === 'explained') a.explained++;
      }
    }
  }
  for (const e of i.episodes) {
    if (!e.underheating) continue;
    for (const a of at(keyOf(e.start, e.stationId))) {
      a.episodes++;
      if (e.ticketFirst) a.ticketFirst++;
      if (visitedFirst(e)) {
        a.visitedFirst++;
        if (e.firstTicketAt !== undefined && e.visitAt !== undefined) a.leads.push(e.firstTicketAt - e.visitAt);
      }
    }
  }
  for (const v of i.visits) for (const a of at(keyOf(v.receivedAt, v.stationId))) a.visits++;

  const cityHouseholds = network.totalHouseholds();
  const householdsOf = (key: string): { households: number; name: string } => {
    switch (i.groupBy) {
      case 'day':
        return { households: cityHouseholds, name: key };
      case 'station':
        return { households: network.compoundsOf(key).reduce((s, c) => s + c.households, 0), name: network.station(key)?.name ?? key };
      case 'network':
        return {
          households: network.stationsOf(key).reduce((s, st) => s + network.compoundsOf(st.id).reduce((x, c) => x + c.households, 0), 0),
          name: network.primaryNetwork(key)?.name ?? key,
        };
      default: {
        const never: never = i.groupBy;
        throw new Error(`unknown grouping ${String(never)}`);
      }
    }
  };
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, a]) => rowOf(key, householdsOf(key), a));
  return { groupBy: i.groupBy, rows, total: rowOf('total', { households: cityHouseholds, name: network.city }, total) };
}

function rowOf(key: string, h: { households: number; name: string }, a: Acc): KpiRow {
  return {
    key,
    name: h.name,
    households: h.households,
    heatingTickets: a.heatingTickets,
    ticketsPer10kHouseholds: h.households > 0 ? round((a.heatingTickets / h.households) * 10_000, 3) : null,
    episodes: a.episodes,
    visitedFirst: a.visitedFirst,
    ticketFirst: a.ticketFirst,
    proactiveRate: a.episodes > 0 ? round(a.visitedFirst / a.episodes, 4) : null,
    medianLeadMs: medianOf(a.leads),
    visits: a.visits,
    dispatched: a.dispatch.length,
    medianDispatchMs: medianOf(a.dispatch),
    resolved: a.resolve.length,
    medianResolveMs: medianOf(a.resolve),
    correlated: a.correlated,
    explained: a.explained,
    explainedShare: a.correlated > 0 ? round(a.explained / a.correlated, 4) : null,
  };
}

export function medianOf(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
