// The closed loop scored against the simulator's truth (issue 5, "done when"): a few days of the
// full Jiayuguan network around the season's deepest cold snap, with the demo scenario's faults
// injected from the second day (the first day lets the rules learn their baselines), run
// through the production pipeline (closed-loop-run.ts). Reported:
//   - the share of tickets caused by an injected network fault that are linked to an alert of
//     that fault (target ≥ 90 %): an alert on the fault's entity or below it, active within
//     [fault start − 12 h, fault end + 2 h] (the backtest's matching);
//   - the share of in-home tickets telemetry leaves unexplained (should be most);
//   - the share of tail-end under-heating episodes with a visit issued before their first cold
//     complaint (target ≥ 80 %), and the median lead. An episode's complaints are the network-
//     caused tickets from its compound from 12 h before it began (the coldest flats call before
//     the compound's mean drops below 18 °C) to its end; a visit counts when issued from 24 h
//     before the episode (predictions look 12 h ahead) to its end.

import { createCity, type GroundTruth } from '../fixtures/sim/city';
import type { SimTicket } from '../fixtures/sim/hotline';
import { loadScenario, type Fault } from '../fixtures/sim/scenario';
import type { UnderHeatingEpisode } from '../fixtures/sim/truth';
import type { NetworkModel } from '../domain/network';
import { MAX_PAGE } from '../tickets/ticket-store';
import type { AlertLink, TicketRecord } from '../tickets/ticket-model';
import { computeKpis, medianOf } from '../visits/kpi/compute-kpis';
import type { Visit } from '../visits/visit-model';
import { MAX_EPISODES, MAX_VISIT_PAGE } from '../visits/visit-store';
import { DEFAULT_PEOPLE, runClosedLoop, type RunResult } from './closed-loop-run';

const H = 3_600_000;
const D = 24 * H;

export const CLOSED_LOOP_TARGETS = { faultLinked: 0.9, tailVisitedFirst: 0.8 } as const;

export interface ClosedLoopEvalOptions {
  readonly seed: number;
  /** Days simulated (default 5). */
  readonly days?: number;
  /** Scenario file (default the demo scenario; relative times start on the second day). */
  readonly scenarioPath?: string;
  /** Run start, epoch ms (default: a day and a half before the season's deepest cold snap). */
  readonly start?: number;
  readonly log?: (line: string) => void;
}

export interface ClosedLoopEvalResult {
  readonly faultLinked: number;
  readonly inHomeUnexplained: number;
  readonly tailVisitedFirst: number;
  readonly medianLeadMs: number | null;
  readonly pass: boolean;
  readonly lines: readonly string[];
}

const DEMO = new URL('../fixtures/scenarios/demo.json', import.meta.url).pathname;
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const hours = (ms: number | null): string => (ms === null ? '–' : `${(ms / H).toFixed(1)} h`);
const iso = (t: number): string => new Date(t + 8 * H).toISOString().slice(0, 16).replace('T', ' ');

/** A day and a half before the deepest cold snap of December–February in the seed's weather. */
export function coldSnapStart(network: NetworkModel, seed: number): number {
  const from = Date.parse('2024-12-01T00:00:00+08:00');
  const to = Date.parse('2025-03-01T00:00:00+08:00');
  const probe = createCity({ network, seed, start: from, warmupMs: 0 });
  const snaps = probe.weather.coldSnaps(from, to).filter((s) => s.start >= from && s.start < to);
  const deepest = [...snaps].sort((a, b) => b.depthK - a.depthK)[0];
  const at = deepest === undefined ? Date.parse('2025-01-10T00:00:00+08:00') : deepest.start - 36 * H;
  return Math.floor(at / H) * H;
}

export async function evaluateClosedLoop(network: NetworkModel, o: ClosedLoopEvalOptions): Promise<ClosedLoopEvalResult> {
  const days = o.days ?? 5;
  const start = o.start ?? coldSnapStart(network, o.seed);
  const end = start + days * D;
  const scenarioPath = o.scenarioPath ?? DEMO;
  const scenario = loadScenario(scenarioPath, network, { origin: start + D });
  const t0 = Date.now();
  const r = await runClosedLoop({ network, scenario, seed: o.seed, start, end, onDay: (t) => o.log?.(`  … simulated up to ${iso(t)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`) });
  const runMs = Date.now() - t0;

  const lines: string[] = [];
  const out = (s = ''): void => {
    lines.push(s);
  };
  const stored = await allTickets(r);
  const byExternal = new Map(stored.map((t) => [t.externalId, t]));
  const visits = await allVisits(r);
  const snaps = r.truth.faults.length;
  out(`City: ${network.stations.length} stations, ${network.compounds.length} compounds; ${iso(start)} → ${iso(end)} (Asia/Shanghai), seed ${o.seed}, scenario ${scenario.name} (${snaps} faults from ${iso(start + D)})`);
  out(`Run: ${r.telemetry} readings, ${r.simTickets.length} tickets, ${r.alerts.size} alerts, ${visits.length} visits in ${(runMs / 1000).toFixed(0)} s; engine dropped ${r.engine.late} late readings`);
  const p = DEFAULT_PEOPLE;
  out(`People (modelled): queued tickets confirmed after ${p.confirmAfterMs / 60_000} min; tickets dispatched after ${p.dispatchAfterMs / 60_000} min, resolved after ${p.resolveAfterMs / H} h; crews take a visit after ${p.crewDepartsAfterMs / 60_000} min, report after ${p.crewArrivesAfterMs / H} h (or by its deadline)`);
  out();

  // 1. Fault-caused tickets linked to their fault's alert.
  const faults = new Map(r.truth.faults.map((f) => [f.id, f]));
  const faultTickets = r.simTickets.filter((t) => t.truth.cause === 'network' && t.truth.faultId !== undefined);
  const outcome = new Map<string, number>();
  const perFault = new Map<string, { n: number; linked: number }>();
  let linked = 0;
  for (const s of faultTickets) {
    const t = byExternal.get(s.externalId);
    const f = faults.get(s.truth.faultId ?? '');
    const c = t?.correlation;
    const links: AlertLink[] = c === undefined ? [] : [...(c.alert ? [c.alert] : []), ...c.also];
    const ok = f !== undefined && links.some((l) => matchesFault(network, l, f));
    const why = ok ? 'linked to the fault' : c === undefined ? 'not correlated' : c.verdict === 'explained' ? 'explained by another alert' : c.verdict;
    outcome.set(why, (outcome.get(why) ?? 0) + 1);
    const pf = perFault.get(s.truth.faultId ?? '?') ?? { n: 0, linked: 0 };
    pf.n++;
    if (ok) {
      linked++;
      pf.linked++;
    }
    perFault.set(s.truth.faultId ?? '?', pf);
  }
  const faultLinked = ratio(linked, faultTickets.length);
  out(`Tickets caused by an injected network fault: ${faultTickets.length}; linked to an alert of that fault: ${pct(faultLinked)} (target ≥ ${pct(CLOSED_LOOP_TARGETS.faultLinked)})`);
  out(`  ${[...outcome].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  for (const [id, pf] of [...perFault].sort((a, b) => b[1].n - a[1].n)) out(`  ${id.padEnd(28)} ${String(pf.n).padStart(4)} tickets, ${pct(ratio(pf.linked, pf.n)).padStart(7)} linked`);

  // 2. In-home tickets left unexplained.
  const inHome = r.simTickets.filter((t) => t.truth.cause === 'in-home');
  const verdicts = new Map<string, number>();
  for (const s of inHome) {
    const v = byExternal.get(s.externalId)?.correlation?.verdict ?? 'none';
    verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
  }
  const unexplained = verdicts.get('unexplained') ?? 0;
  const explained = verdicts.get('explained') ?? 0;
  const inHomeUnexplained = ratio(unexplained, unexplained + explained);
  out();
  out(`In-home tickets: ${inHome.length}; of those telemetry could explain (cold or leak complaints with a place), left unexplained: ${pct(inHomeUnexplained)} (${unexplained} of ${unexplained + explained}; should be most)`);
  out(`  ${[...verdicts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join('; ')}`);
  const networkNoFault = r.simTickets.filter((t) => t.truth.cause === 'network' && t.truth.faultId === undefined);
  const nnf = networkNoFault.filter((s) => byExternal.get(s.externalId)?.correlation?.verdict === 'explained').length;
  out(`  (network-caused tickets without an injected fault — cold flats at the tail end or in the cold snap: ${networkNoFault.length}, explained ${pct(ratio(nnf, networkNoFault.length))})`);

  // 3. Tail-end episodes visited before their first complaint.
  const ep = scoreEpisodes(network, r.truth, r.simTickets, visits);
  out();
  out(`Under-heating episodes (truth): ${r.truth.episodes.length}, at tail-end compounds: ${ep.tail.length}`);
  out(`Tail-end episodes with a visit issued before their first complaint: ${pct(ep.tailShare)} (${ep.tailFirst} of ${ep.tail.length}; target ≥ ${pct(CLOSED_LOOP_TARGETS.tailVisitedFirst)}); median lead over the first complaint ${hours(ep.tailLead)}`);
  out(`  of them drew a complaint: ${ep.tailWithTicket} (visited first ${ep.tailFirstWithTicket}); with min indoor < 17.5 °C: ${ep.material.length} (visited first ${pct(ep.materialShare)})`);
  out(`  visit issued relative to the episode start: median ${hours(ep.tailIssueVsStart)} (negative = before the rooms fell below 18 °C)`);
  for (const row of ep.rows) out(`  ${row}`);
  out(`All episodes: visited before the first complaint ${pct(ep.allShare)} (${ep.allFirst} of ${r.truth.episodes.length}), median lead ${hours(ep.allLead)}`);

  // Visits that went where it did get cold (a truth episode from 12 h before to 24 h after issue).
  const coldAround = visits.filter((v) => r.truth.episodes.some((e) => e.compoundId === v.compoundId && e.end >= v.receivedAt - 12 * H && e.start <= v.receivedAt + 24 * H));
  const byRule = new Map<string, { n: number; cold: number }>();
  for (const v of visits) {
    const rule = v.reasons[0]?.ruleId ?? '?';
    const x = byRule.get(rule) ?? { n: 0, cold: 0 };
    x.n++;
    if (coldAround.includes(v)) x.cold++;
    byRule.set(rule, x);
  }
  out(`Visits issued: ${visits.length}; to a compound that fell below 18 °C (its mean) within a day: ${pct(ratio(coldAround.length, visits.length))} — the others went to compounds whose coldest flats, not their mean, were cold, or to predictions that did not come true`);
  out(`  by the alert that called for them: ${[...byRule].sort((a, b) => b[1].n - a[1].n).map(([k, x]) => `${k} ${x.n} (${x.cold} cold)`).join('; ')}`);

  // 4. The product's own view: KPIs, ticket incidents, surges.
  const episodes = await r.visits.listEpisodes({ limit: MAX_EPISODES });
  const k = computeKpis({ network, groupBy: 'day', tickets: stored, visits, episodes }).total;
  out();
  out(`KPIs as the product reports them (GET /api/kpi, whole run): ${k.heatingTickets} heating tickets = ${k.ticketsPer10kHouseholds} per 10,000 households; 未诉先办率 ${k.proactiveRate === null ? '–' : pct(k.proactiveRate)} of ${k.episodes} episodes (median lead ${hours(k.medianLeadMs)}); explained by telemetry ${k.explainedShare === null ? '–' : pct(k.explainedShare)}; median dispatch ${hours(k.medianDispatchMs)}, resolve ${hours(k.medianResolveMs)}`);
  const clusters = r.loop.correlator.clusters();
  const surges = r.loop.correlator.surges();
  out(`Ticket incidents: ${clusters.length} (${clusters.filter((c) => c.alertIds.length > 0).length} explained by an alert); complaint surges: ${surges.length} (${surges.filter((s) => s.indoorSensors === 0 && s.level === 'compound').length} at compounds without indoor sensors)`);
  const stats = r.loop.planner.stats();
  out(`Planner: ${stats.episodes} episodes, ${stats.visits} visits issued, ${stats.ticketFirst} with a complaint already open, ${stats.linked} complaints linked to a visit, ${stats.failures} failures`);

  const pass = faultLinked >= CLOSED_LOOP_TARGETS.faultLinked && ep.tailShare >= CLOSED_LOOP_TARGETS.tailVisitedFirst;
  out();
  out(pass ? 'PASS: fault linking and proactive visits meet their targets.' : 'FAIL: a target is missed (see above).');
  return { faultLinked, inHomeUnexplained, tailVisitedFirst: ep.tailShare, medianLeadMs: ep.tailLead, pass, lines };
}

/** The alert sits on the fault's entity or below it and was active around the fault. */
function matchesFault(network: NetworkModel, l: AlertLink, f: Fault): boolean {
  const activeNear = l.openedAt <= f.end + 2 * H && (l.endedAt ?? Number.POSITIVE_INFINITY) >= f.start - 12 * H;
  if (!activeNear) return false;
  const compoundOf = (id: string) => network.compound(id);
  switch (f.entityKind) {
    case 'compound':
      return l.entity.kind === 'compound' && l.entity.id === f.entity;
    case 'station':
      return (l.entity.kind === 'station' && l.entity.id === f.entity) || (l.entity.kind === 'compound' && compoundOf(l.entity.id)?.stationId === f.entity);
    case 'primaryNetwork': {
      if (l.entity.kind === 'primary') return l.entity.id === f.entity;
      const sid = l.entity.kind === 'station' ? l.entity.id : l.entity.kind === 'compound' ? compoundOf(l.entity.id)?.stationId : undefined;
      return sid !== undefined && network.station(sid)?.primaryNetworkId === f.entity;
    }
    default:
      return false;
  }
}

interface EpisodeScore {
  readonly tail: UnderHeatingEpisode[];
  readonly tailFirst: number;
  readonly tailShare: number;
  readonly tailLead: number | null;
  readonly tailWithTicket: number;
  readonly tailFirstWithTicket: number;
  readonly tailIssueVsStart: number | null;
  readonly material: UnderHeatingEpisode[];
  readonly materialShare: number;
  readonly allFirst: number;
  readonly allShare: number;
  readonly allLead: number | null;
  readonly rows: string[];
}

function scoreEpisodes(network: NetworkModel, truth: GroundTruth, sim: readonly SimTicket[], visits: readonly Visit[]): EpisodeScore {
  const complaints = new Map<string, number[]>();
  for (const t of sim) {
    if (t.truth.cause !== 'network' || t.truth.compoundId === undefined) continue;
    const l = complaints.get(t.truth.compoundId) ?? [];
    l.push(t.receivedAt);
    complaints.set(t.truth.compoundId, l);
  }
  const visitsOf = new Map<string, number[]>();
  for (const v of visits) visitsOf.set(v.compoundId, [...(visitsOf.get(v.compoundId) ?? []), v.receivedAt]);
  const prevEnd = new Map<string, number>();
  type Judged = { e: UnderHeatingEpisode; first: boolean; ticket?: number; visit?: number };
  const judged: Judged[] = [];
  for (const e of [...truth.episodes].sort((a, b) => a.start - b.start)) {
    const lo = Math.max(prevEnd.get(e.compoundId) ?? Number.NEGATIVE_INFINITY, e.start - 12 * H);
    prevEnd.set(e.compoundId, e.end);
    const ticket = (complaints.get(e.compoundId) ?? []).filter((t) => t >= lo && t <= e.end).sort((a, b) => a - b)[0];
    const visit = (visitsOf.get(e.compoundId) ?? []).filter((t) => t >= Math.max(lo, e.start - 24 * H) && t <= e.end).sort((a, b) => a - b)[0];
    judged.push({ e, first: visit !== undefined && (ticket === undefined || visit < ticket), ...(ticket !== undefined ? { ticket } : {}), ...(visit !== undefined ? { visit } : {}) });
  }
  const tail = judged.filter((j) => network.compound(j.e.compoundId)?.tailEnd === true);
  const leads = (js: Judged[]): number | null => medianOf(js.filter((j) => j.first && j.ticket !== undefined && j.visit !== undefined).map((j) => (j.ticket as number) - (j.visit as number)));
  const material = tail.filter((j) => j.e.minIndoorC < 17.5);
  const rows = tail.map(
    (j) =>
      `${j.e.compoundId.padEnd(20)} ${iso(j.e.start)} ${((j.e.end - j.e.start) / H).toFixed(1).padStart(5)} h min ${j.e.minIndoorC.toFixed(1)} °C ${(j.e.cause + (j.e.faultId ? ` ${j.e.faultId}` : '')).padEnd(30)} visit ${j.visit === undefined ? '–'.padEnd(16) : iso(j.visit)} first complaint ${j.ticket === undefined ? '–' : iso(j.ticket)} ${j.first ? '✓' : '✗'}`,
  );
  return {
    tail: tail.map((j) => j.e),
    tailFirst: tail.filter((j) => j.first).length,
    tailShare: ratio(tail.filter((j) => j.first).length, tail.length),
    tailLead: leads(tail),
    tailWithTicket: tail.filter((j) => j.ticket !== undefined).length,
    tailFirstWithTicket: tail.filter((j) => j.ticket !== undefined && j.first).length,
    tailIssueVsStart: medianOf(tail.filter((j) => j.visit !== undefined).map((j) => (j.visit as number) - j.e.start)),
    material: material.map((j) => j.e),
    materialShare: ratio(material.filter((j) => j.first).length, material.length),
    allFirst: judged.filter((j) => j.first).length,
    allShare: ratio(judged.filter((j) => j.first).length, judged.length),
    allLead: leads(judged),
    rows,
  };
}

async function allTickets(r: RunResult): Promise<TicketRecord[]> {
  const out: TicketRecord[] = [];
  let page = await r.tickets.list({ limit: MAX_PAGE, order: 'oldest' });
  out.push(...page.items);
  while (page.next !== undefined) {
    page = await r.tickets.list({ limit: MAX_PAGE, order: 'oldest', after: page.next });
    out.push(...page.items);
  }
  return out;
}

async function allVisits(r: RunResult): Promise<Visit[]> {
  const out: Visit[] = [];
  let page = await r.visits.list({ limit: MAX_VISIT_PAGE });
  out.push(...page.items);
  while (page.next !== undefined) {
    page = await r.visits.list({ limit: MAX_VISIT_PAGE, after: page.next });
    out.push(...page.items);
  }
  return out;
}

