import { describe, expect, it } from 'vitest';
import { ColdSnapDetector } from './backtest-cold-snap';
import { weather } from './test-fixtures';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00+08:00');

describe('cold snap detector', () => {
  it('marks the days a 24-h mean falls 4 K below the week before, and the day before they set in', () => {
    const d = new ColdSnapDetector();
    // Ten ordinary days at −8 °C ± 5 K, then a drop to −16 °C held for three days.
    const snapAt = T0 + 10 * 24 * HOUR;
    const outdoor = (t: number): number => (t < snapAt ? -8 : -16) + 5 * Math.sin((2 * Math.PI * (t - T0)) / (24 * HOUR));
    for (let t = T0; t < T0 + 13 * 24 * HOUR; t += HOUR / 2) d.observe([weather(t, outdoor(t))]);
    expect(d.at(T0 + 9 * 24 * HOUR)).toBe(false);
    expect(d.at(snapAt - 6 * HOUR)).toBe(true); // the cold arrives within the day
    expect(d.at(snapAt + 24 * HOUR)).toBe(true);
    expect(d.at(T0 + 3 * 24 * HOUR)).toBe(false); // no week of history before it
  });
});
