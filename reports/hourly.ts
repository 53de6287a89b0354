// Hourly means from the store's aggregate (never raw points over a season): one map per field.

import type { EntityKind } from '../domain/telemetry';
import type { AggregateSeries, TelemetryStore } from '../store/telemetry-store';

export const HOUR_MS = 3_600_000;

/** hour start → mean value. */
export type Hourly = Map<number, number>;

export interface HourlyFields {
  /** Per field (non-indoor). */
  readonly fields: Map<string, Hourly>;
  /** Per indoor sensor, t_indoor hourly means (and min == max flags a flat line). */
  readonly sensors: Map<string, { readonly mean: Hourly; readonly flat: Set<number> }>;
}

function toHourly(s: AggregateSeries): Hourly {
  return new Map(s.points.map((p) => [p.time, p.mean]));
}

export async function hourlyOf(store: TelemetryStore, measurement: EntityKind, id: string, fields: readonly string[], from: number, to: number): Promise<HourlyFields> {
  const series = await store.aggregate({ measurement, id, fields, from, to }, HOUR_MS);
  const out: HourlyFields = { fields: new Map(), sensors: new Map() };
  for (const s of series) {
    if (s.sensor !== undefined) {
      // A flat hour (min == max over several readings) is the mark of a frozen sensor.
      const flat = new Set(s.points.filter((p) => p.count >= 3 && p.max === p.min).map((p) => p.time));
      out.sensors.set(s.sensor, { mean: toHourly(s), flat });
    } else out.fields.set(s.field, toHourly(s));
  }
  return out;
}

/** Hour starts of [from, to). */
export function hoursOf(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) out.push(t);
  return out;
}
