// Reorder buffer for event time: readings wait here until the watermark passes them, then leave
// grouped by instant, earliest first, sorted within an instant by series — so any batching and
// any arrival order (within the allowed lateness) is evaluated identically.

import { seriesKey, type Metric } from '../domain/telemetry';

export class ReorderBuffer {
  private readonly byTime = new Map<number, Metric[]>();
  /** Min-heap of the distinct times held. */
  private readonly heap: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(m: Metric): void {
    const list = this.byTime.get(m.time);
    if (list !== undefined) list.push(m);
    else {
      this.byTime.set(m.time, [m]);
      this.heapPush(m.time);
    }
    this.count++;
  }

  /** Earliest time held, or undefined. */
  peekTime(): number | undefined {
    return this.heap[0];
  }

  /**
   * Remove and return the readings of the earliest instant, ordered by series key; readings
   * of one series at one instant are merged into one (fields of a later arrival win).
   */
  takeEarliest(): { time: number; metrics: Metric[] } | undefined {
    const time = this.heapPop();
    if (time === undefined) return undefined;
    const list = this.byTime.get(time) ?? [];
    this.byTime.delete(time);
    this.count -= list.length;
    const merged = new Map<string, Metric>();
    for (const m of list) {
      const k = seriesKey(m);
      const prev = merged.get(k);
      merged.set(k, prev === undefined ? m : { ...m, fields: { ...prev.fields, ...m.fields } });
    }
    const keys = [...merged.keys()].sort();
    return { time, metrics: keys.map((k) => merged.get(k) as Metric) };
  }

  private heapPush(v: number): void {
    const h = this.heap;
    h.push(v);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = h[p] as number;
      if (pv <= v) break;
      h[i] = pv;
      i = p;
    }
    h[i] = v;
  }

  private heapPop(): number | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= last) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
