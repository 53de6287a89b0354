// Recent alert spans by entity (`compound/longhu-huating`, `station/dexuan`, `primary/pn1`), for
// the correlator. Bounded in time: spans that ended before the horizon can explain no ticket
// the correlator still holds, and are pruned.

import type { AlertSpan } from './alert-span';
import type { TicketPlace } from './explain';

export class AlertIndex {
  private readonly byEntity = new Map<string, Map<string, AlertSpan>>();
  private readonly byId = new Map<string, AlertSpan>();

  get size(): number {
    return this.byId.size;
  }

  /** Adds or replaces a span; returns the previous one. */
  put(s: AlertSpan): AlertSpan | undefined {
    const prev = this.byId.get(s.id);
    this.byId.set(s.id, s);
    const key = `${s.entityKind}/${s.entityId}`;
    let m = this.byEntity.get(key);
    if (m === undefined) this.byEntity.set(key, (m = new Map()));
    m.set(s.id, s);
    return prev;
  }

  get(id: string): AlertSpan | undefined {
    return this.byId.get(id);
  }

  /** Spans of the place's compound, station and primary network. */
  *at(p: TicketPlace): Generator<AlertSpan> {
    const keys = [`compound/${p.compoundId}`, `station/${p.stationId}`, ...(p.primaryNetworkId !== undefined ? [`primary/${p.primaryNetworkId}`] : [])];
    for (const k of keys) {
      const m = this.byEntity.get(k);
      if (m !== undefined) yield* m.values();
    }
  }

  /** Drops spans that ended before `horizon`; returns how many. */
  prune(horizon: number): number {
    let n = 0;
    for (const [id, s] of this.byId) {
      if (s.endedAt === undefined || s.endedAt >= horizon) continue;
      this.byId.delete(id);
      const key = `${s.entityKind}/${s.entityId}`;
      const m = this.byEntity.get(key);
      m?.delete(id);
      if (m !== undefined && m.size === 0) this.byEntity.delete(key);
      n++;
    }
    return n;
  }
}
