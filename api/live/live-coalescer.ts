// Bounded fan-out of stored telemetry to live pages. Readings published on the bus are gathered
// per entity for one window (default 250 ms) and then handed out in one go, so that a burst
// (a replay, a backlog after reconnect) cannot flood a slow browser:
//   - only entities somebody is subscribed to are kept at all;
//   - within a window, readings of one entity with the same sensor and event time are merged;
//   - at most `maxPerEntity` readings per entity per window survive (the newest by event time);
//     the rest are dropped and counted through `onDrop` (loss is never silent);
//   - one `tick` summarising everything that arrived (subscribed or not) per window.
// Lifecycle: construct, `add()` from the bus listener (synchronous, never throws), `close()` once
// (flushes nothing more, clears the timer). Timers are plain setTimeout: tests use fake timers.

import { countFieldValues, type Metric } from '../../domain/telemetry';
import type { ReadingEvent, TickEvent } from '../dto';
import { entityKey } from '../entity-ref';

export interface LiveCoalescerOptions {
  readonly windowMs: number;
  readonly maxPerEntity: number;
  /** Whether anyone listens to this entity (`kind:id`) now. */
  readonly hasListeners: (entity: string) => boolean;
  /** The window's readings of one entity, ascending by event time. */
  readonly emit: (entity: string, readings: readonly ReadingEvent[]) => void;
  readonly tick: (t: TickEvent) => void;
  readonly onDrop: (entity: string, dropped: number) => void;
  readonly now: () => number;
}

interface Pending {
  /** Key: `${sensor ?? ''}@${time}` → merged fields. */
  readonly readings: Map<string, { time: number; sensor?: string; fields: Record<string, Metric['fields'][string]> }>;
}

export class LiveCoalescer {
  private pending = new Map<string, Pending>();
  private counts = { metrics: 0, fieldValues: 0, entities: new Set<string>(), newestTime: 0 };
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: LiveCoalescerOptions) {}

  add(batch: readonly Metric[]): void {
    if (this.closed || batch.length === 0) return;
    this.counts.metrics += batch.length;
    this.counts.fieldValues += countFieldValues(batch);
    for (const m of batch) {
      const entity = entityKey(m.measurement, m.tags.id);
      this.counts.entities.add(entity);
      if (m.time > this.counts.newestTime) this.counts.newestTime = m.time;
      if (!this.opts.hasListeners(entity)) continue;
      let p = this.pending.get(entity);
      if (p === undefined) {
        p = { readings: new Map() };
        this.pending.set(entity, p);
      }
      const key = `${m.tags.sensor ?? ''}@${m.time}`;
      const r = p.readings.get(key);
      if (r === undefined) {
        p.readings.set(key, { time: m.time, ...(m.tags.sensor === undefined ? {} : { sensor: m.tags.sensor }), fields: { ...m.fields } });
      } else {
        Object.assign(r.fields, m.fields);
      }
    }
    this.timer ??= setTimeout(() => this.flush(), this.opts.windowMs);
  }

  /** Hand out the current window now (the timer calls this; tests and close may too). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    const counts = this.counts;
    this.pending = new Map();
    this.counts = { metrics: 0, fieldValues: 0, entities: new Set(), newestTime: 0 };
    for (const [entity, p] of pending) {
      let list = [...p.readings.values()].sort((a, b) => a.time - b.time);
      if (list.length > this.opts.maxPerEntity) {
        this.opts.onDrop(entity, list.length - this.opts.maxPerEntity);
        list = list.slice(list.length - this.opts.maxPerEntity);
      }
      this.opts.emit(entity, list.map((r) => ({ entity, ...r })));
    }
    if (counts.metrics > 0) {
      this.opts.tick({ now: this.opts.now(), metrics: counts.metrics, fieldValues: counts.fieldValues, entities: counts.entities.size, newestTime: counts.newestTime });
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
