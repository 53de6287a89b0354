// Loads what the KPIs of a range need from the stores: tickets received, visits issued and
// episodes begun in [from, to). Bounded: beyond the caps the request is refused (400 "narrow the
// range") rather than answered from part of the data.

import { HeatError } from '../../domain/errors';
import type { TicketRecord } from '../../tickets/ticket-model';
import { MAX_PAGE, type TicketStore } from '../../tickets/ticket-store';
import type { Episode, Visit } from '../visit-model';
import { MAX_EPISODES, MAX_VISIT_PAGE, type VisitStore } from '../visit-store';

export const MAX_KPI_TICKETS = 200_000;
export const MAX_KPI_VISITS = 50_000;

export interface KpiData {
  readonly tickets: TicketRecord[];
  readonly visits: Visit[];
  readonly episodes: Episode[];
}

export async function loadKpiData(tickets: Pick<TicketStore, 'list'>, visits: Pick<VisitStore, 'list' | 'listEpisodes'>, from: number, to: number): Promise<KpiData> {
  const ts: TicketRecord[] = [];
  let page = await tickets.list({ from, to, limit: MAX_PAGE, order: 'oldest' });
  if (page.total > MAX_KPI_TICKETS) throw new HeatError('BAD_REQUEST', `query: ${page.total} tickets in the range, more than ${MAX_KPI_TICKETS}: narrow the range`);
  ts.push(...page.items);
  while (page.next !== undefined) {
    page = await tickets.list({ from, to, limit: MAX_PAGE, order: 'oldest', after: page.next });
    ts.push(...page.items);
  }
  const vs: Visit[] = [];
  let vp = await visits.list({ from, to, limit: MAX_VISIT_PAGE });
  if (vp.total > MAX_KPI_VISITS) throw new HeatError('BAD_REQUEST', `query: ${vp.total} visits in the range, more than ${MAX_KPI_VISITS}: narrow the range`);
  vs.push(...vp.items);
  while (vp.next !== undefined) {
    vp = await visits.list({ from, to, limit: MAX_VISIT_PAGE, after: vp.next });
    vs.push(...vp.items);
  }
  const episodes = await visits.listEpisodes({ from, to, limit: MAX_EPISODES });
  if (episodes.length >= MAX_EPISODES) throw new HeatError('BAD_REQUEST', `query: ${MAX_EPISODES} or more episodes in the range: narrow the range`);
  return { tickets: ts, visits: vs, episodes };
}
