// The rules engine: consumes telemetry in event time and turns it into alerts and incidents.
//
// Lifecycle: createRulesEngine() compiles the rules (invalid rules throw CONFIG_INVALID before
// anything runs). Then, from one thread of control:
//   - ingest(batch) for every telemetry batch (TelemetryBus live, or a replay of stored history);
//     readings wait in a reorder buffer until the watermark (newest event time − allowed lateness)
//     passes them, then each instant is applied and evaluated in time order;
//   - advanceWatermark(t) when time moves on without data (live: every few seconds with
//     clock.now() − lateness, so silent stations go stale; replay: +Infinity at the end to flush);
//   - operator actions (acknowledge/comment/shelve/clear) and setEnabled from the API;
//   - flush() to await the store writes (shutdown, tests).
// Events go to onEvent synchronously; store writes are queued and never block ingest.
// Late readings (at or before the watermark) are dropped, counted and logged: the same input
// within the lateness gives the same alerts whatever the batching or arrival order.

import type { Clock } from '../domain/clock';
import { FIELDS, type FieldSpec } from '../domain/fields';
import type { NetworkModel } from '../domain/network';
import { HeatError } from '../domain/errors';
import type { Metric } from '../domain/telemetry';
import { cloneAlert, type Alert } from './alert';
import { AlertManager } from './alert-manager';
import type { AlertStore } from './alert-store';
import { FALSE, TRUE, type EvidenceItem } from './compile-condition';
import { compileRule, type CompiledRule } from './compile-rule';
import { isOn, newTracker, noteActivation, stepOff, stepOn, type Tracker } from './condition-tracker';
import { applyPlan, planSignals, type SignalPlan } from './engine-plan';
import { resolveTuning, type EngineTuningInput } from './engine-options';
import { EngineView } from './engine-view';
import { buildEntityStates, describeEntity } from './entity-graph';
import type { EntityState } from './entity-state';
import type { RulesEvent } from './events';
import { ReorderBuffer } from './event-time';
import type { ForecastProvider } from './forecast';
import type { Incident } from './incident';
import { IncidentGrouper } from './incidents';
import type { QualityChecker } from './quality-checks';
import type { Category, Role, RuleDef } from './rule-schema';
import { SCOPE_ORDER, SCOPES, type Scope } from './scope';
import { createSeasonCheck } from './season';
import { FIELD_SLOTS } from './series-slots';
import { signalDef, type SignalDef } from './signals';
import { WriteQueue } from './write-queue';

/** The subset of pino the engine uses. */
export interface RulesLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RulesEngineOptions {
  readonly network: NetworkModel;
  readonly rules: readonly RuleDef[];
  readonly alertStore: AlertStore;
  readonly clock: Clock;
  readonly logger?: RulesLogger;
  readonly onEvent: (e: RulesEvent) => void;
  readonly forecast?: ForecastProvider;
  readonly tuning?: EngineTuningInput;
}

export interface RuleInfo {
  readonly id: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly doc: string;
  readonly type: 'condition' | 'quality';
  readonly scope: readonly Scope[];
  readonly category: Category;
  readonly role: Role;
  readonly severity: string;
  readonly detects: readonly string[];
  readonly enabled: boolean;
}

export interface IngestResult {
  readonly accepted: number;
  readonly late: number;
  readonly unknownEntity: number;
  readonly future: number;
}

export interface RestoreResult {
  readonly restored: number;
  /** Alerts of rules that are not loaded any more: cleared, not restored. */
  readonly retired: number;
}

export interface EngineStats {
  readonly watermark: number;
  readonly maxEventTime: number;
  readonly pending: number;
  readonly accepted: number;
  readonly late: number;
  readonly unknownEntity: number;
  readonly unknownField: number;
  readonly future: number;
  readonly forcedAdvances: number;
  readonly instants: number;
  readonly ticks: number;
  readonly evaluations: number;
  readonly liveAlerts: number;
  readonly openIncidents: number;
  readonly storeWriteFailures: number;
  readonly windowOverflow: number;
  readonly eventListenerErrors: number;
}

export interface RulesEngine {
  /**
   * After a restart, once, before the first ingest: the store's live (not cleared) alerts and
   * open incidents become live again — one per rule and entity, with their timers — so repeats
   * update them instead of opening duplicates. Alerts of rules no longer loaded are cleared.
   */
  restore(alerts: readonly Alert[], incidents: readonly Incident[]): RestoreResult;
  ingest(batch: readonly Metric[]): IngestResult;
  advanceWatermark(t: number): void;
  watermark(): number;
  listRules(): RuleInfo[];
  setEnabled(ruleId: string, enabled: boolean): RuleInfo;
  acknowledge(alertId: string, who: string, comment?: string): Alert;
  comment(alertId: string, who: string, comment: string): Alert;
  shelve(alertId: string, who: string, comment?: string, forMs?: number): Alert;
  clear(alertId: string, who: string, comment?: string): Alert;
  /** Live (not cleared) alerts, oldest first. */
  alerts(): Alert[];
  alert(id: string): Alert | undefined;
  incidents(): Incident[];
  stats(): EngineStats;
  flush(): Promise<void>;
}

const MEASUREMENTS = new Set<string>(['station', 'compound', 'weather']);

interface FieldPlan {
  readonly spec: FieldSpec;
  /** The field's series slot (indoor readings: the sensor's, per entity). */
  readonly slot: number;
  /** Quality checkers reading the field, with their rule's index (to look up whether it is enabled). */
  readonly checkers: readonly { readonly q: QualityChecker; readonly rule: number }[];
  /** Some rule keeps a window of this raw field. */
  readonly windowed: boolean;
}

export function createRulesEngine(o: RulesEngineOptions): RulesEngine {
  const tuning = resolveTuning(o.tuning);
  const { network, clock } = o;
  const log = o.logger;
  const compiled = o.rules.map((r) => compileRule(r, tuning.tickMs)).sort((a, b) => a.stage - b.stage);
  const byId = new Map(compiled.map((r) => [r.id, r]));
  if (byId.size !== compiled.length) throw new HeatError('CONFIG_INVALID', 'rules: duplicate rule ids');
  /** Position of each rule: indexes `on` and the per-entity trackers (no string keys per evaluation). */
  const indexOf = new Map(compiled.map((r, i) => [r, i]));
  const on = compiled.map((r) => r.def.enabled);
  const isOnRule = (id: string): boolean => {
    const r = byId.get(id);
    return r !== undefined && on[indexOf.get(r) as number] === true;
  };
  const inSeason = createSeasonCheck(tuning.season);

  const states = buildEntityStates(network);
  /** measurement → id → state: found without building a key string per reading. */
  const byKind = new Map<string, Map<string, EntityState>>();
  for (const e of states.values()) {
    let m = byKind.get(e.kind);
    if (m === undefined) byKind.set(e.kind, (m = new Map()));
    m.set(e.id, e);
  }
  const stateOf = (m: Metric): EntityState | undefined => (MEASUREMENTS.has(m.measurement) ? byKind.get(m.measurement)?.get(m.tags.id) : undefined);
  const plan: SignalPlan = planSignals(compiled.flatMap((r) => r.uses));
  applyPlan(plan, states.values());
  const view = new EngineView(network, o.forecast, tuning.prediction, tuning.staleAfterMs);

  /** Rules per scope and stage (0, 1, 2), with their index. */
  const rulesOf = Object.fromEntries(
    SCOPES.map((s) => [s, [0, 1, 2].map((stage) => compiled.flatMap((r, i) => (r.stage === stage && r.scopes.includes(s) ? [{ r, i }] : [])))]),
  ) as Record<Scope, { r: CompiledRule; i: number }[][]>;
  /** Per measurement kind and field: its spec and the quality checkers that read it (one lookup per value). */
  const fieldPlans = new Map<string, Map<string, FieldPlan>>();
  const staleRules: CompiledRule[] = [];
  for (const kind of ['station', 'compound', 'weather'] as const) {
    const plans = new Map<string, FieldPlan>();
    for (const [field, spec] of Object.entries(FIELDS[kind]) as [string, FieldSpec][]) {
      const qs = compiled.flatMap((r, i) => (r.quality !== undefined && r.scopes.includes(kind) && (r.quality.fields === undefined || r.quality.fields.includes(field)) ? [{ q: r.quality, rule: i }] : []));
      plans.set(field, { spec, slot: FIELD_SLOTS[kind].get(field) as number, checkers: qs, windowed: plan.windows[kind].has(field) });
    }
    fieldPlans.set(kind, plans);
  }
  for (const r of compiled) if (r.quality?.onTick !== undefined) staleRules.push(r);
  const staleIdx = staleRules.map((r) => indexOf.get(r) as number);
  /** Derived signals to compute per scope, resolved once. */
  const derivedDefs = Object.fromEntries(
    SCOPES.map((sc) => [sc, plan.derived[sc].flatMap((name) => {
      const def = signalDef(sc, name);
      return def?.compute === undefined ? [] : [{ name, slot: plan.derived[sc].indexOf(name), compute: def.compute, windowed: plan.windows[sc].has(name) }];
    })]),
  ) as Record<Scope, { name: string; slot: number; compute: NonNullable<SignalDef['compute']>; windowed: boolean }[]>;

  let eventErrors = 0;
  const emit = (e: RulesEvent): void => {
    try {
      o.onEvent(e);
    } catch (err) {
      eventErrors++;
      log?.error({ err, type: e.type }, 'rules event listener threw');
    }
  };
  const queue = new WriteQueue((err, what) => log?.error({ err, what }, 'alert store write failed'));
  // The grouper and the alert manager call each other; both are built before either is used.
  const grouper: IncidentGrouper = new IncidentGrouper({
    network,
    minStations: tuning.minStationsForNetworkIncident,
    minShare: tuning.minShareForNetworkIncident,
    isUpstream: (id) => byId.get(id)?.def.upstream === true,
    setIncident: (a, id, t) => alerts.setIncident(a, id, t),
    emit,
    persist: (i) => queue.push(`incident ${i.id}`, () => o.alertStore.putIncident(i)),
  });
  const alerts: AlertManager = new AlertManager({
    store: o.alertStore,
    clock,
    emit,
    describe: (kind, id) => describeEntity(network, kind, id),
    autoClearMs: tuning.autoClearMs,
    shelveDefaultMs: tuning.shelveDefaultMs,
    shelveMaxMs: tuning.shelveMaxMs,
    onChange: (a, t) => grouper.onAlertChange(a, t),
    queue,
  });

  const primaryOf = new Map<EntityState, EntityState>();
  for (const e of states.values()) {
    const pn = e.kind === 'station' ? e.station?.primaryNetworkId : undefined;
    const p = pn === undefined ? undefined : states.get(`primary/${pn}`);
    if (p !== undefined) primaryOf.set(e, p);
  }

  const buffer = new ReorderBuffer();
  let watermark = Number.NEGATIVE_INFINITY;
  let maxSeen = Number.NEGATIVE_INFINITY;
  let nextTick: number | undefined;
  const n = { accepted: 0, late: 0, unknownEntity: 0, unknownField: 0, future: 0, forced: 0, instants: 0, ticks: 0, evaluations: 0 };

  function chatterOf(r: CompiledRule): { transitions: number; windowMs: number } {
    const c = r.def.chatter;
    return c === undefined ? tuning.chatter : { transitions: c.transitions, windowMs: c.window };
  }

  function evalRule(r: CompiledRule, i: number, e: EntityState, t: number): void {
    n.evaluations++;
    view.beginRead();
    e.ignoring = r.def.marksUntrusted.length > 0 ? r.id : undefined;
    try {
      judge(r, i, e, t);
    } finally {
      e.ignoring = undefined;
    }
  }

  function judge(r: CompiledRule, i: number, e: EntityState, t: number): void {
    let tr = e.trackers[i];
    const seasonOk = !r.def.season || inSeason(t);
    if (tr === undefined || !isOn(tr)) {
      const holds = seasonOk ? r.fire(view, e, false, undefined) : FALSE;
      if (tr === undefined) {
        if (holds !== TRUE) return;
        tr = newTracker();
        e.trackers[i] = tr;
      }
      if (stepOff(tr, t, holds, r.def.for) === 'activate') activate(r, e, tr, t);
      return;
    }
    const key = AlertManager.key(r.id, e.key);
    const released = seasonOk ? r.released(view, e) : TRUE;
    if (stepOn(tr, t, released, r.def.clearFor) === 'deactivate') {
      alerts.deactivate(key, t);
      for (const f of r.def.marksUntrusted) e.unmark(f, r.id);
      return;
    }
    const v = r.primary(view, e);
    alerts.observe(key, t, r.severity(view, e), v === undefined ? null : v);
  }

  function activate(r: CompiledRule, e: EntityState, tr: Tracker, t: number): void {
    const items: EvidenceItem[] = [];
    r.fire(view, e, false, items);
    const chatter = chatterOf(r);
    const recent = noteActivation(tr, t, chatter.windowMs, chatter.transitions);
    const v = r.primary(view, e);
    alerts.activate(r, e.kind, e.id, t, {
      severity: r.severity(view, e),
      value: v === undefined ? null : v,
      evidence: { from: tr.firedFrom, to: t, items, show: r.show(view, e) },
      recentActivations: recent,
      chatter,
    });
    for (const f of r.def.marksUntrusted) e.mark(f, r.id);
  }

  function applyMetric(m: Metric, e: EntityState, t: number): void {
    const plans = fieldPlans.get(e.kind);
    const sensor = m.tags.sensor ?? '';
    for (const field in m.fields) {
      const v = m.fields[field];
      const fp = plans?.get(field);
      if (fp === undefined || v === undefined || typeof v !== fp.spec.type) {
        n.unknownField++;
        continue;
      }
      const indoor = field === 't_indoor';
      const slot = indoor ? e.sensorSlot(sensor) : fp.slot;
      const series = indoor ? e.seriesKey(slot) : field;
      let exclude = false;
      for (const c of fp.checkers) if (on[c.rule] === true && c.q.onSample(e, series, slot, field, t, v)) exclude = true;
      if (exclude) continue;
      e.setLatest(slot, v, t);
      if (fp.windowed && typeof v === 'number' && !indoor) e.pushWindows(field, t, v);
    }
    e.lastSeen = t;
  }

  function evaluate(t: number, dirty: Set<EntityState>): void {
    view.t = t;
    const list = [...dirty];
    if (list.length > 1) list.sort((a, b) => SCOPE_ORDER[a.kind] - SCOPE_ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const e of list) {
      view.beginRead();
      for (const d of derivedDefs[e.kind]) {
        const v = d.compute(view, e);
        if (v === undefined) {
          e.derived.clear(d.slot);
          continue;
        }
        e.derived.set(d.slot, v, t);
        if (d.windowed && typeof v === 'number') e.pushWindows(d.name, t, v);
      }
    }
    for (let stage = 0; stage <= 2; stage++) {
      for (const e of list) {
        for (const { r, i } of rulesOf[e.kind][stage] as { r: CompiledRule; i: number }[]) if (on[i] === true) evalRule(r, i, e, t);
      }
    }
  }

  function processInstant(): void {
    const next = buffer.takeEarliest();
    if (next === undefined) return;
    const { time: t, metrics } = next;
    n.instants++;
    if (nextTick === undefined) nextTick = Math.floor(t / tuning.tickMs) * tuning.tickMs + tuning.tickMs;
    const dirty = new Set<EntityState>();
    for (const m of metrics) {
      const e = stateOf(m);
      if (e === undefined) continue;
      applyMetric(m, e, t);
      dirty.add(e);
      if (e.kind === 'station') {
        const p = primaryOf.get(e);
        if (p !== undefined) dirty.add(p);
      }
    }
    evaluate(t, dirty);
  }

  function processTick(t: number): void {
    n.ticks++;
    view.t = t;
    staleRules.forEach((r, k) => {
      const i = staleIdx[k] as number;
      if (on[i] !== true) return;
      const changed = r.quality?.onTick?.(t) ?? [];
      for (const e of changed) evalRule(r, i, e, t);
    });
    alerts.sweep(t);
  }

  function advance(target: number): void {
    if (!(target > watermark)) return;
    for (;;) {
      const td = buffer.peekTime();
      const nt = nextTick;
      if (td !== undefined && td <= target && (nt === undefined || td <= nt)) {
        processInstant();
        continue;
      }
      if (nt !== undefined && nt <= target) {
        processTick(nt);
        nextTick = nt + tuning.tickMs;
        continue;
      }
      break;
    }
    watermark = target;
  }

  function info(r: CompiledRule): RuleInfo {
    const d = r.def;
    return {
      id: d.id,
      name: d.name,
      doc: d.doc,
      type: d.type,
      scope: r.scopes,
      category: d.category,
      role: d.role,
      severity: typeof d.severity === 'string' ? d.severity : `by ${d.severity.by.signal}`,
      detects: d.detects,
      enabled: isOnRule(d.id),
    };
  }

  function restore(list: readonly Alert[], incidents: readonly Incident[]): RestoreResult {
    if (n.accepted > 0 || Number.isFinite(watermark)) throw new HeatError('CONFLICT', 'rules engine: restore() must come before the first ingest');
    let restored = 0;
    let retired = 0;
    const back: Alert[] = [];
    for (const stored of list) {
      if (stored.state === 'cleared') continue;
      const a = cloneAlert(stored);
      const r = byId.get(a.ruleId);
      const e = states.get(`${a.entity.kind}/${a.entity.id}`);
      const key = AlertManager.key(a.ruleId, `${a.entity.kind}/${a.entity.id}`);
      if (r === undefined || e === undefined || alerts.get(key) !== undefined) {
        // Its rule or entity is gone (or a duplicate slipped in): close it for the record.
        retired++;
        a.state = 'cleared';
        a.clearedAt = clock.now();
        a.cleared = { by: 'system', at: a.clearedAt, comment: 'rule or entity no longer loaded at restart' };
        a.version++;
        queue.push(`alert ${a.id}`, () => o.alertStore.putAlert(a));
        continue;
      }
      alerts.restore(r, a);
      if (a.active) {
        // The condition was on: its tracker resumes firing, so release is judged as before.
        const tr = newTracker();
        tr.phase = 'firing';
        tr.since = a.lastSeenAt;
        tr.firedFrom = a.evidence.from;
        e.trackers[indexOf.get(r) as number] = tr;
        for (const f of r.def.marksUntrusted) e.mark(f, r.id);
      }
      back.push(a);
      restored++;
    }
    grouper.restore(back, incidents);
    return { restored, retired };
  }

  return {
    restore,
    ingest(batch) {
      alerts.expireShelves(clock.now());
      let accepted = 0;
      let late = 0;
      let unknown = 0;
      let future = 0;
      const futureLimit = tuning.maxFutureMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + tuning.maxFutureMs;
      for (const m of batch) {
        if (stateOf(m) === undefined || !Number.isFinite(m.time)) {
          unknown++;
          continue;
        }
        if (m.time <= watermark) {
          late++;
          continue;
        }
        if (m.time > futureLimit) {
          future++;
          continue;
        }
        buffer.add(m);
        accepted++;
        if (m.time > maxSeen) maxSeen = m.time;
      }
      n.accepted += accepted;
      n.late += late;
      n.unknownEntity += unknown;
      n.future += future;
      if (late + unknown + future > 0) log?.warn({ late, unknownEntity: unknown, future, watermark }, 'rules engine dropped readings');
      while (buffer.size > tuning.maxPending) {
        const t = buffer.peekTime();
        if (t === undefined) break;
        n.forced++;
        advance(t);
      }
      // Live (a future limit is set): a gateway whose clock runs a few minutes fast must not drag
      // the watermark past everyone else's readings, so it follows the data only up to now.
      advance((tuning.maxFutureMs === undefined ? maxSeen : Math.min(maxSeen, clock.now())) - tuning.allowedLatenessMs);
      return { accepted, late, unknownEntity: unknown, future };
    },
    advanceWatermark(t) {
      alerts.expireShelves(clock.now());
      advance(Number.isFinite(t) ? t : maxSeen);
    },
    watermark: () => watermark,
    listRules: () => compiled.map(info),
    setEnabled(ruleId, enabled) {
      const r = byId.get(ruleId);
      if (r === undefined) throw new HeatError('NOT_FOUND', `rule ${ruleId}`);
      const i = indexOf.get(r) as number;
      if (on[i] !== enabled) {
        on[i] = enabled;
        if (!enabled) {
          alerts.clearRule(ruleId, Number.isFinite(watermark) ? watermark : clock.now(), 'rule disabled');
          for (const e of states.values()) {
            e.trackers[i] = undefined;
            e.unmarkRule(ruleId);
          }
        }
      }
      return info(r);
    },
    acknowledge: (id, who, comment) => alerts.acknowledge(id, who, comment),
    comment: (id, who, comment) => alerts.comment(id, who, comment),
    shelve: (id, who, comment, forMs) => alerts.shelve(id, who, comment, forMs),
    clear: (id, who, comment) => alerts.clear(id, who, comment),
    alerts: () => alerts.liveAlerts().sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1)).map(cloneAlert),
    alert: (id) => {
      const a = alerts.byId(id);
      return a === undefined ? undefined : cloneAlert(a);
    },
    incidents: () => grouper.list(),
    stats() {
      let overflow = 0;
      for (const e of states.values()) overflow += e.windowOverflow();
      return {
        watermark,
        maxEventTime: maxSeen,
        pending: buffer.size,
        accepted: n.accepted,
        late: n.late,
        unknownEntity: n.unknownEntity,
        unknownField: n.unknownField,
        future: n.future,
        forcedAdvances: n.forced,
        instants: n.instants,
        ticks: n.ticks,
        evaluations: n.evaluations,
        liveAlerts: alerts.liveAlerts().length,
        openIncidents: grouper.list().filter((i) => i.state === 'open').length,
        storeWriteFailures: queue.failed,
        windowOverflow: overflow,
        eventListenerErrors: eventErrors,
      };
    },
    flush: () => queue.flush(),
  };
}
