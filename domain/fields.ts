// Canonical telemetry fields of contract v1, per entity kind, with unit, type and labels.
// The ingester accepts only these; the API and the web page take units and labels from here.

import type { EntityKind } from './telemetry';

export type FieldType = 'number' | 'string' | 'boolean';

export interface FieldSpec {
  readonly type: FieldType;
  /** Unit as shown to users: °C, m³/h, MPa, kPa, %, Hz, GJ. Empty for states. */
  readonly unit: string;
  readonly zh: string;
  readonly en: string;
  /** Allowed values for string fields. */
  readonly values?: readonly string[];
}

const num = (unit: string, zh: string, en: string): FieldSpec => ({ type: 'number', unit, zh, en });

export const PUMP_STATES = ['run', 'stop', 'fault'] as const;
export type PumpState = (typeof PUMP_STATES)[number];

export const FIELDS = {
  station: {
    t1_supply: num('°C', '一次供水温度', 'Primary supply temp.'),
    t1_return: num('°C', '一次回水温度', 'Primary return temp.'),
    t2_supply: num('°C', '二次供水温度', 'Secondary supply temp.'),
    t2_return: num('°C', '二次回水温度', 'Secondary return temp.'),
    flow1: num('m³/h', '一次流量', 'Primary flow'),
    flow2: num('m³/h', '二次流量', 'Secondary flow'),
    p1_supply: num('MPa', '一次供水压力', 'Primary supply pressure'),
    p1_return: num('MPa', '一次回水压力', 'Primary return pressure'),
    p2_supply: num('MPa', '二次供水压力', 'Secondary supply pressure'),
    p2_return: num('MPa', '二次回水压力', 'Secondary return pressure'),
    valve_pct: num('%', '一次阀门开度', 'Primary valve opening'),
    pump_state: { type: 'string', unit: '', zh: '循环泵状态', en: 'Circulation pump state', values: PUMP_STATES },
    pump_hz: num('Hz', '循环泵频率', 'Circulation pump frequency'),
    makeup_flow: num('m³/h', '补水流量', 'Make-up water flow'),
    heat_gj: num('GJ', '累计热量', 'Heat meter (cumulative)'),
    t2_supply_sp: num('°C', '二次供水设定', 'Secondary supply set-point'),
  },
  compound: {
    t_supply: num('°C', '小区供水温度', 'Compound supply temp.'),
    t_return: num('°C', '小区回水温度', 'Compound return temp.'),
    dp: num('kPa', '资用压差', 'Differential pressure'),
    flow: num('m³/h', '小区流量', 'Compound flow'),
    t_indoor: num('°C', '室温', 'Indoor temp.'),
  },
  weather: {
    t_outdoor: num('°C', '室外温度', 'Outdoor temp.'),
  },
} as const satisfies Record<EntityKind, Record<string, FieldSpec>>;

export type StationField = keyof typeof FIELDS.station;
export type CompoundField = keyof typeof FIELDS.compound;

/** The spec of a canonical field, or undefined when the field is not part of contract v1. */
export function fieldSpec(kind: EntityKind, field: string): FieldSpec | undefined {
  const table: Record<string, FieldSpec> = FIELDS[kind];
  return Object.prototype.hasOwnProperty.call(table, field) ? table[field] : undefined;
}
