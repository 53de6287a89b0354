// Sensor-fault checks behind the quality rules, each O(1) per sample. They run as samples are
// applied (before any rule reads them), record offences on the entity, and distrust the offending
// series at once, so under-heating rules see "unknown" instead of a bad sensor's cold reading.
//
//   range    value outside the physically possible range (a broken probe reads −50 or 150 °C)
//   spike    a lone sample far from both neighbours, `count` times within a window
//   flatline the same non-zero value (within tolerance) for `after` — a stuck transmitter
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
  onTick?(t: number, entity: (key: string) => EntityState | undefined): EntityState[];
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
  if (m === undefined || !m.delete(series)) return;
  if (marks) e.unmark(series, ruleId);
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
  a?: { t: number; v: number };
  b?: { t: number; v: number };
  readonly spikes: RingDeque<number>;
}

const spike: Factory<'spike'> = (check, ruleId) => {
  const state = new Map<string, SpikeState>();
  return {
    ruleId,
    fields: Object.keys(check.steps),
    marks: true,
    onSample(e, series, field, t, v) {
      const step = check.steps[field];
      if (step === undefined || typeof v !== 'number') return false;
      const key = `${e.key}|${series}`;
      let s = state.get(key);
      if (s === undefined) state.set(key, (s = { spikes: new RingDeque<number>(4) }));
      const { a, b } = s;
      // b is a spike when it jumps away from a and comes straight back at c.
      if (a !== undefined && b !== undefined) {
        const up = b.v - a.v;
        const back = b.v - v;
        if (Math.abs(up) > step && Math.abs(back) > step && Math.sign(up) === Math.sign(back) && Math.abs(v - a.v) <= step) s.spikes.pushBack(b.t);
      }
      for (let f = s.spikes.front(); f !== undefined && f <= t - check.window; f = s.spikes.front()) s.spikes.popFront();
      if (s.spikes.size >= check.count) {
        offend(e, ruleId, { series, check: 'spike', since: s.spikes.front() ?? t, value: b?.v ?? v, detail: `${s.spikes.size} spikes > ${step} within ${check.window / 60_000} min` }, true);
      } else absolve(e, ruleId, series, true);
      s.a = b;
      s.b = { t, v };
      return false;
    },
  };
};

interface RunState {
  value: number;
  start: number;
  count: number;
}

const flatline: Factory<'flatline'> = (check, ruleId) => {
  const runs = new Map<string, RunState>();
  return {
    ruleId,
    fields: check.fields,
    marks: true,
    onSample(e, series, _field, t, v) {
      if (typeof v !== 'number') return false;
      const key = `${e.key}|${series}`;
      const r = runs.get(key);
      // An exact zero is a live reading of nothing (a stopped pump's flow), not a frozen one.
      if (r === undefined || Math.abs(v - r.value) > check.tolerance || v === 0) {
        runs.set(key, { value: v, start: t, count: 1 });
        absolve(e, ruleId, series, true);
        return false;
      }
      r.count++;
      if (t - r.start >= check.after && r.count >= check.minSamples) {
        offend(e, ruleId, { series, check: 'flatline', since: r.start, value: r.value, detail: `unchanged at ${r.value} for ${Math.round((t - r.start) / 60_000)} min` }, true);
      }
      return false;
    },
  };
};

const stale: Factory<'stale'> = (check, ruleId, tickMs) => {
  const lastSeen = new Map<string, number>();
  const due = new Map<number, Set<string>>();
  const bucket = (t: number): number => Math.ceil((t + check.after) / tickMs) * tickMs;
  return {
    ruleId,
    fields: undefined,
    marks: false,
    onSample(e, series, _field, t) {
      // Per series: a whole RTU going silent and one field dropping out are both caught.
      const key = `${e.key}\u0000${series}`;
      const prev = lastSeen.get(key);
      if (prev !== undefined && prev >= t) return false;
      lastSeen.set(key, t);
      absolve(e, ruleId, series, false);
      const at = bucket(t);
      let set = due.get(at);
      if (set === undefined) due.set(at, (set = new Set()));
      set.add(key);
      return false;
    },
    onTick(t, entity) {
      const set = due.get(t);
      if (set === undefined) return [];
      due.delete(t);
      const changed: EntityState[] = [];
      for (const key of set) {
        const seen = lastSeen.get(key);
        if (seen === undefined || t - seen < check.after) continue; // a newer sample re-armed it
        const [entityKey = '', series = ''] = key.split('\u0000');
        const e = entity(entityKey);
        if (e === undefined) continue;
        offend(e, ruleId, { series, check: 'stale', since: seen, value: null, detail: `no data for ${Math.round((t - seen) / 60_000)} min` }, false);
        changed.push(e);
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
