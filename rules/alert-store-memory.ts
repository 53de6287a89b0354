// Reference AlertStore in memory: copies on the way in and out (no shared mutable records).
// Bounded: beyond `maxAlerts` the oldest cleared alerts are dropped and counted.

import { HeatError } from '../domain/errors';
import type { Alert } from './alert';
import { clampLimit, matchesAlertQuery, type AlertQuery, type AlertStore, type IncidentQuery } from './alert-store';
import type { Incident } from './incident';

export interface MemoryAlertStore extends AlertStore {
  /** Cleared alerts dropped at the cap since creation. */
  readonly evicted: number;
}

const newestFirst = (a: { openedAt: number; id: string }, b: { openedAt: number; id: string }): number =>
  b.openedAt - a.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function createMemoryAlertStore(opts: { maxAlerts?: number } = {}): MemoryAlertStore {
  const maxAlerts = opts.maxAlerts ?? 100_000;
  const alerts = new Map<string, Alert>();
  const incidents = new Map<string, Incident>();
  let state: 'new' | 'open' | 'closed' = 'new';
  let evicted = 0;
  const ready = (): void => {
    if (state !== 'open') throw new HeatError('STORE_UNAVAILABLE', `memory alert store is ${state === 'new' ? 'not open yet' : 'closed'}`);
  };
  const evict = (): void => {
    if (alerts.size <= maxAlerts) return;
    const cleared = [...alerts.values()].filter((a) => a.state === 'cleared').sort((a, b) => a.openedAt - b.openedAt);
    for (const a of cleared) {
      if (alerts.size <= maxAlerts) break;
      alerts.delete(a.id);
      evicted++;
    }
  };
  return {
    name: 'memory',
    get evicted() {
      return evicted;
    },
    async open() {
      state = 'open';
    },
    async putAlert(a) {
      ready();
      const prev = alerts.get(a.id);
      if (prev !== undefined && prev.version > a.version) return;
      alerts.set(a.id, structuredClone(a));
      evict();
    },
    async getAlert(id) {
      ready();
      const a = alerts.get(id);
      return a === undefined ? undefined : structuredClone(a);
    },
    async listAlerts(q: AlertQuery = {}) {
      ready();
      const out = [...alerts.values()].filter((a) => matchesAlertQuery(a, q));
      return out.sort(newestFirst).slice(0, clampLimit(q.limit)).map((a) => structuredClone(a));
    },
    async countAlerts(q: AlertQuery = {}) {
      ready();
      let n = 0;
      for (const a of alerts.values()) if (matchesAlertQuery(a, q)) n++;
      return n;
    },
    async putIncident(i) {
      ready();
      const prev = incidents.get(i.id);
      if (prev !== undefined && prev.version > i.version) return;
      incidents.set(i.id, structuredClone(i));
    },
    async getIncident(id) {
      ready();
      const i = incidents.get(id);
      return i === undefined ? undefined : structuredClone(i);
    },
    async listIncidents(q: IncidentQuery = {}) {
      ready();
      const out: Incident[] = [];
      for (const i of incidents.values()) {
        if (q.states !== undefined && !q.states.includes(i.state)) continue;
        if (q.to !== undefined && i.openedAt >= q.to) continue;
        if (q.from !== undefined && i.resolvedAt !== undefined && i.resolvedAt < q.from) continue;
        out.push(i);
      }
      return out.sort(newestFirst).slice(0, clampLimit(q.limit)).map((i) => structuredClone(i));
    },
    async close() {
      state = 'closed';
    },
  };
}
