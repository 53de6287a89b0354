// Helpers for the rules tests: the mini network, readings of a healthy station or compound at
// an outdoor temperature (consistent physics: curve, load, energy balance), and an engine with
// a manual clock that records its events.

import { ManualClock } from '../domain/clock';
import { compensationSetpoint } from '../domain/compensation';
import type { NetworkModel } from '../domain/network';
import { loadNetwork } from '../domain/network-loader';
import type { FieldValue, Metric } from '../domain/telemetry';
import { createMemoryAlertStore, type MemoryAlertStore } from './alert-store-memory';
import { createRulesEngine, type RulesEngine } from './engine';
import type { EngineTuningInput } from './engine-options';
import type { RulesEvent } from './events';
import type { ForecastProvider } from './forecast';
import { plantCurveC } from './plant-curve';
import { RuleSchema, type RuleDef } from './rule-schema';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** 2025-01-10 00:00 Asia/Shanghai: mid-season. */
export const T0 = Date.parse('2025-01-10T00:00:00+08:00');

let cached: NetworkModel | undefined;
export function miniNetwork(): NetworkModel {
  cached ??= loadNetwork(new URL('../fixtures/networks/mini.json', import.meta.url).pathname);
  return cached;
}

export function station(id: string, time: number, fields: Record<string, FieldValue>): Metric {
  return { measurement: 'station', tags: { id }, fields, time };
}
export function compound(id: string, time: number, fields: Record<string, FieldValue>): Metric {
  return { measurement: 'compound', tags: { id }, fields, time };
}
export function indoor(compoundId: string, sensor: string, time: number, c: number): Metric {
  return { measurement: 'compound', tags: { id: compoundId, sensor }, fields: { t_indoor: c }, time };
}
export function weather(time: number, outdoorC: number, id = 'jyg'): Metric {
  return { measurement: 'weather', tags: { id }, fields: { t_outdoor: outdoorC }, time };
}

/** Relative heat load at an outdoor temperature (design −15 °C, rooms 18 °C). */
export function loadShare(outdoorC: number): number {
  return Math.max(0.05, (18 - outdoorC) / 33);
}

export interface StationState {
  /** Secondary supply relative to the curve, K (negative: running cold). */
  readonly curveOffsetK?: number;
  /** Primary supply below normal, K. */
  readonly primaryDropK?: number;
  /** Share of the normal heat delivered (1 = healthy). */
  readonly heatShare?: number;
}

/** A healthy station scan: on its curve, pump running, both sides of the exchanger balanced. */
export function healthyStation(net: NetworkModel, id: string, time: number, outdoorC: number, over: Record<string, FieldValue> = {}, st: StationState = {}): Metric {
  const s = net.station(id);
  if (s === undefined) throw new Error(`no station ${id}`);
  const plant = net.plants[0];
  if (plant === undefined) throw new Error('no plant');
  const curveSp = compensationSetpoint(s.curve, outdoorC);
  const sp = curveSp + (st.curveOffsetK ?? 0);
  const q = s.hydraulics.designLoadKw * loadShare(outdoorC) * (st.heatShare ?? 1);
  const flow2 = s.hydraulics.designFlow * 0.95;
  const dt2 = q / (1.163 * flow2);
  const t1s = plantCurveC(plant, outdoorC) - 1 - (st.primaryDropK ?? 0);
  const t1r = sp - dt2 + 5;
  const flow1 = q / (1.163 * (t1s - t1r));
  const wobble = ((time / MIN) % 7) * 0.01; // sensors are never perfectly still
  return station(id, time, {
    t1_supply: t1s + wobble,
    t1_return: t1r + wobble,
    t2_supply: sp + wobble,
    t2_return: sp - dt2 + wobble,
    flow1: flow1 + wobble,
    flow2: flow2 + wobble,
    p1_supply: 0.8 + wobble / 10,
    p1_return: 0.4 + wobble / 10,
    p2_supply: 0.45 + wobble / 10,
    p2_return: 0.3 + wobble / 10,
    valve_pct: 60,
    pump_state: 'run',
    pump_hz: 45,
    makeup_flow: 0.08,
    t2_supply_sp: curveSp,
    ...over,
  });
}

/** Internal gains the engine assumes by default, K. */
export const GAIN_K = 2.5;

/**
 * A healthy compound scan (hydraulic meter only): the heat its water gives up keeps its rooms at
 * `indoorC` (Q = UA·(Ti − gains − To)), so the heat-meter estimate agrees with the sensors.
 */
export function healthyCompound(net: NetworkModel, id: string, time: number, outdoorC: number, over: Record<string, FieldValue> = {}, indoorC = 20.5): Metric {
  const c = net.compound(id);
  const s = c === undefined ? undefined : net.station(c.stationId);
  if (c === undefined || s === undefined) throw new Error(`no compound ${id}`);
  const sp = compensationSetpoint(s.curve, outdoorC);
  const wobble = (Math.floor(time / MIN) % 7) * 0.01;
  const flow = c.hydraulics.designFlow;
  const dt = (c.hydraulics.heatLossKwPerK * (indoorC - GAIN_K - outdoorC)) / (1.163 * flow);
  return compound(id, time, {
    t_supply: sp - 0.3 * c.order + wobble,
    t_return: sp - dt - 0.3 * c.order + wobble,
    dp: 60 - 5 * c.order + wobble,
    flow: flow + wobble,
    ...over,
  });
}

export interface Harness {
  readonly engine: RulesEngine;
  /** What the engine logged: level, fields, message. */
  readonly logs: { level: 'warn' | 'error'; obj: object; msg: string }[];
  readonly events: RulesEvent[];
  readonly store: MemoryAlertStore;
  readonly clock: ManualClock;
  readonly net: NetworkModel;
}

export function makeEngine(rules: readonly RuleDef[], tuning: EngineTuningInput = {}, forecast?: ForecastProvider): Harness {
  const net = miniNetwork();
  const events: RulesEvent[] = [];
  const logs: Harness['logs'] = [];
  const store = createMemoryAlertStore();
  void store.open();
  const clock = new ManualClock(T0);
  const engine = createRulesEngine({
    network: net,
    rules,
    alertStore: store,
    clock,
    onEvent: (e) => events.push(e),
    logger: { warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }), error: (obj, msg) => logs.push({ level: 'error', obj, msg }) },
    tuning: { allowedLatenessMs: 0, ...tuning },
    ...(forecast === undefined ? {} : { forecast }),
  });
  return { engine, events, logs, store, clock, net };
}

/** A rule from a plain object, with the schema's defaults and checks. */
export function rule(raw: Record<string, unknown>): RuleDef {
  return RuleSchema.parse({ name: { zh: '测试', en: 'test' }, doc: 'a rule written for a unit test', category: 'equipment', severity: 'high', ...raw });
}

/** The ids of alerts opened, in event order. */
export function openedIds(events: readonly RulesEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'alert.opened' ? [e.alert.id] : []));
}
