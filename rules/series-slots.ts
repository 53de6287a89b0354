// Series by slot number instead of by name: an entity's newest values, derived values and the
// quality checks' per-series state live in arrays of doubles indexed by slot, not in maps of small
// objects (a Map entry, an object and two boxed numbers per series cost ≈ 60 bytes; two doubles
// cost 16). A kind's fields take the first slots, in catalogue order; a compound's indoor sensors
// take the next ones, in the order they are first read (entity-state.ts).

import { FIELDS } from '../domain/fields';
import type { FieldValue } from '../domain/telemetry';
import type { Scope } from './scope';

const NO_FIELDS: readonly string[] = [];

/** Per kind: its fields in slot order. */
export const FIELD_NAMES: Readonly<Record<Scope, readonly string[]>> = {
  weather: Object.keys(FIELDS.weather),
  station: Object.keys(FIELDS.station),
  compound: Object.keys(FIELDS.compound),
  primary: NO_FIELDS,
};

/** Per kind: field → slot. */
export const FIELD_SLOTS: Readonly<Record<Scope, ReadonlyMap<string, number>>> = {
  weather: new Map(FIELD_NAMES.weather.map((f, i) => [f, i])),
  station: new Map(FIELD_NAMES.station.map((f, i) => [f, i])),
  compound: new Map(FIELD_NAMES.compound.map((f, i) => [f, i])),
  primary: new Map(),
};

/** An array of `n` doubles set to `x` (made from a double, so V8 keeps it unboxed whatever is written later). */
export function doubles(n: number, x: number): number[] {
  const a = new Array<number>(n).fill(0.5);
  a.fill(x);
  return a;
}

/**
 * Newest value and its event time per slot, interleaved in one array of doubles; values that are
 * not numbers (a pump state) beside them. A slot never written reads as absent (time −Infinity).
 */
export class SlotValues {
  private a: number[];
  private other: (string | boolean | undefined)[] | undefined;

  constructor(slots: number) {
    this.a = SlotValues.empty(slots);
  }

  /** Slots with room now (the kind's fields, plus sensors seen). */
  get slots(): number {
    return this.a.length / 2;
  }

  set(slot: number, v: FieldValue, t: number): void {
    if (2 * slot + 1 >= this.a.length) this.grow(slot + 1);
    this.a[2 * slot] = t;
    if (typeof v === 'number') {
      this.a[2 * slot + 1] = v;
      if (this.other !== undefined) this.other[slot] = undefined;
    } else (this.other ??= [])[slot] = v;
  }

  clear(slot: number): void {
    if (2 * slot < this.a.length) this.a[2 * slot] = Number.NEGATIVE_INFINITY;
  }

  /** Event time of the newest value, −Infinity when none. */
  time(slot: number): number {
    const t = this.a[2 * slot];
    return t === undefined ? Number.NEGATIVE_INFINITY : t;
  }

  /** The newest value, undefined when none. */
  value(slot: number): FieldValue | undefined {
    const t = this.a[2 * slot];
    if (t === undefined || t === Number.NEGATIVE_INFINITY) return undefined;
    return this.other?.[slot] ?? this.a[2 * slot + 1];
  }

  private grow(slots: number): void {
    const next = SlotValues.empty(Math.max(slots, (this.a.length / 2) * 2));
    for (let i = 0; i < this.a.length; i++) next[i] = this.a[i] as number;
    this.a = next;
  }

  private static empty(slots: number): number[] {
    const a = doubles(2 * slots, 0);
    for (let i = 0; i < a.length; i += 2) a[i] = Number.NEGATIVE_INFINITY;
    return a;
  }
}
