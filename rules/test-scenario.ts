// A small synthetic day on the mini network for the rules tests: healthy readings plus optional
// faults, station scans every minute, compounds and indoor sensors every 5 minutes.

import type { Metric } from '../domain/telemetry';
import { healthyCompound, healthyStation, HOUR, indoor, miniNetwork, MIN, T0, weather } from './test-fixtures';

export interface ScenarioFaults {
  /** Pump of this station stopped in [from, to). */
  readonly pumpTrip?: { readonly station: string; readonly from: number; readonly to: number };
  /** Primary supply of these stations `dropK` lower in [from, to); their secondary falls below the curve. */
  readonly plantDrop?: { readonly stations: readonly string[]; readonly from: number; readonly to: number; readonly dropK: number };
  /** Indoor temperature of a compound: a function of time (°C). */
  readonly indoorOf?: Readonly<Record<string, (t: number) => number>>;
  /** Replace one indoor sensor's readings (sensor faults); `truth` is the healthy reading, noise included. */
  readonly sensorOverride?: { readonly compound: string; readonly sensor: string; readonly value: (t: number, truth: number) => number | undefined };
}

export const outdoorAt = (t: number): number => -8 + 3 * Math.sin((2 * Math.PI * (t - T0)) / (24 * HOUR));

export function scenario(hours: number, faults: ScenarioFaults = {}, start = T0): Metric[] {
  const net = miniNetwork();
  const out: Metric[] = [];
  for (let t = start; t < start + hours * HOUR; t += MIN) {
    const to = outdoorAt(t);
    const fiveMin = (t - start) % (5 * MIN) === 0;
    if (fiveMin) out.push(weather(t, Math.round(to * 10) / 10));
    for (const s of net.stations) {
      const pump = faults.pumpTrip !== undefined && faults.pumpTrip.station === s.id && t >= faults.pumpTrip.from && t < faults.pumpTrip.to;
      const drop = faults.plantDrop !== undefined && faults.plantDrop.stations.includes(s.id) && t >= faults.plantDrop.from && t < faults.plantDrop.to;
      const dropK = drop ? (faults.plantDrop?.dropK ?? 0) : 0;
      const m = healthyStation(net, s.id, t, to, pump ? { pump_state: 'stop', pump_hz: 0, flow2: 0, flow1: 0 } : drop ? { valve_pct: 100 } : {}, {
        primaryDropK: dropK,
        curveOffsetK: drop ? -8 : 0,
        heatShare: drop ? 0.6 : 1,
      });
      out.push(m);
      if (!fiveMin) continue;
      for (const c of net.compoundsOf(s.id)) {
        out.push(healthyCompound(net, c.id, t, to, pump ? { flow: 0, dp: 0 } : {}));
        const truth = faults.indoorOf?.[c.id]?.(t) ?? 20.5;
        for (const [i, sensor] of c.indoorSensors.entries()) {
          const o = faults.sensorOverride;
          const reading = truth + (i === 0 ? 0.1 : -0.1) + ((Math.floor(t / (5 * MIN)) % 3) - 1) * 0.05;
          const v = o !== undefined && o.compound === c.id && o.sensor === sensor ? o.value(t, reading) : reading;
          if (v !== undefined) out.push(indoor(c.id, sensor, t, Math.round(v * 100) / 100));
        }
      }
    }
  }
  return out;
}

/** A deterministic shuffle (LCG), for arrival-order tests. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const a = [...items];
  let x = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}
