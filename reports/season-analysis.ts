// The season analysis (issue 7): per compound, station and primary network over [from, to),
// from hourly aggregates of the telemetry store, the alert history, tickets and (when wired)
// proactive visits. Progress is reported per entity; an AbortSignal stops it between entities.

import { compensationSetpoint } from '../domain/compensation';
import { HeatError } from '../domain/errors';
import type { CompoundView, NetworkModel } from '../domain/network';
import type { Station } from '../domain/network-schema';
import type { AlertStore } from '../rules/alert-store';
import type { TicketStore, TicketCursor } from '../tickets/ticket-store';
import { isHeating, type TicketRecord } from '../tickets/ticket-model';
import type { TelemetryStore } from '../store/telemetry-store';
import type { VisitStore, VisitCursor } from '../visits/visit-store';
import { HOUR_MS, hourlyMany, hoursOf, type Hourly, type HourlyFields } from './hourly';
import type { CompoundRow, IndoorMethod, NetworkRow, SeasonFigures, SeasonReport, StationRow } from './season-model';
import { rankCandidates } from './repair-ranking';

export const COMFORT_C = 18;
/** Design indoor temperature the estimate is calibrated to, °C (GB 50736: 18–20 °C; the network's design uses 20). */
export const DESIGN_INDOOR_C = 20;
/** Design secondary ΔT, K, for the design mean water temperature. */
export const DESIGN_DELTA_T_K = 15;
export const SMALL_DT_K = 5;
export const VALVE_SATURATED_PCT = 99;
export const PUMP_STOP_HZ = 5;
const KWH_PER_M3H_K = 1.163;
const GJ_PER_KWH = 0.0036;

export interface SeasonDeps {
  readonly network: NetworkModel;
  readonly store: TelemetryStore;
  readonly alerts?: Pick<AlertStore, 'listAlerts'>;
  readonly tickets?: Pick<TicketStore, 'list'>;
  readonly visits?: Pick<VisitStore, 'list'>;
  readonly now?: () => number;
}

export interface SeasonRunOptions {
  /** Called with done/total after each entity. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** Time per grouped store read (stores with `aggregateMany`); default reports/hourly.ts. */
  readonly readWindowMs?: number;
}

export const MAX_RANGE_MS = 200 * 86_400_000;

export function checkRange(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new HeatError('BAD_REQUEST', 'from and to must be times (ISO 8601 or epoch ms)');
  if (to <= from) throw new HeatError('BAD_REQUEST', 'to must be after from');
  if (to - from > MAX_RANGE_MS) throw new HeatError('BAD_REQUEST', `a range of at most ${MAX_RANGE_MS / 86_400_000} days`);
}

interface StationHours {
  readonly t2Supply: Hourly;
  readonly pumpStop: number;
  readonly valveSat: number;
  readonly smallDt: number;
  readonly makeupM3: number;
  readonly heatGj: number;
}

interface Mutable {
  dh: number;
  below: number;
  alertHours: Record<string, number>;
  tickets: number;
  repeat: number;
  explained: number;
  correlated: number;
  visits: number;
  pumpStop: number;
  valveSat: number;
  smallDt: number;
  makeup: number;
  heatGj: number;
  households: number;
  area: number;
}

function empty(): Mutable {
  return { dh: 0, below: 0, alertHours: {}, tickets: 0, repeat: 0, explained: 0, correlated: 0, visits: 0, pumpStop: 0, valveSat: 0, smallDt: 0, makeup: 0, heatGj: 0, households: 0, area: 0 };
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export async function analyseSeason(deps: SeasonDeps, from: number, to: number, opts: SeasonRunOptions = {}): Promise<SeasonReport> {
  checkRange(from, to);
  const { network, store } = deps;
  const hours = hoursOf(from, to);
  const total = network.weatherSites.length + network.stations.length + network.compounds.length + 1;
  let done = 0;
  const checkCancel = (): void => {
    if (opts.signal?.aborted) throw new HeatError('CONFLICT', 'the season analysis was cancelled');
  };
  const step = (): void => {
    checkCancel();
    done += 1;
    opts.onProgress?.(done, total);
  };
  const notes: string[] = [];

  // Weather: hourly outdoor per site; heating degree-days base 18 °C.
  const read = { beforeRead: checkCancel, windowMs: opts.readWindowMs };
  const outdoor = new Map<string, Hourly>();
  await hourlyMany(store, 'weather', network.weatherSites.map((w) => w.id), ['t_outdoor'], from, to, {
    ...read,
    each: (id, h) => {
      outdoor.set(id, h.fields.get('t_outdoor') ?? new Map());
      step();
    },
  });
  const firstId = network.weatherSites[0]?.id;
  const firstSite = (firstId === undefined ? undefined : outdoor.get(firstId)) ?? new Map<number, number>();
  let hdh = 0;
  let outSum = 0;
  for (const v of firstSite.values()) {
    hdh += Math.max(0, COMFORT_C - v);
    outSum += v;
  }
  const heatingDegreeDays = r2(hdh / 24);
  const meanOutdoorC = firstSite.size > 0 ? r2(outSum / firstSite.size) : undefined;

  // Alerts, tickets and visits: once for the range, grouped by entity.
  const alertHours = new Map<string, Record<string, number>>();
  if (deps.alerts) {
    const list = await deps.alerts.listAlerts({ from, to, limit: 10_000 });
    if (list.length >= 10_000) notes.push('alerts: more than 10 000 in the range; alert hours count the newest 10 000 / 告警超过一万条，仅统计最新一万条');
    for (const a of list) {
      const end = a.clearedAt ?? (a.active ? to : a.lastSeenAt);
      const h = Math.max(0, Math.min(end, to) - Math.max(a.openedAt, from)) / HOUR_MS;
      const rec = alertHours.get(a.entity.id) ?? {};
      rec[a.category] = (rec[a.category] ?? 0) + h;
      alertHours.set(a.entity.id, rec);
    }
  } else notes.push('no alert store: alert hours are empty / 未接入告警库');

  const ticketsByCompound = new Map<string, TicketRecord[]>();
  let anyPhone = false;
  if (deps.tickets) {
    let after: TicketCursor | undefined;
    for (;;) {
      const page = await deps.tickets.list({ from, to, limit: 500, after, order: 'oldest' });
      for (const t of page.items) {
        if (!isHeating(t.category) || t.resolution.compoundId === undefined) continue;
        if (t.callerPhone !== undefined && t.callerPhone !== '') anyPhone = true;
        const l = ticketsByCompound.get(t.resolution.compoundId) ?? [];
        l.push(t);
        ticketsByCompound.set(t.resolution.compoundId, l);
      }
      if (page.next === undefined) break;
      after = page.next;
    }
    if (!anyPhone) notes.push('tickets carry no caller phone: repeat callers are not counted / 工单无来电号码，未统计重复来电');
  } else notes.push('no ticket store: ticket figures are empty / 未接入工单库');

  const visitsByCompound = new Map<string, number>();
  if (deps.visits) {
    let after: VisitCursor | undefined;
    for (;;) {
      const page = await deps.visits.list({ from, to, limit: 500, after });
      for (const v of page.items) visitsByCompound.set(v.compoundId, (visitsByCompound.get(v.compoundId) ?? 0) + 1);
      if (page.next === undefined) break;
      after = page.next;
    }
  } else notes.push('no visit store: proactive visits are not counted / 未接入主动上门数据');

  // Stations.
  const stationHours = new Map<string, StationHours>();
  await hourlyMany(store, 'station', network.stations.map((s) => s.id), STATION_FIELDS, from, to, {
    ...read,
    each: (id, h) => {
      const s = network.station(id);
      if (s) stationHours.set(id, stationFigures(h, s));
      step();
    },
  });

  // Compounds: fetch every compound's hours, fit k where indoor sensors measure, then compute.
  const fetchedById = new Map<string, { c: CompoundView; s: Station; h: HourlyFields }>();
  const withStation = network.compounds.filter((c) => network.station(c.stationId) !== undefined);
  await hourlyMany(store, 'compound', withStation.map((c) => c.id), COMPOUND_FIELDS, from, to, {
    ...read,
    each: (id, h) => {
      const c = network.compound(id);
      const s = c && network.station(c.stationId);
      if (c && s) fetchedById.set(id, { c, s, h });
      step();
    },
  });
  // Network order, whatever order the reads finished in.
  const fetched = network.compounds.flatMap((c) => fetchedById.get(c.id) ?? []);
  const fitted = fetched.map((x) => fitK(x.h, outdoor.get(x.s.weatherSiteId) ?? new Map())).filter((f): f is IndoorFit => f !== undefined);
  const kMed = median(fitted.map((f) => f.k));
  const bMed = median(fitted.map((f) => f.b));
  const measuredFit: IndoorFit | undefined = kMed !== undefined && bMed !== undefined ? { k: kMed, b: bMed } : undefined;
  if (measuredFit === undefined) notes.push('no indoor sensor to calibrate the estimate: k from design values only / 无室温数据校准，按设计参数估算');
  const compounds: CompoundRow[] = [];
  for (const { c, s, h } of fetched) {
    const sh = stationHours.get(s.id);
    const stArea = network.compoundsOf(s.id).reduce((a, x) => a + x.areaM2, 0);
    compounds.push(
      compoundRow(h, c, s, hours, outdoor.get(s.weatherSiteId) ?? new Map(), sh, stArea, measuredFit ?? { k: estimateK(network, s), b: 0 }, {
        alerts: alertHours.get(c.id) ?? {},
        tickets: ticketsByCompound.get(c.id) ?? [],
        anyPhone,
        visits: deps.visits ? (visitsByCompound.get(c.id) ?? 0) : undefined,
      }),
    );
  }

  // Stations and networks: households-weighted sums of their compounds, station-level figures from the station.
  const stations: StationRow[] = network.stations.map((s) => {
    const rows = compounds.filter((c) => c.stationId === s.id);
    const sh = stationHours.get(s.id);
    const m = sumRows(rows);
    if (sh) {
      m.pumpStop = sh.pumpStop;
      m.valveSat = sh.valveSat;
      m.smallDt = sh.smallDt;
      m.makeup = sh.makeupM3;
      m.heatGj = sh.heatGj;
    }
    addAlerts(m.alertHours, alertHours.get(s.id) ?? {});
    return { id: s.id, name: s.name, primaryNetworkId: s.primaryNetworkId, compounds: rows.length, ...figures(m, anyPhone, deps.visits !== undefined) };
  });
  const networks: NetworkRow[] = network.primaryNetworks.map((n) => {
    const sts = stations.filter((s) => s.primaryNetworkId === n.id);
    const rows = compounds.filter((c) => c.primaryNetworkId === n.id);
    const m = sumRows(rows);
    m.pumpStop = sts.reduce((a, s) => a + s.pumpStopHours, 0);
    m.valveSat = sts.reduce((a, s) => a + s.valveSaturatedHours, 0);
    m.smallDt = sts.reduce((a, s) => a + s.smallDeltaTHours, 0);
    m.makeup = sts.reduce((a, s) => a + s.makeupWaterM3, 0);
    m.heatGj = sts.reduce((a, s) => a + s.heatGjPerM2 * s.areaM2, 0);
    for (const s of sts) addAlerts(m.alertHours, s.alertHours);
    addAlerts(m.alertHours, alertHours.get(n.id) ?? {});
    return { id: n.id, name: n.name, stations: sts.length, ...figures(m, anyPhone, deps.visits !== undefined) };
  });

  const candidates = rankCandidates(network, compounds, stations);
  step();
  return {
    from,
    to,
    generatedAt: (deps.now ?? Date.now)(),
    hours: hours.length,
    heatingDegreeDays,
    meanOutdoorC,
    compounds,
    stations,
    networks,
    candidates,
    notes,
  };
}

const STATION_FIELDS = ['t2_supply', 't2_return', 'flow2', 'valve_pct', 'pump_hz', 'makeup_flow', 'heat_gj'];
const COMPOUND_FIELDS = ['t_supply', 't_return', 'flow', 'dp', 't_indoor'];

function addAlerts(into: Record<string, number>, add: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(add)) into[k] = r2((into[k] ?? 0) + v);
}

/** Sums of compound rows; degree-hours and ticket rates weighted by households. */
function sumRows(rows: readonly CompoundRow[]): Mutable {
  const m = empty();
  for (const c of rows) {
    m.households += c.households;
    m.area += c.areaM2;
    m.dh += c.underheatingDegreeHoursPerHousehold * c.households;
    m.below += c.hoursBelow18 * c.households;
    m.tickets += c.heatingTickets;
    m.repeat += c.repeatCallers ?? 0;
    m.visits += c.proactiveVisits ?? 0;
    m.correlated += c.correlatedTickets;
    m.explained += (c.explainedShare ?? 0) * c.correlatedTickets;
    m.heatGj += c.heatGjPerM2 * c.areaM2;
    addAlerts(m.alertHours, c.alertHours);
  }
  m.dh = m.households > 0 ? m.dh / m.households : 0;
  m.below = m.households > 0 ? m.below / m.households : 0;
  return m;
}

function figures(m: Mutable, anyPhone: boolean, visits: boolean): SeasonFigures {
  return {
    households: m.households,
    areaM2: m.area,
    underheatingDegreeHoursPerHousehold: r2(m.dh),
    hoursBelow18: r2(m.below),
    alertHours: m.alertHours,
    heatingTickets: m.tickets,
    ticketsPer1000Households: m.households > 0 ? r2((m.tickets * 1000) / m.households) : 0,
    repeatCallers: anyPhone ? m.repeat : undefined,
    correlatedTickets: m.correlated,
    explainedShare: m.correlated > 0 ? r4(m.explained / m.correlated) : undefined,
    proactiveVisits: visits ? m.visits : undefined,
    pumpStopHours: m.pumpStop,
    valveSaturatedHours: m.valveSat,
    smallDeltaTHours: m.smallDt,
    makeupWaterM3: r2(m.makeup),
    heatGjPerM2: m.area > 0 ? r4(m.heatGj / m.area) : 0,
  };
}

function stationFigures(h: HourlyFields, s: Station): StationHours {
  const f = (k: string): Hourly => h.fields.get(k) ?? new Map();
  const sup = f('t2_supply');
  const ret = f('t2_return');
  const flow = f('flow2');
  const hz = f('pump_hz');
  let pumpStop = 0;
  let valveSat = 0;
  let smallDt = 0;
  let makeupM3 = 0;
  for (const v of hz.values()) if (v < PUMP_STOP_HZ) pumpStop += 1;
  // Without a frequency reading, an hour of (almost) no secondary flow is a stopped pump.
  if (hz.size === 0) for (const v of flow.values()) if (v < 0.05 * s.hydraulics.designFlow) pumpStop += 1;
  for (const v of f('valve_pct').values()) if (v >= VALVE_SATURATED_PCT) valveSat += 1;
  for (const [t, v] of sup) {
    const r = ret.get(t);
    const g = flow.get(t);
    if (r !== undefined && (g === undefined || g > 0.05 * s.hydraulics.designFlow) && v - r < SMALL_DT_K) smallDt += 1;
  }
  for (const v of f('makeup_flow').values()) makeupM3 += Math.max(0, v);
  // The heat meter is cumulative: sum the increases between hours (a meter reset counts nothing).
  let heatGj = 0;
  let prev: number | undefined;
  for (const t of [...f('heat_gj').keys()].sort((a, b) => a - b)) {
    const v = f('heat_gj').get(t) ?? 0;
    if (prev !== undefined && v > prev) heatGj += v - prev;
    prev = v;
  }
  return { t2Supply: sup, pumpStop, valveSat, smallDt, makeupM3, heatGj };
}

interface CompoundExtras {
  readonly alerts: Readonly<Record<string, number>>;
  readonly tickets: readonly TicketRecord[];
  readonly anyPhone: boolean;
  readonly visits: number | undefined;
}

/**
 * k of the steady-state estimate T_in ≈ T_out + (T_mw − T_out)·k, from the design point: at the
 * design outdoor temperature, the curve's supply and the design ΔT give the design indoor temperature.
 */
export function estimateK(network: NetworkModel, s: Station): number {
  const tOut = network.designOutdoorC;
  const tMw = compensationSetpoint(s.curve, tOut) - DESIGN_DELTA_T_K / 2;
  return (DESIGN_INDOOR_C - tOut) / Math.max(1, tMw - tOut);
}

/** Mean of the trusted sensors this hour (plausible value, not frozen), or undefined. */
function measuredAt(h: HourlyFields, t: number): number | undefined {
  let sum = 0;
  let n = 0;
  for (const sensor of h.sensors.values()) {
    const v = sensor.mean.get(t);
    if (v === undefined || v < 5 || v > 35 || sensor.flat.has(t)) continue;
    sum += v;
    n += 1;
  }
  return n > 0 ? sum / n : undefined;
}

/** The steady-state estimate T_in ≈ T_out + k·(T_mw − T_out) + b (b: internal and solar gains, K). */
export interface IndoorFit {
  readonly k: number;
  readonly b: number;
}

/** k and b fitted on a compound with indoor sensors: least squares of (T_in − T_out) on (T_mw − T_out). */
export function fitK(h: HourlyFields, outdoor: Hourly): IndoorFit | undefined {
  const sup = h.fields.get('t_supply');
  const ret = h.fields.get('t_return');
  if (!sup || !ret || h.sensors.size === 0) return undefined;
  let xy = 0;
  let xx = 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (const [t, ts] of sup) {
    const tr = ret.get(t);
    const to = outdoor.get(t);
    const tin = measuredAt(h, t);
    if (tr === undefined || to === undefined || tin === undefined) continue;
    const x = (ts + tr) / 2 - to;
    const y = tin - to;
    xy += x * y;
    xx += x * x;
    sx += x;
    sy += y;
    n += 1;
  }
  const den = n * xx - sx * sx;
  if (n < 12 || den <= 1e-9) return undefined;
  const k = (n * xy - sx * sy) / den;
  // A fit outside physical bounds (too few distinct hours) is not trusted.
  if (k <= 0.1 || k >= 1) return undefined;
  return { k, b: (sy - k * sx) / n };
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function compoundRow(
  h: HourlyFields,
  c: CompoundView,
  s: Station,
  hours: readonly number[],
  outdoor: Hourly,
  sh: StationHours | undefined,
  stationAreaM2: number,
  fit: IndoorFit,
  x: CompoundExtras,
): CompoundRow {
  // Rooms follow the water with the building's time constant: the steady state is lagged.
  const lag = 1 - Math.exp(-1 / c.hydraulics.timeConstantH);
  let lagged: number | undefined;
  const f = (k: string): Hourly => h.fields.get(k) ?? new Map();
  const sup = f('t_supply');
  const ret = f('t_return');
  const flow = f('flow');
  let dh = 0;
  let below = 0;
  let measuredHours = 0;
  let estimatedHours = 0;
  let indoorSum = 0;
  let indoorN = 0;
  let smallDt = 0;
  let heatKwh = 0;
  let dataHours = 0;
  let dropSum = 0;
  let dropN = 0;
  for (const t of hours) {
    const ts = sup.get(t);
    const tr = ret.get(t);
    const g = flow.get(t);
    if (ts !== undefined || g !== undefined) dataHours += 1;
    let tin = measuredAt(h, t);
    if (tin !== undefined) {
      measuredHours += 1;
    } else {
      const to = outdoor.get(t);
      if (to !== undefined && ts !== undefined && tr !== undefined) {
        const steady = to + ((ts + tr) / 2 - to) * fit.k + fit.b;
        lagged = lagged === undefined ? steady : lagged + (steady - lagged) * lag;
        tin = lagged;
        estimatedHours += 1;
      }
    }
    if (tin !== undefined) {
      indoorSum += tin;
      indoorN += 1;
      if (tin < COMFORT_C) {
        dh += COMFORT_C - tin;
        below += 1;
      }
    }
    if (ts !== undefined && tr !== undefined && g !== undefined) {
      if (g > 0.05 * c.hydraulics.designFlow && ts - tr < SMALL_DT_K - 2) smallDt += 1;
      heatKwh += Math.max(0, g * (ts - tr) * KWH_PER_M3H_K);
    }
    const st = sh?.t2Supply.get(t);
    if (ts !== undefined && st !== undefined) {
      dropSum += st - ts;
      dropN += 1;
    }
  }
  // Cold-snap flow: the coldest quarter of the hours with both outdoor and flow readings.
  const paired = hours.filter((t) => outdoor.has(t) && flow.has(t)).sort((a, b) => (outdoor.get(a) ?? 0) - (outdoor.get(b) ?? 0));
  const cold = paired.slice(0, Math.max(1, Math.ceil(paired.length / 4)));
  const coldFlowRatio = paired.length > 0 ? r2(cold.reduce((a, t) => a + (flow.get(t) ?? 0), 0) / cold.length / c.hydraulics.designFlow) : undefined;

  const method: IndoorMethod = measuredHours === 0 && estimatedHours === 0 ? 'none' : measuredHours >= estimatedHours ? 'measured' : 'estimated';
  const heating = x.tickets;
  const phones = new Map<string, number>();
  for (const t of heating) if (t.callerPhone) phones.set(t.callerPhone, (phones.get(t.callerPhone) ?? 0) + 1);
  const correlated = heating.filter((t) => t.correlation?.verdict === 'explained' || t.correlation?.verdict === 'unexplained');
  const explained = correlated.filter((t) => t.correlation?.verdict === 'explained').length;
  const areaShare = stationAreaM2 > 0 ? c.areaM2 / stationAreaM2 : 0;
  const row: CompoundRow = {
    id: c.id,
    name: c.name,
    stationId: s.id,
    stationName: s.name,
    primaryNetworkId: s.primaryNetworkId,
    tailEnd: c.tailEnd,
    indoorMethod: method,
    indoorSensors: c.indoorSensors.length,
    dataCoverage: hours.length > 0 ? r2(dataHours / hours.length) : 0,
    coldFlowRatio,
    supplyDropK: dropN > 0 ? r2(dropSum / dropN) : undefined,
    meanIndoorC: indoorN > 0 ? r2(indoorSum / indoorN) : undefined,
    households: c.households,
    areaM2: c.areaM2,
    underheatingDegreeHoursPerHousehold: r2(dh),
    hoursBelow18: below,
    alertHours: Object.fromEntries(Object.entries(x.alerts).map(([k2, v]) => [k2, r2(v)])),
    heatingTickets: heating.length,
    ticketsPer1000Households: r2((heating.length * 1000) / c.households),
    repeatCallers: x.anyPhone ? [...phones.values()].filter((n) => n >= 2).length : undefined,
    explainedShare: correlated.length > 0 ? r4(explained / correlated.length) : undefined,
    proactiveVisits: x.visits,
    // Station-level equipment hours apply to every compound it feeds; make-up water by area share.
    pumpStopHours: sh?.pumpStop ?? 0,
    valveSaturatedHours: sh?.valveSat ?? 0,
    smallDeltaTHours: smallDt,
    makeupWaterM3: r2((sh?.makeupM3 ?? 0) * areaShare),
    heatGjPerM2: r4((heatKwh * GJ_PER_KWH) / c.areaM2),
    correlatedTickets: correlated.length,
  };
  return row;
}
