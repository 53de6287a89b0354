// The learned indoor response of one compound, for predicted under-heating.
//
// Physics: rooms are one heat store with time constant τ (network: compound.timeConstantH),
// τ·dTi/dt = Tss − Ti, where the steady state Tss rises with the mean radiator water temperature
// Tw = (Ts + Tr)/2 (emission ∝ Tw − Ti, so low flow shows through the return) and with the outdoor
// temperature: linearised, Tss − To = a + b·(Tw − To) (b: share of the water-to-outdoor gap the
// rooms keep; a: internal gains). Over L hours with constant inputs Ti(k+L) = Tss + (Ti(k) − Tss)·e^(−L/τ),
// so every pair of hourly means gives one observed Tss, and a + b is fitted by least squares
// (simple-statistics). The compound's water follows the outdoor temperature (its station's
// curve, less what its hydraulics lose): a second regression Tw vs To learns that slope.
// Prediction steps the first-order model hour by hour through the outdoor forecast, starting
// from the measured indoor temperature now.

import { linearRegression, rSquared } from 'simple-statistics';
import { HourPoints } from './hour-points';
import { doubles } from './series-slots';

const HOUR_MS = 3_600_000;

export interface ResponseFit {
  /** Tss − To = a + b·(Ts − To). */
  readonly a: number;
  readonly b: number;
  /** dTw/dTo of this compound (negative: colder outside, hotter water). */
  readonly waterSlope: number | undefined;
  readonly n: number;
  readonly r2: number;
  /** Mean residual of the newest pairs, added back so a model bias does not predict a fake trend. */
  readonly bias: number;
  /** 'fit' when learned from history, 'calibrated' when one point of the present state had to do. */
  readonly source: 'fit' | 'calibrated';
}

export interface IndoorResponseOptions {
  readonly timeConstantH: number;
  /** Hours of history kept (a week by default). */
  readonly capacityH?: number;
  /** Hours between the two ends of a fitted pair. */
  readonly lagH?: number;
  /** Fewest pairs for a fit. */
  readonly minPairs?: number;
}

export class IndoorResponse {
  // One per compound (17 k in a city): the hour being averaged and the fit's cache are fields,
  // not objects, and the options are kept only as numbers.
  private readonly hours: HourPoints;
  readonly timeConstantH: number;
  private readonly lagH: number;
  private readonly minPairs: number;
  /** The hour being averaged (-1: none) and its sample count; its sums are kept from `sums` on. */
  private curHour = -1;
  private curN = 0;
  /** Sums of the hour being averaged (indoor, outdoor, water): made at the first sample. */
  private sums: number[] | undefined;
  /** Newest hour the cached fit was computed at (-2: none). */
  private fitHour = -2;
  private fitted: ResponseFit | undefined;

  constructor(opts: IndoorResponseOptions) {
    this.timeConstantH = opts.timeConstantH;
    this.lagH = opts.lagH ?? 3;
    this.minPairs = opts.minPairs ?? 24;
    this.hours = new HourPoints(opts.capacityH ?? 168);
  }

  /** Add one observation (indoor, outdoor, mean water °C); samples must come in time order. */
  add(t: number, indoor: number, outdoor: number, water: number): void {
    const hour = Math.floor(t / HOUR_MS);
    if (this.curHour !== hour) {
      this.closeHour();
      this.curHour = hour;
    }
    const s = (this.sums ??= doubles(3, 0));
    this.curN++;
    s[0] = (s[0] as number) + indoor;
    s[1] = (s[1] as number) + outdoor;
    s[2] = (s[2] as number) + water;
  }

  get hoursHeld(): number {
    return this.hours.size;
  }

  /** The fit over the completed hours (recomputed once per new hour). */
  fit(): ResponseFit | undefined {
    const newest = this.hours.newestHour ?? -1;
    if (this.fitHour === newest) return this.fitted;
    this.fitted = this.computeFit();
    this.fitHour = newest;
    return this.fitted;
  }

  private closeHour(): void {
    const s = this.sums;
    const n = this.curN;
    if (s === undefined || n === 0) return;
    this.hours.push(this.curHour, (s[0] as number) / n, (s[1] as number) / n, (s[2] as number) / n);
    s.fill(0);
    this.curN = 0;
  }

  private computeFit(): ResponseFit | undefined {
    const hp = this.hours;
    const L = this.lagH;
    const alpha = Math.exp(-L / this.timeConstantH);
    const pairs: number[][] = [];
    const newest = hp.newestHour ?? -1;
    for (let h = hp.firstHour; h + L <= newest; h++) {
      if (!hp.has(h) || !hp.has(h + L)) continue;
      let so = 0;
      let ss = 0;
      let ok = true;
      for (let k = 0; k < L; k++) {
        if (!hp.has(h + k)) {
          ok = false;
          break;
        }
        so += hp.outdoor(h + k);
        ss += hp.water(h + k);
      }
      if (!ok) continue;
      so /= L;
      ss /= L;
      const tss = (hp.indoor(h + L) - alpha * hp.indoor(h)) / (1 - alpha);
      pairs.push([ss - so, tss - so]);
    }
    if (pairs.length < this.minPairs) return undefined;
    const xs = pairs.map((p) => p[0] ?? 0);
    if (Math.max(...xs) - Math.min(...xs) < 3) return undefined;
    const { m: b, b: a } = linearRegression(pairs);
    // Physically 0 < b < 1 (rooms sit between the water and the outdoor air); noise beyond that is no model.
    if (!(b > 0.02 && b < 1.2) || !Number.isFinite(a)) return undefined;
    const line = (x: number): number => a + b * x;
    const r2 = rSquared(pairs, line);
    const recent = pairs.slice(-6);
    const bias = recent.reduce((s, [x, y]) => s + ((y ?? 0) - line(x ?? 0)), 0) / recent.length;
    const pts = hp.list();
    const waterPts = pts.map((p) => [p.outdoor, p.water]);
    const tos = pts.map((p) => p.outdoor);
    const waterSlope = Math.max(...tos) - Math.min(...tos) >= 3 ? linearRegression(waterPts).m : undefined;
    return { a, b, waterSlope, n: pairs.length, r2, bias: Math.max(-3, Math.min(3, bias)), source: 'fit' };
  }
}

/** Without history: assume the present state is near its steady state (a = 0). */
export function calibrateNow(indoorC: number, outdoorC: number, waterC: number): ResponseFit | undefined {
  const gap = waterC - outdoorC;
  if (!(gap > 1)) return undefined;
  return { a: 0, b: (indoorC - outdoorC) / gap, waterSlope: undefined, n: 0, r2: 0, bias: 0, source: 'calibrated' };
}

export interface PredictInput {
  readonly indoorC: number;
  readonly outdoorNowC: number;
  /** Mean water temperature now, °C. */
  readonly waterNowC: number;
  readonly fit: ResponseFit;
  readonly timeConstantH: number;
  readonly horizonH: number;
  /** Hours stepped in all (≥ horizonH); default twice the horizon. */
  readonly lookH?: number;
  readonly thresholdC: number;
  /** Outdoor temperature forecast `h` hours ahead (fractional). */
  readonly outdoorAt: (h: number) => number;
  /** Water temperature for an outdoor temperature from the station curve (clipped as the controller clips it). */
  readonly waterFor: (outdoorC: number) => number;
  /** The curve's slope between its clips, d(waterFor)/dTo; with it, a learned slope is applied through the curve. */
  readonly curveSlope?: number;
}

export interface Prediction {
  /** Lowest predicted indoor temperature within `horizonH`. */
  readonly minC: number;
  /** Lowest within `lookH` (the look beyond the warning horizon, to judge how deep a dip goes). */
  readonly lowC: number;
  /** Hours until the indoor temperature first falls below the threshold (within `lookH`), or undefined. */
  readonly hoursToCross: number | undefined;
}

export function predictIndoor(p: PredictInput): Prediction {
  const decay = Math.exp(-1 / p.timeConstantH);
  const curveNow = p.waterFor(p.outdoorNowC);
  // How far this compound's water moves per kelvin the curve moves: learned (its hydraulics lose
  // some of the change), else all of it. Applied through the curve, so the water stops rising
  // where the controller clips the supply — a learned straight line would keep raising it, and
  // on the coldest morning predict rooms cooling as the afternoon warms.
  const ratio = p.fit.waterSlope !== undefined && p.curveSlope !== undefined && p.curveSlope !== 0 ? Math.min(1.5, Math.max(0.2, p.fit.waterSlope / p.curveSlope)) : undefined;
  let ti = p.indoorC;
  let minC = ti;
  let cross: number | undefined = ti < p.thresholdC ? 0 : undefined;
  let lowC = ti;
  const lookH = Math.max(p.horizonH, p.lookH ?? 2 * p.horizonH);
  for (let h = 1; h <= lookH; h++) {
    const to = p.outdoorAt(h - 0.5);
    const tw =
      ratio !== undefined
        ? p.waterNowC + ratio * (p.waterFor(to) - curveNow)
        : p.fit.waterSlope !== undefined && p.curveSlope === undefined
          ? p.waterNowC + p.fit.waterSlope * (to - p.outdoorNowC)
          : p.waterNowC + (p.waterFor(to) - curveNow);
    const tss = to + p.fit.a + p.fit.bias + p.fit.b * (tw - to);
    const next = tss + (ti - tss) * decay;
    if (cross === undefined && next < p.thresholdC) cross = h - 1 + (ti - p.thresholdC) / (ti - next);
    ti = next;
    if (h <= p.horizonH && ti < minC) minC = ti;
    if (ti < lowC) lowC = ti;
  }
  return { minC, lowC, hoursToCross: cross };
}
