// The station page's charts: which fields share a chart (one unit per chart, so every axis has
// its unit), their colours, and the shaded pump states.

import { COLOURS } from './palette';

export interface StationChartDef {
  readonly id: string;
  readonly unit: string;
  readonly lines: readonly { field: string; color: string; dashed?: boolean; step?: boolean }[];
  readonly yMin?: number;
  readonly yMax?: number;
}

export const STATION_CHARTS: readonly StationChartDef[] = [
  {
    id: 'secondary',
    unit: '°C',
    lines: [
      { field: 't2_supply', color: COLOURS.supply },
      { field: 't2_return', color: COLOURS.return },
      { field: 't2_supply_sp', color: COLOURS.setpoint, dashed: true, step: true },
    ],
  },
  {
    id: 'primary',
    unit: '°C',
    lines: [
      { field: 't1_supply', color: COLOURS.supplyPrimary },
      { field: 't1_return', color: COLOURS.returnPrimary },
    ],
  },
  {
    id: 'flows',
    unit: 'm³/h',
    lines: [
      { field: 'flow2', color: COLOURS.flowSecondary },
      { field: 'flow1', color: COLOURS.flowPrimary },
      { field: 'makeup_flow', color: '#f0b429', dashed: true },
    ],
  },
  {
    id: 'pressures',
    unit: 'MPa',
    lines: [
      { field: 'p1_supply', color: COLOURS.supplyPrimary },
      { field: 'p1_return', color: COLOURS.returnPrimary },
      { field: 'p2_supply', color: COLOURS.supply },
      { field: 'p2_return', color: COLOURS.return },
    ],
  },
  { id: 'valve', unit: '%', lines: [{ field: 'valve_pct', color: '#f0b429' }], yMin: 0, yMax: 100 },
  { id: 'pump', unit: 'Hz', lines: [{ field: 'pump_hz', color: COLOURS.flowPrimary }], yMin: 0 },
];

/** Every numeric field the charts draw, plus the pump state for its spans. */
export const STATION_SERIES_FIELDS: readonly string[] = [...STATION_CHARTS.flatMap((c) => c.lines.map((l) => l.field)), 'pump_state'];

export const PUMP_SPAN_COLOURS: Readonly<Record<string, string>> = { stop: '#8da2bd', fault: '#ff4d6d' };
