// A compound's hourly means for the learned indoor response (indoor-response.ts), newest last, at
// most `capacity` of them: one ring (hour, indoor, outdoor, water per point), not an object with
// three boxed numbers per hour. A city's 17 k compounds keep a week each: ≈ 200 MB of point objects,
// 90 MB as doubles, 45 MB in single precision, which is what the ring keeps: hours since 1970 are
// whole numbers far below 2^24 (exact), and an hourly mean in °C rounds by ≈ 1e-6 K. The fit's
// steady-state temperatures amplify that 10–30× (divided by 1 − e^(−L/τ)); over 200 synthetic
// compounds × 8 days the fitted intercept moved by at most 3e-5 K and the slope by 5e-7.

const W = 4;

export interface HourPoint {
  readonly hour: number;
  readonly indoor: number;
  readonly outdoor: number;
  readonly water: number;
}

export class HourPoints {
  private a = new Float32Array(0);
  private head = 0;
  private len = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.len;
  }

  /** Hour of the newest point, undefined when none. */
  get newestHour(): number | undefined {
    return this.len === 0 ? undefined : this.a[this.at(this.len - 1)];
  }

  /** Appends a point; the oldest leaves once `capacity` are held. */
  push(hour: number, indoor: number, outdoor: number, water: number): void {
    if (this.capacity < 1) return;
    if (this.len === this.cap()) {
      if (this.len >= this.capacity) {
        this.head = (this.head + 1) % this.cap();
        this.len--;
      } else this.grow();
    }
    const o = this.at(this.len);
    this.a[o] = hour;
    this.a[o + 1] = indoor;
    this.a[o + 2] = outdoor;
    this.a[o + 3] = water;
    this.len++;
  }

  /** The points, oldest first (made when the response is fitted, once an hour). */
  list(): HourPoint[] {
    const out: HourPoint[] = [];
    for (let i = 0; i < this.len; i++) {
      const o = this.at(i);
      out.push({ hour: this.a[o] as number, indoor: this.a[o + 1] as number, outdoor: this.a[o + 2] as number, water: this.a[o + 3] as number });
    }
    return out;
  }

  private cap(): number {
    return this.a.length / W;
  }

  private at(i: number): number {
    return ((this.head + i) % this.cap()) * W;
  }

  /** Room doubles up to `capacity` points (most compounds hold a few hours for a while). */
  private grow(): void {
    const cap = Math.min(this.capacity, Math.max(8, 2 * this.cap()));
    const next = new Float32Array(cap * W);
    for (let i = 0; i < this.len; i++) {
      const o = this.at(i);
      next.set(this.a.subarray(o, o + W), i * W);
    }
    this.a = next;
    this.head = 0;
  }
}
