// The signal catalogue: every name a rule may read, per scope. Raw signals are the canonical
// telemetry fields (domain/fields.ts); derived signals are computed from them at each evaluation
// instant, with the physics written down once here so rule files stay declarative.
//
// `inputs` lists the raw fields a signal reads: when a quality rule distrusts one of them, the
// signal is unknown, and rules reading it neither fire nor count towards their duration.
// Derived signals compute from fresh values whatever their trust (view.fresh) and keep their
// windows filled; trust applies when a rule reads them, so a rule that distrusts data can still
// see its own condition end.

import { compensationSetpoint } from '../domain/compensation';
import { FIELDS } from '../domain/fields';
import type { FieldValue } from '../domain/telemetry';
import type { EntityState } from './entity-state';
import { num, type EvalView } from './eval-view';
import { FlatCalibration } from './flat-calibration';
import { forecastAt } from './forecast';
import { calibrateNow, IndoorResponse, predictIndoor } from './indoor-response';
import { plantCurveC } from './plant-curve';
import type { Agg } from './aggregators';
import type { Plant } from '../domain/network-schema';
import type { Relation } from './relations';
import type { Scope } from './scope';

/** Heat carried by water: kW per (m³/h · K) (Q ≈ 1.163 · G · ΔT). */
const KW_PER_M3H_K = 1.163;
const HOUR_MS = 3_600_000;
/** The plant follows a smoothed outdoor temperature; compare the primary supply against the same. */
const PLANT_OUTDOOR_WINDOW_MS = 3 * HOUR_MS;

export interface WindowNeed {
  readonly of: Relation;
  readonly signal: string;
  readonly windowMs: number;
  /** How `compute` aggregates it (min/max need extra bookkeeping); default mean. */
  readonly agg?: Agg;
}

export interface SignalDef {
  readonly type: 'number' | 'string';
  readonly unit: string;
  readonly zh: string;
  readonly en: string;
  readonly inputs: readonly string[];
  /** Derived signals only: the value at the current instant, or undefined when unknown. */
  readonly compute?: (view: EvalView, e: EntityState) => FieldValue | undefined;
  /** Windows `compute` reads (on relatives), set up when a rule uses this signal. */
  readonly needs?: readonly WindowNeed[];
}

type Catalogue = Record<string, SignalDef>;

function rawSignals(kind: 'station' | 'compound' | 'weather'): Catalogue {
  const out: Catalogue = {};
  for (const [field, spec] of Object.entries(FIELDS[kind])) {
    if (field === 't_indoor') continue; // per sensor; rules read the derived `indoor`
    out[field] = { type: spec.type === 'number' ? 'number' : 'string', unit: spec.unit, zh: spec.zh, en: spec.en, inputs: [field] };
  }
  return out;
}

const outdoorOf = (view: EvalView, e: EntityState): number | undefined => {
  const w = view.relative(e, 'weather');
  return w === undefined ? undefined : num(view.fresh(w, 't_outdoor'));
};

const diff = (a: string, b: string) => (view: EvalView, e: EntityState) => {
  const x = num(view.fresh(e, a));
  const y = num(view.fresh(e, b));
  return x === undefined || y === undefined ? undefined : x - y;
};

/** Heat rate of one side of the exchanger as a share of the station's design load. */
const heatShare = (flow: string, sup: string, ret: string) => (view: EvalView, e: EntityState) => {
  const s = e.station;
  const g = num(view.fresh(e, flow));
  const dt = diff(sup, ret)(view, e);
  if (s === undefined || g === undefined || dt === undefined) return undefined;
  return (KW_PER_M3H_K * g * dt) / s.hydraulics.designLoadKw;
};

const setpoint = (view: EvalView, e: EntityState): number | undefined => {
  const s = e.station;
  const to = outdoorOf(view, e);
  return s === undefined || to === undefined ? undefined : compensationSetpoint(s.curve, to);
};

const plants = new WeakMap<object, Plant | null>();

const plantCurve = (view: EvalView, e: EntityState): number | undefined => {
  const s = e.station;
  const w = view.relative(e, 'weather');
  if (s === undefined || w === undefined) return undefined;
  let plant = plants.get(s);
  if (plant === undefined) {
    const plantId = view.network.primaryNetwork(s.primaryNetworkId)?.plantId;
    plant = view.network.plants.find((p) => p.id === plantId) ?? null;
    plants.set(s, plant);
  }
  const to = num(view.signal(w, 't_outdoor', 'mean', PLANT_OUTDOOR_WINDOW_MS, 0));
  return plant === null || to === undefined ? undefined : plantCurveC(plant, to);
};

interface IndoorSummary {
  mean: number | undefined;
  max: number | undefined;
  spread: number | undefined;
  n: number;
}

/**
 * Four derived signals read the same summary at one instant: it is computed once per entity and
 * read epoch (nothing it reads changes while an entity's derived signals are computed).
 */
const indoorMemo = { e: undefined as EntityState | undefined, epoch: -1, t: Number.NaN, value: { mean: undefined, max: undefined, spread: undefined, n: 0 } as IndoorSummary };

/** Mean, spread and count of the fresh, trusted indoor sensors of a compound. */
function indoorSensors(view: EvalView, e: EntityState): IndoorSummary {
  const memo = indoorMemo;
  if (memo.e === e && memo.epoch === view.readEpoch && memo.t === view.t) return memo.value;
  let sum = 0;
  let n = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const slot of e.sensors.values()) {
    const x = e.latest.value(slot);
    if (typeof x !== 'number' || view.t - e.latest.time(slot) > view.staleAfterMs.compound || !e.isExactlyTrusted(e.seriesKey(slot))) continue;
    sum += x;
    n++;
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const v = memo.value;
  v.mean = n === 0 ? undefined : sum / n;
  v.max = n === 0 ? undefined : hi;
  v.spread = n < 2 ? undefined : hi - lo;
  v.n = n;
  memo.e = e;
  memo.epoch = view.readEpoch;
  memo.t = view.t;
  return v;
}

/** Mean water temperature of a compound: its own supply/return, else its station's secondary. */
function waterOf(view: EvalView, e: EntityState): number | undefined {
  const ts = num(view.fresh(e, 't_supply'));
  const tr = num(view.fresh(e, 't_return'));
  if (ts !== undefined && tr !== undefined) return (ts + tr) / 2;
  const s = view.relative(e, 'station');
  const s2 = s === undefined ? undefined : num(view.fresh(s, 't2_supply'));
  const r2 = s === undefined ? undefined : num(view.fresh(s, 't2_return'));
  return s2 === undefined || r2 === undefined ? undefined : (s2 + r2) / 2;
}

/** Mean water temperature moves about ¾ as much as the supply set-point (75/50 °C radiators, quality regulation). */
const WATER_PER_SUPPLY = 0.75;

const INDOOR_SMOOTH_MS = 30 * 60_000;

/**
 * Indoor temperature from the compound's heat meter: in steady state the heat the water gives
 * up, Q = 1.163·G·(Ts − Tr) kW, plus internal gains, leaves through the building envelope,
 * UA·(Ti − To); so Tss = To + Q/UA + gains, and the rooms follow Tss with the building's time
 * constant τ. UA and τ come from the network model. Stepped forward at each instant.
 * The observer has no history at its first instant: starting it at that instant's Tss would
 * claim a cold building on every cold night (the rooms' stored warmth is unseen). It starts in
 * the band a heated building keeps (18.5–22 °C: just above the enforced minimum, up to comfort)
 * and forgets that start as e^(−t/τ); a building that really is starved gets there within
 * τ·ln((18.5 − Tss)/(18 − Tss)) — under an hour after a pump trip, a few hours for a slow loss.
 */
const ESTIMATE_START_BAND: readonly [number, number] = [18.5, 22];

function indoorEstimate(view: EvalView, e: EntityState): number | undefined {
  const c = e.compound;
  const g = num(view.fresh(e, 'flow'));
  const ts = num(view.fresh(e, 't_supply'));
  const tr = num(view.fresh(e, 't_return'));
  const to = outdoorOf(view, e);
  if (c === undefined || g === undefined || ts === undefined || tr === undefined || to === undefined) return e.indoorEstimate?.c;
  const tss = to + (KW_PER_M3H_K * g * (ts - tr)) / c.hydraulics.heatLossKwPerK + view.prediction.internalGainK;
  const prev = e.indoorEstimate;
  if (prev === undefined) {
    const c0 = Math.min(ESTIMATE_START_BAND[1], Math.max(ESTIMATE_START_BAND[0], tss));
    e.indoorEstimate = { t: view.t, c: c0, since: view.t };
    return c0;
  }
  const dtH = Math.max(0, view.t - prev.t) / HOUR_MS;
  prev.c = tss + (prev.c - tss) * Math.exp(-dtH / c.hydraulics.timeConstantH);
  prev.t = view.t;
  return prev.c;
}

/** The heat-meter estimate once its start has faded enough to calibrate flats against (12 h). */
const ESTIMATE_SETTLED_MS = 12 * HOUR_MS;

/**
 * The building temperature the compound's trusted sensors stand for: each flat's reading
 * corrected for its position (rules/flat-calibration.ts), averaged; while no sensor is
 * calibrated yet, the warmest reading (a single cold flat is more often the flat than the
 * network). Feeds the calibration from the heat-meter estimate once that has settled.
 */
function indoorBuilding(view: EvalView, e: EntityState): number | undefined {
  if (!e.isTrusted('t_indoor') || e.compound === undefined) return undefined;
  const to = outdoorOf(view, e);
  const est = indoorEstimate(view, e);
  const settled = est !== undefined && e.indoorEstimate !== undefined && view.t - e.indoorEstimate.since >= ESTIMATE_SETTLED_MS;
  e.flats ??= new FlatCalibration();
  let sum = 0;
  let n = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (const [s, slot] of e.sensors) {
    const x = e.latest.value(slot);
    if (typeof x !== 'number' || view.t - e.latest.time(slot) > view.staleAfterMs.compound || !e.isExactlyTrusted(e.seriesKey(slot))) continue;
    max = Math.max(max, x);
    if (to === undefined) continue;
    if (settled) e.flats.observe(s, view.t, x, to, est);
    const b = e.flats.building(s, x, to);
    if (!b.calibrated) continue;
    sum += b.c;
    n++;
  }
  if (n > 0) return sum / n;
  return Number.isFinite(max) ? max : undefined;
}

/** What the compound's rooms are judged at: its sensors (flat-corrected), or without one the heat-meter estimate. */
function indoorNow(view: EvalView, e: EntityState): number | undefined {
  return indoorBuilding(view, e) ?? indoorEstimate(view, e);
}

/** Feed the compound's learned response and refresh its prediction when due. */
function prediction(view: EvalView, e: EntityState): EntityState['prediction'] {
  const c = e.compound;
  const station = e.station;
  // The 30-minute mean of the warmest sensor (what under-heating judges), not the newest
  // reading: one spike must not predict a cold night. Without sensors, the heat-meter estimate.
  const indoor = num(view.signal(e, 'indoor_now', 'mean', INDOOR_SMOOTH_MS, 0)) ?? indoorNow(view, e);
  const to = outdoorOf(view, e);
  const water = waterOf(view, e);
  if (c === undefined || station === undefined || indoor === undefined || to === undefined || water === undefined) return undefined;
  e.response ??= new IndoorResponse({ timeConstantH: c.hydraulics.timeConstantH });
  if (e.responseFedAt !== view.t) {
    e.response.add(view.t, indoor, to, water);
    e.responseFedAt = view.t;
  }
  const prev = e.prediction;
  if (prev !== undefined && view.t - prev.at < view.prediction.everyMs) return prev;
  const fit = e.response.fit() ?? calibrateNow(indoor, to, water);
  if (fit === undefined) return undefined;
  const points = view.forecast?.outdoor(station.weatherSiteId, view.t, 2 * view.prediction.horizonMs) ?? [];
  const p = predictIndoor({
    indoorC: indoor,
    outdoorNowC: to,
    waterNowC: water,
    fit,
    timeConstantH: c.hydraulics.timeConstantH,
    horizonH: view.prediction.horizonMs / HOUR_MS,
    thresholdC: view.prediction.thresholdC,
    outdoorAt: (h) => forecastAt(points, to, view.t, view.t + h * HOUR_MS),
    waterFor: (outdoorC) => WATER_PER_SUPPLY * compensationSetpoint(station.curve, outdoorC),
    curveSlope: (WATER_PER_SUPPLY * (station.curve.supplyC[1] - station.curve.supplyC[0])) / (station.curve.outdoorC[1] - station.curve.outdoorC[0]),
  });
  e.prediction = { at: view.t, minC: p.minC, lowC: p.lowC, hours: p.hoursToCross, fitSource: fit.source, r2: fit.r2 };
  return e.prediction;
}

const n = (unit: string, zh: string, en: string, inputs: readonly string[], compute: SignalDef['compute'], needs?: readonly WindowNeed[]): SignalDef => ({
  type: 'number',
  unit,
  zh,
  en,
  inputs,
  compute,
  ...(needs === undefined ? {} : { needs }),
});

export const SIGNALS = {
  weather: rawSignals('weather'),
  station: {
    ...rawSignals('station'),
    /** Secondary ΔT. Radiators are designed for 20–25 K; a few kelvin means 大流量小温差. */
    dt2: n('K', '二次供回水温差', 'Secondary ΔT', ['t2_supply', 't2_return'], diff('t2_supply', 't2_return')),
    dt1: n('K', '一次供回水温差', 'Primary ΔT', ['t1_supply', 't1_return'], diff('t1_supply', 't1_return')),
    flow2_ratio: n('', '二次流量/设计流量', 'Secondary flow / design', ['flow2'], (view, e) => {
      const g = num(view.fresh(e, 'flow2'));
      const s = e.station;
      return g === undefined || s === undefined ? undefined : g / s.hydraulics.designFlow;
    }),
    comp_setpoint: n('°C', '气候补偿设定', 'Compensation set-point', [], setpoint),
    /** Secondary supply minus the station's own compensation curve at the outdoor temperature now. */
    comp_error: n('°C', '供温偏离补偿曲线', 'Supply minus curve', ['t2_supply'], (view, e) => {
      const sp = setpoint(view, e);
      const ts = num(view.fresh(e, 't2_supply'));
      return sp === undefined || ts === undefined ? undefined : ts - sp;
    }),
    plant_curve: n('°C', '热源供温曲线', 'Plant curve', [], plantCurve, [{ of: 'weather', signal: 't_outdoor', windowMs: PLANT_OUTDOOR_WINDOW_MS }]),
    /** Primary supply at the station minus the plant curve: trunk losses are a few kelvin, a plant drop is tens. */
    t1_gap: n('K', '一次供温偏差', 'Primary supply minus plant curve', ['t1_supply'], (view, e) => {
      const c = plantCurve(view, e);
      const t1 = num(view.fresh(e, 't1_supply'));
      return c === undefined || t1 === undefined ? undefined : t1 - c;
    }, [{ of: 'weather', signal: 't_outdoor', windowMs: PLANT_OUTDOOR_WINDOW_MS }]),
    /** Primary heat rate / design load: Q1 = 1.163·G1·(T1s − T1r). */
    q1_ratio: n('', '一次侧热负荷率', 'Primary heat / design', ['flow1', 't1_supply', 't1_return'], heatShare('flow1', 't1_supply', 't1_return')),
    q2_ratio: n('', '二次侧热负荷率', 'Secondary heat / design', ['flow2', 't2_supply', 't2_return'], heatShare('flow2', 't2_supply', 't2_return')),
    /** Secondary return pressure minus the network's static (fill) pressure the make-up pump holds. */
    p2_static_gap: n('MPa', '回水压力偏离定压', 'Return pressure minus static', ['p2_return'], (view, e) => {
      const p = num(view.fresh(e, 'p2_return'));
      return p === undefined || e.station === undefined ? undefined : p - e.station.hydraulics.staticPressureMpa;
    }),
    /** Exchanger energy balance: both sides carry the same heat (losses are small), so a gap means a bad meter. */
    heat_balance_error: n('', '一二次热量不平衡', 'Primary/secondary heat mismatch', ['flow1', 't1_supply', 't1_return', 'flow2', 't2_supply', 't2_return'], (view, e) => {
      const q1 = heatShare('flow1', 't1_supply', 't1_return')(view, e);
      const q2 = heatShare('flow2', 't2_supply', 't2_return')(view, e);
      if (q1 === undefined || q2 === undefined) return undefined;
      const big = Math.max(q1, q2);
      return big < 0.1 ? undefined : Math.abs(q1 - q2) / big;
    }),
  },
  compound: {
    ...rawSignals('compound'),
    /** Mean of the compound's fresh indoor sensors, without those a quality rule distrusts. */
    indoor: n('°C', '室温', 'Indoor temp.', ['t_indoor'], (view, e) => indoorSensors(view, e).mean),
    /**
     * The warmest trusted sensor: what the network delivers to the compound. A single cold flat
     * (top floor, corner, open window) is more often the flat than the network — 39.7 % of
     * "not warm" complaints are user-side — so compound under-heating is judged on this.
     */
    indoor_max: n('°C', '最高测点室温', 'Warmest indoor sensor', ['t_indoor'], (view, e) => indoorSensors(view, e).max),
    /**
     * The building temperature from the trusted sensors, each corrected for its flat's share of the
     * indoor–outdoor difference (learned against the heat meter); the warmest reading until then.
     */
    indoor_bldg: n('°C', '测点推算楼宇室温', 'Indoor temp. (sensors, flat-corrected)', ['t_indoor'], indoorBuilding),
    /** Highest minus lowest trusted indoor sensor: flats of one compound differ by a kelvin or two, not five. */
    indoor_spread: n('K', '室温测点差', 'Indoor sensor spread', [], (view, e) => indoorSensors(view, e).spread),
    /** Trusted indoor sensors; 0 when the compound's indoor readings as a whole are distrusted. */
    indoor_sensors_ok: n('', '可信室温测点数', 'Trusted indoor sensors', [], (view, e) => (e.isTrusted('t_indoor') ? indoorSensors(view, e).n : 0)),
    dt: n('K', '小区供回水温差', 'Compound ΔT', ['t_supply', 't_return'], diff('t_supply', 't_return')),
    flow_ratio: n('', '小区流量/设计流量', 'Compound flow / design', ['flow'], (view, e) => {
      const g = num(view.fresh(e, 'flow'));
      const c = e.compound;
      return g === undefined || c === undefined ? undefined : g / c.hydraulics.designFlow;
    }),
    /** Indoor temperature from the heat meter and the building's heat-loss coefficient (no indoor sensor needed). */
    indoor_est: n('°C', '热量推算室温', 'Indoor temp. from heat meter', ['flow', 't_supply', 't_return'], indoorEstimate),
    /** What the compound's rooms are judged at: the sensors (flat-corrected), else the heat-meter estimate. */
    indoor_now: n('°C', '判定室温', 'Indoor temp. (judged)', [], indoorNow),
    /** Lowest indoor temperature the learned response predicts over the horizon (12 h). */
    indoor_pred_min: n('°C', '预测最低室温', 'Predicted min. indoor', [], (view, e) => prediction(view, e)?.minC, [{ of: 'self', signal: 'indoor_now', windowMs: INDOOR_SMOOTH_MS }]),
    /** Lowest predicted over twice the horizon: how deep a predicted dip goes (a graze is not a warning). */
    indoor_pred_low: n('°C', '预测低谷室温', 'Predicted low (2× horizon)', [], (view, e) => prediction(view, e)?.lowC, [{ of: 'self', signal: 'indoor_now', windowMs: INDOOR_SMOOTH_MS }]),
    /** Hours until the predicted indoor temperature crosses the threshold (18 °C), within twice the horizon; unknown when it does not. */
    indoor_pred_hours: n('h', '预计低于18°C的小时数', 'Hours until below 18 °C', [], (view, e) => prediction(view, e)?.hours, [{ of: 'self', signal: 'indoor_now', windowMs: INDOOR_SMOOTH_MS }]),
  },
  primary: {},
} as const satisfies Record<Scope, Catalogue>;

export function signalDef(scope: Scope, name: string): SignalDef | undefined {
  const table: Catalogue = SIGNALS[scope];
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

export function signalNames(scope: Scope): string[] {
  return Object.keys(SIGNALS[scope]);
}
