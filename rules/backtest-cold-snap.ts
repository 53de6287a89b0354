// Which times of a replay were cold snaps, from the outdoor temperatures replayed (all weather
// sites averaged per hour): the mean of the last 24 h at least `depthK` below the mean of the week
// before it — a sharp, lasting drop, the weather that drags tail-end compounds under 18 °C.
// A truth-side label for scoring: it may look a day ahead of the episode it classifies.
// Used only to pick the episodes the backtest reports prediction leads for; no rule reads it.

import type { Metric } from '../domain/telemetry';

const HOUR = 3_600_000;

export class ColdSnapDetector {
  private readonly hours = new Map<number, { sum: number; n: number }>();

  constructor(private readonly depthK = 4) {}

  observe(batch: readonly Metric[]): void {
    for (const m of batch) {
      const v = m.fields['t_outdoor'];
      if (m.measurement !== 'weather' || typeof v !== 'number' || !Number.isFinite(v)) continue;
      const h = Math.floor(m.time / HOUR);
      const cell = this.hours.get(h);
      if (cell === undefined) this.hours.set(h, { sum: v, n: 1 });
      else {
        cell.sum += v;
        cell.n++;
      }
    }
  }

  /** Mean outdoor °C over the hours [fromH, toH), or undefined when fewer than half are known. */
  private mean(fromH: number, toH: number): number | undefined {
    let sum = 0;
    let n = 0;
    for (let h = fromH; h < toH; h++) {
      const c = this.hours.get(h);
      if (c === undefined) continue;
      sum += c.sum / c.n;
      n++;
    }
    return n * 2 >= toH - fromH ? sum / n : undefined;
  }

  /**
   * A cold snap is on at `t`, or sets in within the next day (rooms cross 18 °C while the cold
   * arrives, before the 24-h mean has fallen all the way). Needs the week before replayed.
   */
  at(t: number): boolean {
    return this.on(t) || this.on(t + 12 * HOUR) || this.on(t + 24 * HOUR);
  }

  private on(t: number): boolean {
    const h = Math.floor(t / HOUR);
    const day = this.mean(h - 24, h);
    const week = this.mean(h - 24 * 8, h - 24);
    return day !== undefined && week !== undefined && day <= week - this.depthK;
  }
}
