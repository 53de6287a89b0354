// Groups rows (field, sensor, point) into the port's Series shape, in one fixed order for every
// store: fields in the order asked, then the sensor-less series first, then sensors ascending.

/** Storage spelling of "no sensor" in DuckDB and InfluxDB alike (an absent tag reads as ''). */
export const NO_SENSOR = '';

interface Collected<P> {
  field: string;
  sensor?: string;
  points: P[];
}

export class SeriesCollector<P> {
  private readonly groups = new Map<string, Collected<P>>();

  /** Points of one series must arrive in ascending time order (or be sorted by the caller). */
  add(field: string, sensor: string | undefined, point: P): void {
    const s = sensor === undefined || sensor === NO_SENSOR ? undefined : sensor;
    const key = `${field}\u0000${s ?? ''}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = s === undefined ? { field, points: [] } : { field, sensor: s, points: [] };
      this.groups.set(key, g);
    }
    g.points.push(point);
  }

  result(fieldOrder: readonly string[]): Collected<P>[] {
    const rank = new Map(fieldOrder.map((f, i) => [f, i]));
    return [...this.groups.values()].sort(
      (a, b) =>
        (rank.get(a.field) ?? Infinity) - (rank.get(b.field) ?? Infinity) ||
        compareSensor(a.sensor, b.sensor),
    );
  }
}

function compareSensor(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}
