// History for a backtest from the configured TelemetryStore (DuckDB or InfluxDB), through the
// store port only: for each slice of time, every entity's fields are queried and the points are
// put back together into Metrics (one per entity, sensor and time), sorted by time. Slices keep
// each query well under the store's point limit and memory bounded.

import { FIELDS } from '../domain/fields';
import type { NetworkModel } from '../domain/network';
import type { EntityKind, FieldValue, Metric } from '../domain/telemetry';
import type { TelemetryStore } from '../store/telemetry-store';

export interface StoreSourceOptions {
  readonly store: TelemetryStore;
  readonly network: NetworkModel;
  readonly from: number;
  readonly to: number;
  /** Slice length, ms (default 6 h: a station's 16 fields at 1/min are ≈ 6 000 points). */
  readonly sliceMs?: number;
}

export async function* readStoreTelemetry(o: StoreSourceOptions): AsyncGenerator<Metric[]> {
  const slice = o.sliceMs ?? 6 * 3_600_000;
  const entities: { kind: EntityKind; id: string }[] = [
    ...o.network.weatherSites.map((w) => ({ kind: 'weather' as const, id: w.id })),
    ...o.network.stations.map((s) => ({ kind: 'station' as const, id: s.id })),
    ...o.network.compounds.map((c) => ({ kind: 'compound' as const, id: c.id })),
  ];
  for (let from = o.from; from < o.to; from += slice) {
    const to = Math.min(o.to, from + slice);
    const out: Metric[] = [];
    for (const e of entities) {
      const fields = Object.keys(FIELDS[e.kind]);
      const series = await o.store.query({ measurement: e.kind, id: e.id, fields, from, to });
      const byKey = new Map<string, { sensor: string | undefined; time: number; fields: Record<string, FieldValue> }>();
      for (const s of series) {
        for (const p of s.points) {
          const key = `${s.sensor ?? ''}|${p.time}`;
          let row = byKey.get(key);
          if (row === undefined) byKey.set(key, (row = { sensor: s.sensor, time: p.time, fields: {} }));
          row.fields[s.field] = p.value;
        }
      }
      for (const r of byKey.values()) {
        out.push({ measurement: e.kind, tags: r.sensor === undefined ? { id: e.id } : { id: e.id, sensor: r.sensor }, fields: r.fields, time: r.time });
      }
    }
    out.sort((a, b) => a.time - b.time);
    if (out.length > 0) yield out;
  }
}
