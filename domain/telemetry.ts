// The one data model for telemetry (Telegraf's Metric): measurement, tags, typed fields, time.
// Every part passes readings as Metric: the ingester produces them, stores write them,
// the rules engine and the API read them back.

export const ENTITY_KINDS = ['station', 'compound', 'weather'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export type FieldValue = number | string | boolean;

export interface MetricTags {
  /** The entity id from the network model (station, compound or weather site). */
  readonly id: string;
  /** Indoor temperature sensor id, for `t_indoor` readings only. */
  readonly sensor?: string;
}

export interface Metric {
  /** Measurement = the entity kind; one measurement per kind keeps queries simple. */
  readonly measurement: EntityKind;
  readonly tags: MetricTags;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Event time in epoch milliseconds: the reading's own `ts`, never the arrival time. */
  readonly time: number;
}

/** Number of field values in a batch: the unit of throughput in metrics and benchmarks. */
export function countFieldValues(metrics: readonly Metric[]): number {
  let n = 0;
  for (const m of metrics) n += Object.keys(m.fields).length;
  return n;
}

/** A stable key for a series: measurement, id and (if any) sensor. */
export function seriesKey(m: Pick<Metric, 'measurement' | 'tags'>): string {
  return m.tags.sensor === undefined ? `${m.measurement}/${m.tags.id}` : `${m.measurement}/${m.tags.id}/${m.tags.sensor}`;
}
