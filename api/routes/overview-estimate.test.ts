import { describe, expect, it } from 'vitest';
import type { CompoundView } from '../../domain/network';
import type { LatestValue } from '../../store/telemetry-store';
import { compoundGlances, estimateBelow18, stationGlances } from './overview-estimate';

const NOW = Date.parse('2025-01-15T04:00:00Z');
const H = 3_600_000;
const v = (id: string, field: string, value: LatestValue['value'], time = NOW - 60_000, sensor?: string): LatestValue => ({ measurement: 'compound', id, field, value, time, ...(sensor ? { sensor } : {}) });
const compound = (id: string, households: number): CompoundView => ({ id, households }) as unknown as CompoundView;

describe('overview summaries', () => {
  it('keeps the coldest and mean of fresh indoor sensors, and how many read below 18 °C', () => {
    const g = compoundGlances(
      [v('a', 't_indoor', 17.2, NOW - H, 's1'), v('a', 't_indoor', 19.0, NOW - H, 's2'), v('a', 't_indoor', 12.0, NOW - 4 * H, 's3'), v('a', 'dp', 14), v('a', 't_supply', 45.5)],
      NOW,
    );
    // s3 is four hours old: left out
    expect(g.a).toMatchObject({ indoorMin: 17.2, sensors: 2, sensorsBelow18: 1, dp: 14, t_supply: 45.5 });
    expect(g.a?.indoorMean).toBeCloseTo(18.1, 6);
  });

  it('estimates households below 18 °C as households × the share of cold sensors', () => {
    const glances = compoundGlances(
      [
        v('a', 't_indoor', 17.0, NOW, 's1'),
        v('a', 't_indoor', 19.0, NOW, 's2'),
        v('b', 't_indoor', 15.0, NOW, 's1'),
        v('c', 't_indoor', 21.0, NOW, 's1'),
        v('d', 't_indoor', 10.0, NOW - 5 * H, 's1'),
      ],
      NOW,
    );
    const e = estimateBelow18([compound('a', 301), compound('b', 120), compound('c', 500), compound('d', 90), compound('e', 70)], glances);
    // a: round(301 / 2) = 151; b: 120; c: 0; d: stale; e: no sensor
    expect(e).toMatchObject({ households: 271, compounds: 2, coveredHouseholds: 921, totalHouseholds: 1081 });
  });

  it('keeps the station fields the overview shows, with their newest time', () => {
    const s = stationGlances([
      { measurement: 'station', id: 'dexuan', field: 't2_supply', value: 52.1, time: NOW - 2000 },
      { measurement: 'station', id: 'dexuan', field: 'pump_state', value: 'fault', time: NOW - 1000 },
      { measurement: 'station', id: 'dexuan', field: 'heat_gj', value: 1234, time: NOW },
    ]);
    expect(s).toEqual({ dexuan: { t2_supply: 52.1, pump_state: 'fault', time: NOW - 1000 } });
  });
});
