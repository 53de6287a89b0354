// A compound's hourly means for the learned indoor response (indoor-response.ts): the last
// `capacity` hours (a week), keyed by hour, one ring of 16-bit integers (indoor, outdoor, water per
// hour), made at the first hour and grown as hours fill. A city's 17 k compounds keep a week each:
// ≈ 200 MB as point objects, 47 MB as single-precision (hour, indoor, outdoor, water) rows, 17.5 MB
// here — the hour is the slot (hour mod size), not stored, and temperatures are kept to 1/500 K
// (indoor, outdoor) and 1/200 K (water). The fit amplifies the indoor means 10–30× (divided by
// 1 − e^(−L/τ)); over 200 synthetic compounds × 8 days (τ 20–60 h, fitted every 6 h) the fitted
// steady state at a 30 K water-to-outdoor gap moved by at most 0.024 K against exact hourly means,
// where two draws of the sensors' own noise (0.05–0.25 K) move it by up to 1 K.

const W = 3;
/**
 * Units per kelvin of each value: indoor and outdoor 1/500 K (±65 °C; the indoor mean is the one
 * the fit amplifies), the water 1/200 K (±163 °C).
 */
const SCALE: readonly number[] = [500, 500, 200];
/** An hour with no point (its indoor slot). */
const MISSING = -32768;
const MAX = 32767;

export interface HourPoint {
  readonly hour: number;
  readonly indoor: number;
  readonly outdoor: number;
  readonly water: number;
}

/** A temperature as held in column `k`, clamped to the 16-bit range (never the missing mark). */
function units(c: number, k: number): number {
  return Math.max(-MAX, Math.min(MAX, Math.round(c * (SCALE[k] as number))));
}

export class HourPoints {
  /** `size` hours of W values; hour h at slot h mod size. Made at the first point. */
  private a: Int16Array | undefined;
  /** Newest hour pushed; -1 before the first. */
  private newest = -1;
  private held = 0;

  constructor(private readonly capacity: number) {}

  /** Points held (hours with a mean within the last `capacity` hours). */
  get size(): number {
    return this.held;
  }

  /** Hour of the newest point, undefined when none. */
  get newestHour(): number | undefined {
    return this.held === 0 ? undefined : this.newest;
  }

  /** Oldest hour the ring can still hold a point of (the window's first hour). */
  get firstHour(): number {
    // Hours are never negative (push refuses them): a ring not yet wrapped starts at hour 0.
    return Math.max(0, this.newest - this.slots() + 1);
  }

  /**
   * Appends the mean of `hour` (after every hour held; an earlier or equal hour is ignored, as is
   * a non-finite value). Hours older than `capacity` before it leave; hours skipped stay empty.
   */
  push(hour: number, indoor: number, outdoor: number, water: number): void {
    if (this.capacity < 1 || hour <= this.newest || !Number.isFinite(indoor) || !Number.isFinite(outdoor) || !Number.isFinite(water)) return;
    this.fit(hour);
    const a = this.a as Int16Array;
    const n = this.slots();
    // Empty the hours from after the newest up to this one: what they held is older than the window.
    const from = Math.max(this.newest + 1, hour - n + 1);
    for (let h = from; h <= hour; h++) {
      const o = (h % n) * W;
      if (a[o] !== MISSING) this.held--;
      a[o] = MISSING;
    }
    const o = (hour % n) * W;
    a[o] = units(indoor, 0);
    a[o + 1] = units(outdoor, 1);
    a[o + 2] = units(water, 2);
    this.held++;
    this.newest = hour;
  }

  /** Whether `hour` has a point. */
  has(hour: number): boolean {
    const a = this.a;
    return a !== undefined && hour <= this.newest && hour >= this.firstHour && a[(hour % this.slots()) * W] !== MISSING;
  }
  /** The hour's values (°C as held); only for an hour that `has` a point. */
  indoor(hour: number): number {
    return this.value(hour, 0);
  }
  outdoor(hour: number): number {
    return this.value(hour, 1);
  }
  water(hour: number): number {
    return this.value(hour, 2);
  }

  /** The points, oldest first. */
  list(): HourPoint[] {
    const out: HourPoint[] = [];
    for (let h = this.firstHour; h <= this.newest; h++) if (this.has(h)) out.push({ hour: h, indoor: this.indoor(h), outdoor: this.outdoor(h), water: this.water(h) });
    return out;
  }

  private value(hour: number, k: number): number {
    return ((this.a as Int16Array)[(hour % this.slots()) * W + k] as number) / (SCALE[k] as number);
  }

  private slots(): number {
    return this.a === undefined ? 0 : this.a.length / W;
  }

  /**
   * Room for `hour` and the points still within `capacity` hours of it: most compounds hold a few
   * hours for a while, so the ring starts at 8 hours and doubles up to `capacity`, re-keyed.
   */
  private fit(hour: number): void {
    const n = this.slots();
    if (n === this.capacity) return;
    let oldest = hour;
    for (let h = Math.max(this.firstHour, hour - this.capacity + 1); h <= this.newest; h++) {
      if (this.has(h)) {
        oldest = h;
        break;
      }
    }
    const need = hour - oldest + 1;
    if (this.a !== undefined && need <= n) return;
    const size = Math.min(this.capacity, Math.max(8, 2 * n, need));
    const next = new Int16Array(size * W).fill(MISSING);
    let held = 0;
    for (let h = oldest; h <= this.newest; h++) {
      if (!this.has(h)) continue;
      const from = (h % n) * W;
      next.set((this.a as Int16Array).subarray(from, from + W), (h % size) * W);
      held++;
    }
    this.a = next;
    this.held = held;
  }
}
