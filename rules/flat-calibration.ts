// Indoor sensors sit in particular flats. A flat keeps its own share f of the building's
// indoor–outdoor difference — top floors, gable ends and corners less (f < 1), a middle flat
// about all of it: T_flat = To + f·(T_building − To). So on a −19 °C morning a good compound at
// 19.2 °C shows 17.9 °C in a flat with f = 0.97, and judging the flat would call the compound
// cold. Each sensor's f is learned against the heat-meter estimate of the building (the heat
// balance, rules/signals.ts indoorEstimate): one ratio (T_flat − To)/(T_est − To) per hour while
// the building is heated well above the outdoor air, the median of the last three days. With f
// known, the sensor reads the building: To + (T_flat − To)/f. Until a sensor has a day of
// ratios it is used as it reads.
//
// Bounded: at most SAMPLES ratios per sensor; one update per sensor per hour.

const HOUR_MS = 3_600_000;
/** Hourly ratios kept per sensor: three days. */
const SAMPLES = 72;
/** Ratios needed before a factor is used: a day (its daily cycle averaged out). */
const MIN_SAMPLES = 24;
/** Below this building-minus-outdoor difference the ratio is mostly noise (mild weather). */
const MIN_GAP_K = 10;
/**
 * Flats keep between these shares of the difference (a top-floor corner flat ≈ 0.85, a middle
 * flat ≈ 1). A ratio outside says the heat-meter model and the sensor disagree beyond any flat's
 * position — a wrong heat-loss coefficient, a faulty meter or sensor — and is not learned from:
 * such a sensor stays uncalibrated and is read as it is.
 */
const PLAUSIBLE: readonly [number, number] = [0.85, 1.08];

interface SensorFactor {
  hour: number;
  /** The last ratios, oldest first, in single precision (a ratio near 1 to 1e-7; a city has 15 k sensors × 72). */
  readonly ratios: Float32Array;
  n: number;
  /** Median of the ratios held, refreshed when a ratio is added. */
  factor: number | undefined;
}

export class FlatCalibration {
  /** Made at the first sensor learned from: most compounds wait a while (an empty map each is ≈ 3 MB for a city). */
  private sensors: Map<string, SensorFactor> | undefined;

  /** Learn from one sensor's reading at `t` (at most once per hour per sensor). */
  observe(sensor: string, t: number, flatC: number, outdoorC: number, buildingEstC: number): void {
    const gap = buildingEstC - outdoorC;
    if (!(gap >= MIN_GAP_K)) return;
    const hour = Math.floor(t / HOUR_MS);
    const all = (this.sensors ??= new Map());
    let s = all.get(sensor);
    if (s === undefined) all.set(sensor, (s = { hour: Number.NEGATIVE_INFINITY, ratios: new Float32Array(SAMPLES), n: 0, factor: undefined }));
    if (s.hour === hour) return;
    const r = (flatC - outdoorC) / gap;
    if (!(r >= PLAUSIBLE[0] && r <= PLAUSIBLE[1])) return;
    s.hour = hour;
    if (s.n === SAMPLES) s.ratios.copyWithin(0, 1);
    else s.n++;
    s.ratios[s.n - 1] = r;
    s.factor = s.n >= MIN_SAMPLES ? medianOf(s.ratios.subarray(0, s.n)) : undefined;
  }

  factor(sensor: string): number | undefined {
    return this.sensors?.get(sensor)?.factor;
  }

  /** The building temperature a sensor's reading stands for (its reading until calibrated). */
  building(sensor: string, flatC: number, outdoorC: number): { c: number; calibrated: boolean } {
    const f = this.factor(sensor);
    return f === undefined ? { c: flatC, calibrated: false } : { c: outdoorC + (flatC - outdoorC) / f, calibrated: true };
  }
}

function medianOf(xs: Float32Array): number {
  const s = xs.slice().sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
