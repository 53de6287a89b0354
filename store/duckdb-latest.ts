// The newest value per series field, held by the DuckDB writer in memory and served from there.
// Upserting a `latest` table in every write transaction was the largest cost of the write path
// (≈ 3 µs per series field per batch, plus rewriting its index at each checkpoint). Now the values
// are held here and written as a snapshot, replaced whole now and then (duckdb-store.ts); each write transaction that changes
// a newest value records, once per snapshot, the oldest time it wrote in `latest_dirty`, so after a
// crash the values newer than the snapshot are read back from `readings` (duckdb-sql.ts).

import type { EntityKind, FieldValue } from '../domain/telemetry';
import type { BatchPlan } from './duckdb-batch';
import type { SeriesDictionary } from './duckdb-dictionary';
import { NO_SENSOR } from './series-collector';
import type { LatestValue } from './telemetry-store';

const SEP = '\u0000';

export class LatestCache {
  private readonly fieldOf: number[] = [];
  private readonly timeOf: number[] = [];
  private readonly valueOf: FieldValue[] = [];
  /**
   * A series' slots as a chain in insertion order: its first slot (-1: none yet; -2: not indexed)
   * and each slot's next. Not an array per series: 37 k small arrays with their growth room were
   * ≈ 7 MB at city scale (a heap snapshot); two arrays of integers are ≈ 2 MB.
   */
  private readonly headOf: number[] = [];
  private readonly nextOf: number[] = [];
  /** Series ids per measurement, and per measurement + entity id (all its sensors). */
  private readonly byMeasurement = new Map<string, number[]>();
  private readonly byEntity = new Map<string, number[]>();
  /** Some value changed since the last snapshot was taken. */
  dirty = false;

  constructor(private readonly dict: SeriesDictionary) {}

  get size(): number {
    return this.timeOf.length;
  }

  /** Newer-or-equal time replaces (an equal time is a rewrite of the same point). */
  set(sid: number, fid: number, time: number, value: FieldValue): void {
    // A series has a handful of fields: a scan of its slots beats a map keyed by (series, field),
    // whose keys past 2^30 are heap numbers (measured: most of this function's time, and garbage).
    let slot = this.index(sid);
    let last = -1;
    while (slot >= 0 && this.fieldOf[slot] !== fid) {
      last = slot;
      slot = this.nextOf[slot] as number;
    }
    if (slot < 0) {
      const added = this.timeOf.length;
      this.fieldOf.push(fid);
      this.timeOf.push(time);
      this.valueOf.push(value);
      this.nextOf.push(-1);
      if (last < 0) this.headOf[sid] = added;
      else this.nextOf[last] = added;
    } else {
      if (time < (this.timeOf[slot] as number)) return;
      this.timeOf[slot] = time;
      this.valueOf[slot] = value;
    }
    this.dirty = true;
  }

  /** A committed batch's newest values (its rows marked `latest`). */
  apply(plan: BatchPlan): void {
    const c = plan.numeric;
    for (let r = 0; r < c.length; r++) if (c.latest[r] === 1) this.set(c.series[r] as number, c.field[r] as number, c.time[r] as number, c.num[r] as number);
    for (const o of plan.other) if (o.latest) this.set(o.series, o.field, o.time, o.value);
  }

  read(measurement: EntityKind, ids?: readonly string[]): LatestValue[] {
    const out: LatestValue[] = [];
    const sids = ids === undefined ? this.byMeasurement.get(measurement) ?? [] : [...new Set(ids)].flatMap((id) => this.byEntity.get(measurement + SEP + id) ?? []);
    for (const sid of sids) {
      const s = this.dict.series[sid];
      if (s === undefined) continue;
      for (let slot = this.headOf[sid] ?? -1; slot >= 0; slot = this.nextOf[slot] as number) {
        const base = { measurement, id: s.id, field: this.dict.fields[this.fieldOf[slot] as number] as string, time: this.timeOf[slot] as number, value: this.valueOf[slot] as FieldValue };
        out.push(s.sensor === NO_SENSOR ? base : { ...base, sensor: s.sensor });
      }
    }
    return out;
  }

  /** Every entry, for a snapshot. */
  *entries(): Generator<{ sid: number; fid: number; time: number; value: FieldValue }> {
    for (let sid = 0; sid < this.headOf.length; sid++) {
      for (let slot = this.headOf[sid] as number; slot >= 0; slot = this.nextOf[slot] as number) yield { sid, fid: this.fieldOf[slot] as number, time: this.timeOf[slot] as number, value: this.valueOf[slot] as FieldValue };
    }
  }

  /** The series' first slot (-1 when it has none yet), indexing the series on first sight. */
  private index(sid: number): number {
    const head = this.headOf[sid];
    if (head !== undefined && head !== -2) return head;
    const s = this.dict.series[sid];
    if (s === undefined) throw new RangeError(`series ${sid} is not in the dictionary`);
    while (this.headOf.length <= sid) this.headOf.push(-2); // dense: no holes in the array
    this.headOf[sid] = -1;
    push(this.byMeasurement, s.measurement, sid);
    push(this.byEntity, s.measurement + SEP + s.id, sid);
    return -1;
  }
}

function push(m: Map<string, number[]>, key: string, sid: number): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [sid]);
  else list.push(sid);
}
