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

/**
 * Puts the k-th smallest value at v[k], smaller or equal ones before it (Hoare's quickselect,
 * O(n) expected): a network's median over its 800 stations is read at every station reading.
 */
function selectKth(v: number[], k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (hi > lo) {
    const pivot = v[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((v[i] as number) < pivot) i++;
      while ((v[j] as number) > pivot) j--;
      if (i <= j) {
        const x = v[i] as number;
        v[i] = v[j] as number;
        v[j] = x;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k] as number;
}

/** `values` is a scratch array the caller may reuse; `median` reorders it in place. */
export const ACROSS = {
  median: (v) => {
    if (v.length === 0) return undefined;
    const mid = v.length >> 1;
    const upper = selectKth(v, mid);
    if (v.length % 2 === 1) return upper;
    // Everything before `mid` is ≤ the upper middle: the lower middle is their largest.
    let lower = v[0] as number;
    for (let i = 1; i < mid; i++) if ((v[i] as number) > lower) lower = v[i] as number;
    return (lower + upper) / 2;
  },
  mean: (v) => (v.length === 0 ? undefined : v.reduce((a, b) => a + b, 0) / v.length),
  min: (v) => (v.length === 0 ? undefined : Math.min(...v)),
  max: (v) => (v.length === 0 ? undefined : Math.max(...v)),
  count: (v) => v.length,
} as const satisfies Record<Across, (values: number[]) => number | undefined>;
