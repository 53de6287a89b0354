import { describe, expect, it } from 'vitest';
import type { SeriesResponseDto } from '../../api/dto';
import { fillSeries, stateSpans } from './series-data';
import type { Point } from './sorted-points';
import type { Band } from './time-chart';

const resp: SeriesResponseDto = {
  entity: 'station:dexuan',
  from: 0,
  to: 100,
  every: '5m',
  everyMs: 300_000,
  maxPoints: 2000,
  series: [
    { field: 't2_supply', unit: '°C', mode: 'mean-min-max', points: [[0, 50, 49, 51], [10, 52, 50, 55]] },
    { field: 't_indoor', sensor: 's1', unit: '°C', mode: 'raw', points: [[0, 18.2], [10, 17.9]] },
    { field: 'pump_state', unit: '', mode: 'changes', points: [[0, 'run'], [40, 'fault'], [70, 'run']] },
  ],
};

describe('series into chart state', () => {
  it('keeps means as the line and min/max as the band, sensors apart', () => {
    const points = new Map<string, Point[]>();
    const bands = new Map<string, Band[]>();
    fillSeries(resp, points, bands);
    expect(points.get('t2_supply')).toEqual([[0, 50], [10, 52]]);
    expect(bands.get('t2_supply')).toEqual([[0, 49, 51], [10, 50, 55]]);
    expect(points.get('t_indoor.s1')).toEqual([[0, 18.2], [10, 17.9]]);
    expect(bands.get('t_indoor.s1')).toEqual([]);
  });
  it('turns state changes into spans of the states asked for', () => {
    expect(stateSpans(resp, 'pump_state', { fault: 'red' }, { fault: '故障' }, 100)).toEqual([{ from: 40, to: 70, color: 'red', label: '故障' }]);
    expect(stateSpans(resp, 'pump_state', { run: 'g' }, {}, 100)).toEqual([{ from: 0, to: 40, color: 'g' }, { from: 70, to: 100, color: 'g' }]);
  });
});
