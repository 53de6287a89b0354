import { describe, expect, it } from 'vitest';
import { FlatCalibration } from './flat-calibration';

const HOUR = 3_600_000;
const flat = (building: number, outdoor: number, f: number): number => outdoor + f * (building - outdoor);

describe('flat calibration', () => {
  it('reads a top-floor flat as the building once it has a day of hourly ratios', () => {
    const c = new FlatCalibration();
    for (let h = 0; h < 23; h++) c.observe('s1', h * HOUR, flat(20, -15, 0.96), -15, 20 + ((h % 3) - 1) * 0.2);
    expect(c.factor('s1')).toBeUndefined();
    expect(c.building('s1', 17.9, -19)).toEqual({ c: 17.9, calibrated: false });
    c.observe('s1', 23 * HOUR, flat(20, -15, 0.96), -15, 20);
    expect(c.factor('s1')).toBeCloseTo(0.96, 2);
    // −19 °C: the flat shows 17.9 °C while the building is at about 19.3 °C.
    expect(c.building('s1', flat(19.3, -19, 0.96), -19).c).toBeCloseTo(19.3, 1);
  });

  it('learns once per hour, not from mild weather, not from a disagreement no flat explains', () => {
    const c = new FlatCalibration();
    for (let m = 0; m < 60; m++) c.observe('s1', m * 60_000, flat(20, -10, 0.9), -10, 20);
    for (let h = 1; h < 30; h++) c.observe('s1', h * HOUR, 19, 12, 20); // 8 K from outdoor: too mild
    for (let h = 30; h < 60; h++) c.observe('s1', h * HOUR, flat(20, -10, 0.6), -10, 20); // 60 %: no flat
    expect(c.factor('s1')).toBeUndefined();
    for (let h = 60; h < 83; h++) c.observe('s1', h * HOUR, flat(20, -10, 0.9), -10, 20);
    expect(c.factor('s1')).toBeCloseTo(0.9, 5);
  });

  it('forgets beyond three days: a re-hung sensor is relearned', () => {
    const c = new FlatCalibration();
    for (let h = 0; h < 72; h++) c.observe('s1', h * HOUR, flat(20, -10, 0.9), -10, 20);
    for (let h = 72; h < 72 + 40; h++) c.observe('s1', h * HOUR, flat(20, -10, 1.0), -10, 20);
    expect(c.factor('s1')).toBeCloseTo(1.0, 5);
  });
});
