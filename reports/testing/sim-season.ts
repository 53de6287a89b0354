// Simulated days for the report tests: three Jiayuguan stations (德轩 with its tail end, 幸福 and
// 和平) under the season-2024 scenario, its faults of these entities shifted into the window (the
// chronic tail-end imbalance at 龙湖华庭 and 东湖怡园 kept), mild days then a cold snap, written
// into a telemetry store as the ingester would (hourly aggregates read it back).

import { readFileSync } from 'node:fs';
import type { NetworkModel } from '../../domain/network';
import type { FieldValue, Metric } from '../../domain/telemetry';
import { parseTopic } from '../../ingest/parse-message';
import type { TelemetryStore } from '../../store/telemetry-store';
import { createCity } from '../../fixtures/sim/city';
import { parseScenario } from '../../fixtures/sim/scenario';
import { jiayuguanNetwork } from '../../fixtures/sim/sub-network';
import { constantWeather } from '../../fixtures/sim/weather';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const SIM_STATIONS = ['dexuan', 'xingfu', 'heping'] as const;

interface RawFault {
  readonly id: string;
  readonly entity: string;
  readonly start: string;
  readonly end: string;
  readonly [k: string]: unknown;
}

/** season-2024's faults of the subset; short ones moved into [start, start + days), long ones kept. */
export function shiftedScenario(network: NetworkModel, start: number, days: number): unknown {
  const raw = JSON.parse(readFileSync(new URL('../../fixtures/scenarios/season-2024.json', import.meta.url), 'utf8')) as { name: string; faults: RawFault[] };
  const known = (id: string): boolean => network.station(id) !== undefined || network.compound(id) !== undefined;
  const end = start + days * DAY;
  const faults = raw.faults
    .filter((f) => known(f.entity))
    .map((f, i) => {
      const s = Date.parse(f.start);
      const e = Date.parse(f.end);
      if (s <= start && e >= end) return f;
      // Keep its time of day and duration; spread the faults over the window's days.
      const dayStart = start + (i % days) * DAY;
      const ns = dayStart + (((s + 8 * HOUR) % DAY) + DAY) % DAY;
      const ne = Math.min(end, ns + (e - s));
      return { ...f, start: new Date(ns).toISOString(), end: new Date(ne).toISOString() };
    });
  return { version: 1, name: `${raw.name} (shifted)`, faults };
}

export interface SimSeason {
  readonly network: NetworkModel;
  readonly from: number;
  readonly to: number;
  readonly metrics: number;
}

export async function simulateInto(store: TelemetryStore, opts: { start?: number; days?: number; outdoorC?: (t: number) => number } = {}): Promise<SimSeason> {
  const network = jiayuguanNetwork([...SIM_STATIONS]);
  const start = opts.start ?? Date.parse('2025-01-10T00:00:00+08:00');
  const days = opts.days ?? 2;
  const scenario = parseScenario(shiftedScenario(network, start, days), network, 'season-2024 shifted');
  // Mild days, then a cold snap of the second half; the daily cycle coldest at 08:00.
  const snap = start + Math.floor(days / 2) * DAY;
  const outdoor = opts.outdoorC ?? ((t: number) => (t < snap ? -6 : -16) + 3 * Math.sin((2 * Math.PI * ((t + 8 * HOUR) % DAY - 14 * HOUR)) / DAY));
  const city = createCity({ network, scenario, seed: 7, start, weather: constantWeather(outdoor), warmupMs: 2 * DAY, stationScanMs: 300_000, compoundScanMs: 300_000, physicsStepMs: 60_000 });
  let n = 0;
  let batch: Metric[] = [];
  while (city.now < start + days * DAY) {
    for (const m of city.step().messages) {
      const topic = parseTopic(m.topic);
      if (!topic) continue;
      const fields: Record<string, FieldValue> = {};
      for (const [k, v] of Object.entries(m.payload.values)) if (typeof v === 'string' || Number.isFinite(v)) fields[k] = v;
      if (Object.keys(fields).length === 0) continue;
      batch.push({ measurement: topic.kind, tags: m.payload.sensor === undefined ? { id: topic.id } : { id: topic.id, sensor: m.payload.sensor }, fields, time: m.payload.ts });
    }
    if (batch.length >= 5000) {
      await store.write(batch);
      n += batch.length;
      batch = [];
    }
  }
  await store.write(batch);
  n += batch.length;
  return { network, from: start, to: start + days * DAY, metrics: n };
}
