// Sensor-fault checks behind the quality rules, each O(1) per sample. They run as samples are
// applied (before any rule reads them), record offences on the entity, and distrust the offending
// series at once, so under-heating rules see "unknown" instead of a bad sensor's cold reading.
//
//   range    value outside the physically possible range (a broken probe reads −50 or 150 °C)
//   spike    a lone sample far from both neighbours, `count` times within a window
//   flatline the same non-zero value (within tolerance) for `after`, and for six times the series'
//            typical run (a 0.1 kPa gauge legitimately repeats itself) — a stuck transmitter
//   stale    nothing for a series (a field, an indoor sensor) for `after`; checked on timer ticks

import type { FieldValue } from '../domain/telemetry';
import type { EntityState, Offence } from './entity-state';
import { RingDeque } from './ring-deque';
import type { QualityCheck } from './rule-schema';

export interface QualityChecker {
  readonly ruleId: string;
  /** Fields this checker reads per sample; undefined = every field (stale). */
  readonly fields: readonly string[] | undefined;
  /** Whether its offences distrust the series (stale data is already too old to be used). */
  readonly marks: boolean;
  /** Called for each sample in event-time order. Returns true when the value must not enter windows. */
  onSample(e: EntityState, series: string, field: string, t: number, v: FieldValue): boolean;
  /** Timer checks at tick `t` (stale only); returns the entities whose offences changed. */
  onTick?(t: number): EntityState[];
}

type Factory<K extends QualityCheck['kind']> = (check: Extract<QualityCheck, { kind: K }>, ruleId: string, tickMs: number) => QualityChecker;

function offend(e: EntityState, ruleId: string, o: Offence, marks: boolean): void {
  let m = e.offences.get(ruleId);
  if (m === undefined) e.offences.set(ruleId, (m = new Map()));
  if (!m.has(o.series)) m.set(o.series, o);
  if (marks) e.mark(o.series, ruleId);
}

function absolve(e: EntityState, ruleId: string, series: string, marks: boolean): void {
  const m = e.offences.get(ruleId);
  if (m === undefined || m.size === 0 || !m.delete(series)) return;
  if (marks) e.unmark(series, ruleId);
}

/** Per-entity, per-series state of one checker, keyed by object identity (no string building per sample). */
class SeriesStates<S> {
  private readonly byEntity = new Map<EntityState, Map<string, S>>();
  get(e: EntityState, series: string, make: () => S): S {
    let m = this.byEntity.get(e);
    if (m === undefined) this.byEntity.set(e, (m = new Map()));
    let s = m.get(series);
    if (s === undefined) m.set(series, (s = make()));
    return s;
  }
}

const range: Factory<'range'> = (check, ruleId) => ({
  ruleId,
  fields: Object.keys(check.ranges),
  marks: true,
  onSample(e, series, field, t, v) {
    const r = check.ranges[field];
    if (r === undefined || typeof v !== 'number') return false;
    if (v >= r[0] && v <= r[1]) {
      absolve(e, ruleId, series, true);
      return false;
    }
    offend(e, ruleId, { series, check: 'range', since: t, value: v, detail: `${v} outside ${r[0]}..${r[1]}` }, true);
    return true;
  },
});

interface SpikeState {
  aT: number;
  aV: number;
  bT: number;
  bV: number;
  n: number;
  readonly spikes: RingDeque<number>;
}

const spike: Factory<'spike'> = (check, ruleId) => {
  const state = new SeriesStates<SpikeState>();
  const make = (): SpikeState => ({ aT: 0, aV: 0, bT: 0, bV: 0, n: 0, spikes: new RingDeque<number>(4) });
  return {
    ruleId,
    fields: Object.keys(check.steps),
    marks: true,
    onSample(e, series, field, t, v) {
      const step = check.steps[field];
      if (step === undefined || typeof v !== 'number') return false;
      const s = state.get(e, series, make);
      // b is a spike when it jumps away from a and comes straight back at v.
      if (s.n >= 2) {
        const up = s.bV - s.aV;
        const back = s.bV - v;
        if (Math.abs(up) > step && Math.abs(back) > step && Math.sign(up) === Math.sign(back) && Math.abs(v - s.aV) <= step) s.spikes.pushBack(s.bT);
      }
      for (let f = s.spikes.front(); f !== undefined && f <= t - check.window; f = s.spikes.front()) s.spikes.popFront();
      if (s.spikes.size >= check.count) {
        offend(e, ruleId, { series, check: 'spike', since: s.spikes.front() ?? t, value: s.bV, detail: `${s.spikes.size} spikes > ${step} within ${check.window / 60_000} min` }, true);
      } else absolve(e, ruleId, series, true);
      s.aT = s.bT;
      s.aV = s.bV;
      s.bT = t;
      s.bV = v;
      s.n++;
      return false;
    },
  };
};

interface RunState {
  value: number;
  start: number;
  count: number;
  /** Typical length of this series' finished runs (EWMA, each capped at `after`), ms. */
  typical: number;
}

/** A run must last this many times the series' typical run: coarse-resolution series repeat values. */
const FLAT_FACTOR = 6;

const flatline: Factory<'flatline'> = (check, ruleId) => {
  const runs = new SeriesStates<RunState>();
  const make = (): RunState => ({ value: Number.NaN, start: 0, count: 0, typical: 0 });
  return {
    ruleId,
    fields: check.fields,
    marks: true,
    onSample(e, series, _field, t, v) {
      if (typeof v !== 'number') return false;
      const r = runs.get(e, series, make);
      // An exact zero is a live reading of nothing (a stopped pump's flow), not a frozen one.
      if (!(Math.abs(v - r.value) <= check.tolerance) || v === 0) {
        if (r.count > 0) r.typical = 0.8 * r.typical + 0.2 * Math.min(t - r.start, check.after);
        r.value = v;
        r.start = t;
        r.count = 1;
        absolve(e, ruleId, series, true);
        return false;
      }
      r.count++;
      if (t - r.start >= Math.max(check.after, FLAT_FACTOR * r.typical) && r.count >= check.minSamples) {
        offend(e, ruleId, { series, check: 'flatline', since: r.start, value: r.value, detail: `unchanged at ${r.value} for ${Math.round((t - r.start) / 60_000)} min` }, true);
      }
      return false;
    },
  };
};

interface StaleState {
  readonly seen: Map<string, number>;
  /** Tick at which this entity is next checked, or undefined. */
  due: number | undefined;
}

/**
 * Per series, so a whole RTU going silent and one field dropping out are both caught. The timer
 * is per entity: each check looks at all its series and re-arms at the earliest next deadline,
 * so the cost is a map write per sample and one check per entity per `after`.
 */
const stale: Factory<'stale'> = (check, ruleId, tickMs) => {
  const byEntity = new Map<EntityState, StaleState>();
  const due = new Map<number, EntityState[]>();
  const bucket = (t: number): number => Math.ceil((t + check.after) / tickMs) * tickMs;
  const arm = (e: EntityState, s: StaleState, at: number): void => {
    s.due = at;
    const list = due.get(at);
    if (list === undefined) due.set(at, [e]);
    else list.push(e);
  };
  return {
    ruleId,
    fields: undefined,
    marks: false,
    onSample(e, series, _field, t) {
      let s = byEntity.get(e);
      if (s === undefined) byEntity.set(e, (s = { seen: new Map(), due: undefined }));
      s.seen.set(series, t);
      absolve(e, ruleId, series, false);
      if (s.due === undefined) arm(e, s, bucket(t));
      return false;
    },
    onTick(t) {
      const list = due.get(t);
      if (list === undefined) return [];
      due.delete(t);
      const changed: EntityState[] = [];
      for (const e of list) {
        const s = byEntity.get(e);
        if (s === undefined || s.due !== t) continue;
        s.due = undefined;
        let next = Number.POSITIVE_INFINITY;
        let found = false;
        for (const [series, seen] of s.seen) {
          if (t - seen >= check.after) {
            if (e.offences.get(ruleId)?.has(series) !== true) {
              offend(e, ruleId, { series, check: 'stale', since: seen, value: null, detail: `no data for ${Math.round((t - seen) / 60_000)} min` }, false);
              found = true;
            }
          } else next = Math.min(next, seen);
        }
        if (Number.isFinite(next)) arm(e, s, Math.max(t + tickMs, bucket(next)));
        if (found) changed.push(e);
      }
      return changed;
    },
  };
};

export function createQualityChecker(check: QualityCheck, ruleId: string, tickMs: number): QualityChecker {
  switch (check.kind) {
    case 'range':
      return range(check, ruleId, tickMs);
    case 'spike':
      return spike(check, ruleId, tickMs);
    case 'flatline':
      return flatline(check, ruleId, tickMs);
    case 'stale':
      return stale(check, ruleId, tickMs);
    default: {
      const never: never = check;
      throw new Error(`unhandled quality check ${JSON.stringify(never)}`);
    }
  }
}
