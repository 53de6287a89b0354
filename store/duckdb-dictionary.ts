// The writer's dictionary of series (measurement, id, sensor) and field names as small integers,
// so a batch is staged as numbers and DuckDB joins the strings back in on insert (four strings
// per field value through the Appender were most of the write path's JS time).
// Also remembers the newest time stored per series: a batch whose points are all newer than
// that cannot rewrite anything, and skips the delete-before-insert.
// Lives in the writer connection's memory and temp tables; rebuilt from `latest` on connect.

/** Field ids are packed with series ids into one number key (sid * FIELD_LIMIT + fid). */
export const FIELD_LIMIT = 65_536;

export interface SeriesEntry {
  readonly measurement: string;
  readonly id: string;
  readonly sensor: string;
}

export class SeriesDictionary {
  readonly series: SeriesEntry[] = [];
  readonly fields: string[] = [];
  /** Newest time stored (or possibly stored) per series id; -Infinity when none. */
  private readonly newest: number[] = [];
  /** measurement → id → sensor → series id: nested maps, no joined key string per lookup. */
  private readonly seriesIds = new Map<string, Map<string, Map<string, number>>>();
  private readonly fieldIds = new Map<string, number>();
  /** Entries below these counts are in the connection's dictionary tables. */
  syncedSeries = 0;
  syncedFields = 0;

  seriesId(measurement: string, id: string, sensor: string): number {
    let ids = this.seriesIds.get(measurement);
    if (ids === undefined) this.seriesIds.set(measurement, (ids = new Map()));
    let sensors = ids.get(id);
    if (sensors === undefined) ids.set(id, (sensors = new Map()));
    let sid = sensors.get(sensor);
    if (sid === undefined) {
      sid = this.series.length;
      this.series.push({ measurement, id, sensor });
      this.newest.push(-Infinity);
      sensors.set(sensor, sid);
    }
    return sid;
  }

  fieldId(field: string): number {
    let fid = this.fieldIds.get(field);
    if (fid === undefined) {
      fid = this.fields.length;
      if (fid >= FIELD_LIMIT) throw new RangeError(`more than ${FIELD_LIMIT} distinct field names`);
      this.fields.push(field);
      this.fieldIds.set(field, fid);
    }
    return fid;
  }

  newestTime(sid: number): number {
    return this.newest[sid] ?? -Infinity;
  }

  /** Called before a batch is written: on a failed write the bound only becomes too high, which costs a needless delete, never a duplicate. */
  noteTime(sid: number, time: number): void {
    if (time > (this.newest[sid] ?? -Infinity)) this.newest[sid] = time;
  }

  /** After a failed dictionary sync the tables' content is unknown: write them out again whole. */
  unsync(): void {
    this.syncedSeries = 0;
    this.syncedFields = 0;
  }
}
