// Runs the simulated city through the production pipeline for the closed-loop evaluation:
// telemetry → rules engine (with hourly outdoor forecasts) → alert events → correlation and
// visit planning; hotline tickets → ticket service → correlation, visit links. Everything in
// event-time order on one manual clock: at each station scan the tickets received since the
// last scan are taken in, then the scan's readings go to the engine.
//
// The people in the loop are modelled simply (and reported as such): a hotline operator
// confirms each queued heating ticket's compound `confirmAfterMs` after receipt (asking the
// caller, so with the true compound); every heating ticket is dispatched `dispatchAfterMs` and
// resolved `resolveAfterMs` after receipt (即接即办); a crew takes each visit
// `crewDepartsAfterMs` after issue and records an outcome when it arrives (`crewArrivesAfterMs`,
// or by the deadline when that is sooner).

import { pino } from 'pino';
import { loadConfig } from '../config/config';
import { ManualClock } from '../domain/clock';
import type { NetworkModel } from '../domain/network';
import type { Metric } from '../domain/telemetry';
import { createCity, type GroundTruth, type TelemetryMessage } from '../fixtures/sim/city';
import { createHotline, type SimTicket } from '../fixtures/sim/hotline';
import type { Scenario } from '../fixtures/sim/scenario';
import type { Alert } from '../rules/alert';
import { createMemoryAlertStore } from '../rules/alert-store-memory';
import { createRulesEngine, type EngineStats } from '../rules/engine';
import { createForecastBuffer } from '../rules/forecast';
import { loadBuiltinRules } from '../rules/rule-loader';
import { MemoryTicketStore } from '../tickets/memory-ticket-store';
import { isHeating, type TicketInput } from '../tickets/ticket-model';
import { TicketService } from '../tickets/ticket-service';
import { ClosedLoop } from '../visits/closed-loop';
import { closedLoopSettings } from '../visits/closed-loop-settings';
import { MemoryVisitStore } from '../visits/memory-visit-store';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface PeopleModel {
  readonly confirmAfterMs: number;
  readonly dispatchAfterMs: number;
  readonly resolveAfterMs: number;
  readonly crewDepartsAfterMs: number;
  readonly crewArrivesAfterMs: number;
}

export const DEFAULT_PEOPLE: PeopleModel = {
  confirmAfterMs: 20 * MIN,
  dispatchAfterMs: 10 * MIN,
  resolveAfterMs: 3 * HOUR,
  crewDepartsAfterMs: 15 * MIN,
  crewArrivesAfterMs: 2 * HOUR,
};

export interface RunOptions {
  readonly network: NetworkModel;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly people?: PeopleModel;
  readonly onDay?: (t: number) => void;
}

export interface RunResult {
  readonly truth: GroundTruth;
  readonly simTickets: readonly SimTicket[];
  /** Every alert raised, in its last state. */
  readonly alerts: ReadonlyMap<string, Alert>;
  readonly tickets: MemoryTicketStore;
  readonly visits: MemoryVisitStore;
  readonly loop: ClosedLoop;
  readonly engine: EngineStats;
  readonly telemetry: number;
}

type Action = { readonly at: number; readonly run: () => Promise<unknown> };

export async function runClosedLoop(o: RunOptions): Promise<RunResult> {
  const people = o.people ?? DEFAULT_PEOPLE;
  const { network } = o;
  const logger = pino({ level: 'silent' });
  const clock = new ManualClock(o.start);
  const settings = closedLoopSettings(loadConfig({}));
  const ticketStore = new MemoryTicketStore();
  const visitStore = new MemoryVisitStore();
  await ticketStore.connect();
  await visitStore.connect();
  const tickets = await TicketService.open({ network, store: ticketStore, clock, logger });

  const actions: Action[] = [];
  const later = (at: number, run: () => Promise<unknown>): void => {
    actions.push({ at, run });
  };
  const loop = await ClosedLoop.start({
    network,
    tickets,
    ticketStore,
    visitStore,
    clock,
    logger,
    settings,
    onVisit: (v, change) => {
      if (change !== 'created') return;
      const arrive = Math.min(v.receivedAt + people.crewArrivesAfterMs, v.dueAt);
      later(v.receivedAt + people.crewDepartsAfterMs, () => loop.visits.advance(v.id, 'dispatched', { by: 'crew' }).catch(() => undefined));
      later(arrive, () => loop.visits.recordOutcome(v.id, { cause: 'network', result: 'escalated' }, 'crew').catch(() => undefined));
    },
  });

  const alertStore = createMemoryAlertStore({ maxAlerts: 1_000_000 });
  await alertStore.open();
  const forecast = createForecastBuffer();
  const alerts = new Map<string, Alert>();
  const engine = createRulesEngine({
    network,
    rules: loadBuiltinRules(),
    alertStore,
    clock,
    forecast,
    onEvent: (e) => {
      if ('alert' in e) alerts.set(e.alert.id, e.alert);
      loop.onRulesEvent(e);
    },
  });

  const hotline = createHotline({ network, seed: o.seed });
  const city = createCity({ network, scenario: o.scenario, seed: o.seed, start: o.start, hotline });
  const site = network.weatherSites[0]?.id ?? 'weather';
  const simTickets: SimTicket[] = [];
  let telemetry = 0;
  let nextDay = o.start + 24 * HOUR;
  let nextTick = o.start + 10 * MIN;

  const runDue = async (t: number): Promise<void> => {
    actions.sort((a, b) => a.at - b.at);
    while (actions.length > 0 && (actions[0] as Action).at <= t) {
      const a = actions.shift() as Action;
      clock.set(Math.max(clock.now(), a.at));
      await a.run();
    }
  };

  while (city.now + city.stationScanMs < o.end) {
    const out = city.step();
    await runDue(out.t);
    clock.set(out.t);
    if (out.t % HOUR === 0) {
      const points = city.weather.forecast(out.t, 24).map((p): Metric => ({ measurement: 'weather', tags: { id: site }, fields: { t_outdoor: p.outdoorC }, time: p.t }));
      forecast.add(points, out.t);
    }
    if (out.tickets.length > 0) {
      simTickets.push(...out.tickets);
      const results = await tickets.intake(out.tickets.map(inputOf), 'api');
      for (const [i, r] of results.entries()) {
        const sim = out.tickets[i] as SimTicket;
        const u = r.understood;
        if (r.outcome !== 'created' || !isHeating(u.category)) continue;
        const rec = u.receivedAt;
        if (u.resolution.review === 'needs-review' && sim.truth.compoundId !== undefined) {
          const compoundId = sim.truth.compoundId;
          later(rec + people.confirmAfterMs, () => tickets.confirm(u.id, { compoundId }).catch(() => undefined));
        }
        later(rec + people.dispatchAfterMs, () => tickets.advance(u.id, 'dispatched', { by: 'hotline' }, rec + people.dispatchAfterMs).catch(() => undefined));
        later(rec + people.resolveAfterMs, () => tickets.advance(u.id, 'resolved', { by: 'crew' }, rec + people.resolveAfterMs).catch(() => undefined));
      }
    }
    const batch = out.messages.map(metricOf);
    telemetry += batch.length;
    for (const m of batch) {
      const v = m.fields['t_outdoor'];
      if (m.measurement === 'weather' && typeof v === 'number') loop.observeOutdoor(m.time, v);
    }
    engine.ingest(batch);
    await loop.drain();
    if (out.t >= nextTick) {
      nextTick += 10 * MIN;
      await loop.tick(out.t);
    }
    if (out.t >= nextDay) {
      nextDay += 24 * HOUR;
      o.onDay?.(out.t);
    }
  }
  engine.advanceWatermark(Number.POSITIVE_INFINITY);
  await loop.drain();
  await runDue(Number.POSITIVE_INFINITY);
  await loop.tick(Number.POSITIVE_INFINITY);
  await loop.drain();
  await engine.flush();
  return { truth: city.truth(true), simTickets, alerts, tickets: ticketStore, visits: visitStore, loop, engine: engine.stats(), telemetry };
}

function inputOf(t: SimTicket): TicketInput {
  return { externalId: t.externalId, receivedAt: t.receivedAt, text: t.text, address: t.address, callerPhone: t.phone, channel: t.channel };
}

/** Contract v1 message → Metric, as ingest makes it (the simulator sends valid messages only). */
export function metricOf(m: TelemetryMessage): Metric {
  const parts = m.topic.split('/');
  const kind = parts[2] as Metric['measurement'];
  const id = parts[3] ?? '';
  const p = m.payload;
  return { measurement: kind, tags: p.sensor === undefined ? { id } : { id, sensor: p.sensor }, fields: p.values, time: p.ts };
}
