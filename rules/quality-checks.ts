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
import type { Scope } from './scope';
import { doubles, FIELD_NAMES } from './series-slots';
import type { QualityCheck } from './rule-schema';

export interface QualityChecker {
  readonly ruleId: string;
  /** Fields this checker reads per sample; undefined = every field (stale). */
  readonly fields: readonly string[] | undefined;
  /** Whether its offences distrust the series (stale data is already too old to be used). */
  readonly marks: boolean;
  /**
   * Called for each sample in event-time order, with the series' key and its slot on the entity
   * (series-slots.ts). Returns true when the value must not enter windows.
   */
  onSample(e: EntityState, series: string, slot: number, field: string, t: number, v: FieldValue): boolean;
  /** Timer checks at tick `t` (stale only); returns the entities whose offences changed. */
  onTick?(t: number): EntityState[];
}

type Factory<K extends QualityCheck['kind']> = (check: Extract<QualityCheck, { kind: K }>, ruleId: string, tickMs: number) => QualityChecker;

function offend(e: EntityState, ruleId: string, o: Offence, marks: boolean): void {
  const m = e.offencesOf(ruleId);
  if (!m.has(o.series)) m.set(o.series, o);
  if (marks) e.mark(o.series, ruleId);
}

function absolve(e: EntityState, ruleId: string, series: string, marks: boolean): void {
  const m = e.offences.get(ruleId);
  if (m === undefined || m.size === 0 || !m.delete(series)) return;
  if (marks) e.unmark(series, ruleId);
}

/**
 * Per-entity state of one checker: `width` doubles per checked series in one array (a city has
 * ≈ 400 k checked series; an object with boxed numbers and a map entry each cost ≈ 35 MB). Only
 * the checker's own fields have room: a series' place is its index among them (`place`), then
 * the indoor sensors' when it checks `t_indoor`.
 */
class SlotStates {
  private readonly byEntity = new Map<EntityState, number[]>();
  /** Per kind: field slot → place (−1: not checked), and how many fields are checked. */
  private readonly places: Record<Scope, { readonly of: readonly number[]; readonly n: number }>;
  constructor(
    private readonly width: number,
    /** Values of a series not seen yet. */
    private readonly init: readonly number[],
    /** Fields checked; undefined: all of them. */
    fields: readonly string[] | undefined,
  ) {
    const placesOf = (kind: Scope): { of: number[]; n: number } => {
      let n = 0;
      const of = FIELD_NAMES[kind].map((f) => (fields === undefined || fields.includes(f) ? n++ : -1));
      return { of, n };
    };
    this.places = { weather: placesOf('weather'), station: placesOf('station'), compound: placesOf('compound'), primary: placesOf('primary') };
  }

  /** Where a series slot's state is in the entity's array (times `width`). */
  place(e: EntityState, slot: number): number {
    const p = this.places[e.kind];
    return slot < p.of.length ? (p.of[slot] as number) : p.n + slot - p.of.length;
  }

  /** The entity's array, with room for the series at `place`; its state starts at `place * width`. */
  get(e: EntityState, place: number): number[] {
    let a = this.byEntity.get(e);
    const need = (place + 1) * this.width;
    if (a === undefined || a.length < need) {
      const p = this.places[e.kind];
      const next = doubles(Math.max(need, (p.n + Math.max(0, e.latest.slots - p.of.length)) * this.width), 0);
      for (let i = 0; i < next.length; i++) next[i] = i < (a?.length ?? 0) ? (a?.[i] as number) : (this.init[i % this.width] as number);
      this.byEntity.set(e, (a = next));
    }
    return a;
  }
}

const range: Factory<'range'> = (check, ruleId) => ({
  ruleId,
  fields: Object.keys(check.ranges),
  marks: true,
  onSample(e, series, _slot, field, t, v) {
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

// Spike state per series: the two samples before this one (a, b) and how many came (capped at 2).
const S_AT = 0;
const S_AV = 1;
const S_BT = 2;
const S_BV = 3;
const S_N = 4;

const spike: Factory<'spike'> = (check, ruleId) => {
  const state = new SlotStates(5, [0, 0, 0, 0, 0], Object.keys(check.steps));
  /** Times of recent spikes per entity and slot; made at a series' first spike (most never have one). */
  const spikes = new Map<EntityState, Map<number, RingDeque<number>>>();
  return {
    ruleId,
    fields: Object.keys(check.steps),
    marks: true,
    onSample(e, series, slot, field, t, v) {
      const step = check.steps[field];
      if (step === undefined || typeof v !== 'number') return false;
      const at = state.place(e, slot);
      const a = state.get(e, at);
      const o = at * 5;
      let list = spikes.get(e)?.get(slot);
      // b is a spike when it jumps away from a and comes straight back at v.
      if ((a[o + S_N] as number) >= 2) {
        const aV = a[o + S_AV] as number;
        const bV = a[o + S_BV] as number;
        const up = bV - aV;
        const back = bV - v;
        if (Math.abs(up) > step && Math.abs(back) > step && Math.sign(up) === Math.sign(back) && Math.abs(v - aV) <= step) {
          if (list === undefined) {
            let m = spikes.get(e);
            if (m === undefined) spikes.set(e, (m = new Map()));
            m.set(slot, (list = new RingDeque<number>(4)));
          }
          list.pushBack(a[o + S_BT] as number);
        }
      }
      if (list !== undefined) for (let f = list.front(); f !== undefined && f <= t - check.window; f = list.front()) list.popFront();
      const n = list?.size ?? 0;
      if (n >= check.count) {
        offend(e, ruleId, { series, check: 'spike', since: list?.front() ?? t, value: a[o + S_BV] as number, detail: `${n} spikes > ${step} within ${check.window / 60_000} min` }, true);
      } else absolve(e, ruleId, series, true);
      a[o + S_AT] = a[o + S_BT] as number;
      a[o + S_AV] = a[o + S_BV] as number;
      a[o + S_BT] = t;
      a[o + S_BV] = v;
      a[o + S_N] = Math.min(2, (a[o + S_N] as number) + 1);
      return false;
    },
  };
};

// Run state per series: the run's value and start, samples in it, and the typical length of this
// series' finished runs (EWMA, each capped at `after`), ms.
const R_VALUE = 0;
const R_START = 1;
const R_COUNT = 2;
const R_TYPICAL = 3;

/** A run must last this many times the series' typical run: coarse-resolution series repeat values. */
const FLAT_FACTOR = 6;

const flatline: Factory<'flatline'> = (check, ruleId) => {
  const runs = new SlotStates(4, [Number.NaN, 0, 0, 0], check.fields);
  return {
    ruleId,
    fields: check.fields,
    marks: true,
    onSample(e, series, slot, _field, t, v) {
      if (typeof v !== 'number') return false;
      const at = runs.place(e, slot);
      const r = runs.get(e, at);
      const o = at * 4;
      const value = r[o + R_VALUE] as number;
      const start = r[o + R_START] as number;
      // An exact zero is a live reading of nothing (a stopped pump's flow), not a frozen one.
      if (!(Math.abs(v - value) <= check.tolerance) || v === 0) {
        if ((r[o + R_COUNT] as number) > 0) r[o + R_TYPICAL] = 0.8 * (r[o + R_TYPICAL] as number) + 0.2 * Math.min(t - start, check.after);
        r[o + R_VALUE] = v;
        r[o + R_START] = t;
        r[o + R_COUNT] = 1;
        absolve(e, ruleId, series, true);
        return false;
      }
      const count = (r[o + R_COUNT] as number) + 1;
      r[o + R_COUNT] = count;
      if (t - start >= Math.max(check.after, FLAT_FACTOR * (r[o + R_TYPICAL] as number)) && count >= check.minSamples) {
        offend(e, ruleId, { series, check: 'flatline', since: start, value, detail: `unchanged at ${value} for ${Math.round((t - start) / 60_000)} min` }, true);
      }
      return false;
    },
  };
};

/**
 * Per series, so a whole RTU going silent and one field dropping out are both caught. The timer
 * is per entity: each check looks at all its series and re-arms at the earliest next deadline,
 * so the cost is a write per sample and one check per entity per `after`. State per entity: the
 * tick it is next checked at (NaN: none), then the newest sample time per series slot (NaN: never).
 */
const stale: Factory<'stale'> = (check, ruleId, tickMs) => {
  const byEntity = new SlotStates(1, [Number.NaN], undefined);
  const due = new Map<number, EntityState[]>();
  const bucket = (t: number): number => Math.ceil((t + check.after) / tickMs) * tickMs;
  const arm = (e: EntityState, s: number[], at: number): void => {
    s[0] = at;
    const list = due.get(at);
    if (list === undefined) due.set(at, [e]);
    else list.push(e);
  };
  return {
    ruleId,
    fields: undefined,
    marks: false,
    onSample(e, series, slot, _field, t) {
      // Slot 0 holds the due tick; series slot k is at k + 1.
      const s = byEntity.get(e, slot + 1);
      s[slot + 1] = t;
      absolve(e, ruleId, series, false);
      if (Number.isNaN(s[0] as number)) arm(e, s, bucket(t));
      return false;
    },
    onTick(t) {
      const list = due.get(t);
      if (list === undefined) return [];
      due.delete(t);
      const changed: EntityState[] = [];
      for (const e of list) {
        const s = byEntity.get(e, 0);
        if (s[0] !== t) continue;
        s[0] = Number.NaN;
        let next = Number.POSITIVE_INFINITY;
        let found = false;
        // Series in slot order (the kind's fields, then sensors as first read); NaN: never seen.
        for (let slot = 0; slot + 1 < s.length; slot++) {
          const seen = s[slot + 1] as number;
          if (Number.isNaN(seen)) continue;
          if (t - seen >= check.after) {
            const series = e.seriesKey(slot);
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
