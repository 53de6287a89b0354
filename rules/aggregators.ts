// Window aggregations of rule signals, one table (`Record<Agg, …>` with `satisfies`), and the
// aggregations across several relatives (a station's compounds, a network's stations).

import type { RollingWindow } from './rolling-window';

export const AGG_NAMES = ['last', 'mean', 'min', 'max', 'sum', 'count', 'delta', 'slope', 'stddev', 'range'] as const;
export type Agg = (typeof AGG_NAMES)[number];

export const AGGREGATORS = {
  last: (w) => w.last,
  mean: (w) => w.mean,
  min: (w) => w.min,
  max: (w) => w.max,
  sum: (w) => w.total,
  count: (w) => w.count,
  delta: (w) => (w.last === undefined || w.first === undefined ? undefined : w.last - w.first),
  slope: (w) => w.slopePerHour,
  stddev: (w) => w.stddev,
  range: (w) => {
    const lo = w.min;
    const hi = w.max;
    return lo === undefined || hi === undefined ? undefined : hi - lo;
  },
} as const satisfies Record<Agg, (w: RollingWindow) => number | undefined>;

export const ACROSS_NAMES = ['median', 'mean', 'min', 'max', 'count'] as const;
export type Across = (typeof ACROSS_NAMES)[number];

/** `values` is a scratch array the caller may reuse; `median` sorts it in place. */
export const ACROSS = {
  median: (v) => {
    if (v.length === 0) return undefined;
    v.sort((a, b) => a - b);
    const mid = v.length >> 1;
    return v.length % 2 === 1 ? v[mid] : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
  },
  mean: (v) => (v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length),
  min: (v) => (v.length === 0 ? undefined : Math.min(...v)),
  max: (v) => (v.length === 0 ? undefined : Math.max(...v)),
  count: (v) => v.length,
} as const satisfies Record<Across, (values: number[]) => number | undefined>;
