// Puts a /api/series answer into a page's chart state: raw points as they are; downsampled
// buckets as the mean (the line) plus [min, max] (the band); state changes (pump_state) as spans.

import type { SeriesResponseDto } from '../../api/dto';
import type { Band, TimeSpan } from './time-chart';
import type { Point } from './sorted-points';

export function seriesKey(field: string, sensor?: string): string {
  return sensor === undefined ? field : `${field}.${sensor}`;
}

export function fillSeries(resp: SeriesResponseDto, points: Map<string, Point[]>, bands: Map<string, Band[]>): void {
  for (const s of resp.series) {
    if (s.mode === 'changes') continue;
    const key = seriesKey(s.field, s.sensor);
    const pts: Point[] = [];
    const band: Band[] = [];
    for (const p of s.points) {
      if (typeof p[1] !== 'number') continue;
      pts.push([p[0], p[1]]);
      if (p.length === 4) band.push([p[0], p[2], p[3]]);
    }
    points.set(key, pts);
    bands.set(key, band);
  }
}

/** Spans where a state field held one of `states`, from its change points, up to `to`. */
export function stateSpans(resp: SeriesResponseDto, field: string, colours: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>, to: number): TimeSpan[] {
  const s = resp.series.find((x) => x.field === field && x.mode === 'changes');
  if (s === undefined) return [];
  const out: TimeSpan[] = [];
  s.points.forEach((p, i) => {
    const state = String(p[1]);
    const colour = colours[state];
    if (colour === undefined) return;
    const end = s.points[i + 1]?.[0] ?? to;
    out.push({ from: p[0], to: end, color: colour, ...(labels[state] !== undefined ? { label: labels[state] } : {}) });
  });
  return out;
}
