// Scores alerts against ground truth, per rule and per fault class.
//
// An alert matches a truth item when its entity is the item's entity or lies below it in the
// network (a station fault explains alerts on its compounds; a sensor's fault, its compound's
// alert) and it opened within [start − leadMs, end + graceMs] (predictions may come early).
// Per class C: recall = faults of C matched by an alert of a rule that `detects` C; precision =
// such matched alerts / (those + false alarms), a false alarm being an alert of a rule listing C
// that no truth item of its own kind explains (an alert explained by another real fault — the
// supply falling during a pump trip — is neither); delay = first matching alert's opening −
// fault start (median reported). Per rule, precision counts every alert so explained.
// Kinds: a sensor rule (all its classes sensor-*) is explained only by sensor faults, any other
// rule only by physical faults and under-heating episodes — a frozen gauge does not cool homes,
// a clogged strainer does not freeze a gauge. Non-sensor alerts that only a sensor fault could
// explain are counted apart (`sensorOnly`): the pack must raise none.
// Under-heating episodes are the class 'underheating'.

import { median } from 'simple-statistics';
import type { NetworkModel } from '../domain/network';
import type { Alert } from './alert';
import type { RuleDef } from './rule-schema';
import { normalizeClass, UNDERHEATING_CLASS, type GroundTruth } from './truth';

export interface ScoreOptions {
  /** How long before a fault starts an alert may open and still count (early warnings). */
  readonly leadMs: number;
  /** How long after a fault ends an alert may open and still count. */
  readonly graceMs: number;
  /**
   * The replay window: only faults and episodes starting in [from, to) are scored, and only
   * alerts opening in it are counted (earlier ones are the warm-up). Items outside still explain
   * alerts, so an alert of a fault that began before the window is no false alarm.
   */
  readonly window?: { readonly from: number; readonly to: number };
  /** Whether a cold snap was on at a time (from the replayed weather; backtest-cold-snap.ts). */
  readonly coldSnapAt?: (t: number) => boolean;
}

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = { leadMs: 12 * 3_600_000, graceMs: 2 * 3_600_000 };

export interface ClassScore {
  readonly faultClass: string;
  readonly faults: number;
  readonly detected: number;
  readonly recall: number | undefined;
  readonly alerts: number;
  readonly truePositives: number;
  readonly precision: number | undefined;
  readonly medianDelayMs: number | undefined;
}

export interface RuleScore {
  readonly ruleId: string;
  readonly alerts: number;
  /** Alerts matching any truth item; undefined when no class the rule lists is in the truth. */
  readonly truePositives: number | undefined;
  readonly precision: number | undefined;
  readonly medianDelayMs: number | undefined;
}

export interface PredictionScore {
  /** Episodes a prediction rule warned about before they started. */
  readonly warned: number;
  readonly episodes: number;
  /** Share of episodes warned at least 6 h ahead. */
  readonly shareAtLeast6h: number | undefined;
  readonly medianLeadMs: number | undefined;
  /**
   * The same over weather-driven episodes only: no fault acting but a chronic imbalance
   * (tail-imbalance, or cause tail-end / cold-weather) that began at least 12 h before — the
   * ones the weather forecast can announce (a pump trip cannot be forecast).
   */
  readonly weatherDriven: EpisodeLeads;
  /** Weather-driven episodes that began during a cold snap (when the backtest knows the weather). */
  readonly coldSnap: EpisodeLeads | undefined;
}

export interface EpisodeLeads {
  readonly episodes: number;
  readonly warned: number;
  readonly shareAtLeast6h: number | undefined;
  readonly medianLeadMs: number | undefined;
  /** Per episode: compound, start, lead of the first warning (undefined: not warned before it). */
  readonly leads: readonly { readonly compoundId: string; readonly start: number; readonly leadMs: number | undefined }[];
}

/** Sensor faults alone (issue 4): non-sensor alerts whose only explanation is a sensor fault. */
export interface SensorOnlyScore {
  /** Sensor faults starting in the window. */
  readonly faults: number;
  /** Non-sensor alerts opened in the window that match a sensor fault and nothing physical. */
  readonly alerts: number;
  readonly underheatingAlerts: number;
  readonly ruleIds: readonly string[];
}

export interface Score {
  readonly byRule: readonly RuleScore[];
  readonly byClass: readonly ClassScore[];
  readonly prediction: PredictionScore;
  readonly sensorOnly: SensorOnlyScore;
}

interface Item {
  readonly cls: string;
  readonly weatherDriven: boolean;
  readonly compoundId?: string;
  readonly key: string;
  readonly entities: ReadonlySet<string>;
  readonly start: number;
  readonly end: number;
}

/** Entity keys (kind/id) at or below an entity id: what a fault there can show up on. */
function subtree(net: NetworkModel, id: string): Set<string> {
  const out = new Set<string>();
  const addStation = (sid: string): void => {
    out.add(`station/${sid}`);
    for (const c of net.compoundsOf(sid)) out.add(`compound/${c.id}`);
  };
  if (net.station(id) !== undefined) addStation(id);
  const c = net.compound(id);
  if (c !== undefined) out.add(`compound/${c.id}`);
  if (net.primaryNetwork(id) !== undefined) {
    out.add(`primary/${id}`);
    for (const s of net.stationsOf(id)) addStation(s.id);
  }
  for (const p of net.plants) {
    if (p.id !== id) continue;
    for (const n of net.primaryNetworks) if (n.plantId === id) for (const k of subtree(net, n.id)) out.add(k);
  }
  if (net.weatherSites.some((w) => w.id === id)) out.add(`weather/${id}`);
  for (const comp of net.compounds) if (comp.indoorSensors.includes(id)) out.add(`compound/${comp.id}`);
  return out;
}

/** Faults that act all the time and worsen with the cold: their episodes follow the weather. */
const CHRONIC = new Set(['tail-imbalance']);
const CHRONIC_AFTER_MS = 12 * 3_600_000;
/**
 * Rooms recover from an abrupt fault over hours (their time constant), so an episode that begins
 * this soon after such a fault on its station ended is the fault's aftermath — the simulator's
 * truth may call it cold weather when the fault ended minutes before — and no forecast announces it.
 */
const AFTERMATH_MS = 6 * 3_600_000;

const isSensorClass = (cls: string): boolean => cls.startsWith('sensor-');

export function scoreAlerts(allAlerts: readonly Alert[], truth: GroundTruth, rules: readonly RuleDef[], net: NetworkModel, opts: ScoreOptions = DEFAULT_SCORE_OPTIONS): Score {
  const detects = new Map(rules.map((r) => [r.id, new Set(r.detects.map(normalizeClass))]));
  const faultById = new Map(truth.faults.map((f) => [f.id, f]));
  const abrupt = truth.faults.filter((f) => !CHRONIC.has(f.type) && !isSensorClass(f.type)).map((f) => ({ f, entities: subtree(net, f.entity) }));
  const afterAbrupt = (e: GroundTruth['episodes'][number]): boolean =>
    abrupt.some(({ f, entities }) => entities.has(`compound/${e.compoundId}`) && f.start <= e.start && e.start <= f.end + AFTERMATH_MS);
  const weatherDriven = (e: GroundTruth['episodes'][number]): boolean => {
    if (afterAbrupt(e)) return false;
    if (e.cause === 'tail-end' || e.cause === 'cold-weather') return true;
    const f = e.faultId === undefined ? undefined : faultById.get(e.faultId);
    return f !== undefined && CHRONIC.has(f.type) && e.start - f.start >= CHRONIC_AFTER_MS;
  };
  const everything: Item[] = [
    ...truth.faults.map((f) => ({ cls: f.type, weatherDriven: false, key: `fault ${f.id}`, entities: subtree(net, f.entity), start: f.start, end: f.end })),
    ...truth.episodes.map((e, i) => ({
      cls: UNDERHEATING_CLASS,
      weatherDriven: weatherDriven(e),
      compoundId: e.compoundId,
      key: `episode ${i}`,
      entities: new Set([`compound/${e.compoundId}`]),
      start: e.start,
      end: e.end,
    })),
  ];
  const w = opts.window;
  const inWindow = (t: number): boolean => w === undefined || (t >= w.from && t < w.to);
  /** Scored: starting in the window. `everything` still explains alerts. */
  const items = everything.filter((i) => inWindow(i.start));
  const alerts = allAlerts.filter((a) => inWindow(a.openedAt));
  const classes = [...new Set(items.map((i) => i.cls))].sort();
  const matches = (a: Alert, it: Item): boolean =>
    it.entities.has(`${a.entity.kind}/${a.entity.id}`) && a.openedAt >= it.start - opts.leadMs && a.openedAt <= it.end + opts.graceMs;
  const listed = (a: Alert): ReadonlySet<string> => detects.get(a.ruleId) ?? new Set<string>();
  const sensorRule = new Map(rules.map((r) => [r.id, r.detects.length > 0 && r.detects.every((c) => isSensorClass(normalizeClass(c)))]));
  /** A truth item of the alert's own kind explains it (see the head comment). */
  const explains = (a: Alert, it: Item): boolean => (sensorRule.get(a.ruleId) ?? false) === isSensorClass(it.cls) && matches(a, it);

  const byClass: ClassScore[] = classes.map((cls) => {
    const ofClass = items.filter((i) => i.cls === cls);
    const candidates = alerts.filter((a) => listed(a).has(cls));
    const delays: number[] = [];
    let detected = 0;
    for (const it of ofClass) {
      const first = candidates.filter((a) => matches(a, it)).reduce<Alert | undefined>((m, a) => (m === undefined || a.openedAt < m.openedAt ? a : m), undefined);
      if (first === undefined) continue;
      detected++;
      delays.push(first.openedAt - it.start);
    }
    let tp = 0;
    let fp = 0;
    for (const a of candidates) {
      if (ofClass.some((it) => matches(a, it))) tp++;
      else if (!everything.some((it) => explains(a, it))) fp++;
    }
    return {
      faultClass: cls,
      faults: ofClass.length,
      detected,
      recall: ofClass.length === 0 ? undefined : detected / ofClass.length,
      alerts: tp + fp,
      truePositives: tp,
      precision: tp + fp === 0 ? undefined : tp / (tp + fp),
      medianDelayMs: delays.length === 0 ? undefined : median(delays),
    };
  });

  const present = new Set(classes);
  const byRule: RuleScore[] = rules.map((r) => {
    const mine = alerts.filter((a) => a.ruleId === r.id);
    const cls = [...(detects.get(r.id) ?? [])].filter((c) => present.has(c));
    if (cls.length === 0) return { ruleId: r.id, alerts: mine.length, truePositives: undefined, precision: undefined, medianDelayMs: undefined };
    const delays: number[] = [];
    let tp = 0;
    for (const a of mine) {
      const hit = everything.filter((it) => explains(a, it));
      if (hit.length === 0) continue;
      tp++;
      const own = hit.filter((it) => cls.includes(it.cls));
      if (own.length > 0) delays.push(a.openedAt - Math.min(...own.map((h) => h.start)));
    }
    return {
      ruleId: r.id,
      alerts: mine.length,
      truePositives: tp,
      precision: mine.length === 0 ? undefined : tp / mine.length,
      medianDelayMs: delays.length === 0 ? undefined : median(delays),
    };
  });

  const predictive = new Set(rules.filter((r) => r.category === 'prediction').map((r) => r.id));
  // Warnings may come from the warm-up too: a prediction made before the window still counts.
  const leadOf = (ep: Item): number | undefined => {
    const warn = allAlerts.filter((a) => predictive.has(a.ruleId) && a.openedAt <= ep.start && matches(a, ep));
    return warn.length === 0 ? undefined : ep.start - Math.min(...warn.map((a) => a.openedAt));
  };
  const summarise = (eps: readonly Item[]): EpisodeLeads => {
    const leads = eps.map(leadOf);
    const got = leads.filter((l): l is number => l !== undefined);
    return {
      warned: got.length,
      episodes: eps.length,
      shareAtLeast6h: eps.length === 0 ? undefined : got.filter((l) => l >= 6 * 3_600_000).length / eps.length,
      medianLeadMs: got.length === 0 ? undefined : median(got),
      leads: eps.map((e, i) => ({ compoundId: e.compoundId ?? '', start: e.start, leadMs: leads[i] })),
    };
  };
  const sensorOnlyAlerts = alerts.filter(
    (a) => !(sensorRule.get(a.ruleId) ?? false) && everything.some((it) => isSensorClass(it.cls) && matches(a, it)) && !everything.some((it) => !isSensorClass(it.cls) && matches(a, it)),
  );
  const sensorOnly: SensorOnlyScore = {
    faults: items.filter((i) => isSensorClass(i.cls)).length,
    alerts: sensorOnlyAlerts.length,
    underheatingAlerts: sensorOnlyAlerts.filter((a) => listed(a).has(UNDERHEATING_CLASS)).length,
    ruleIds: [...new Set(sensorOnlyAlerts.map((a) => a.ruleId))].sort(),
  };

  const episodes = items.filter((i) => i.cls === UNDERHEATING_CLASS);
  const all = summarise(episodes);
  const wdEpisodes = episodes.filter((e) => e.weatherDriven);
  const snap = opts.coldSnapAt;
  return {
    byRule,
    byClass,
    sensorOnly,
    prediction: {
      warned: all.warned,
      episodes: all.episodes,
      shareAtLeast6h: all.shareAtLeast6h,
      medianLeadMs: all.medianLeadMs,
      weatherDriven: summarise(wdEpisodes),
      coldSnap: snap === undefined ? undefined : summarise(wdEpisodes.filter((e) => snap(e.start))),
    },
  };
}
