// A heating season of simulated 12345 tickets with their truth, for evaluation: the simulated
// hotline (fixtures/sim/hotline) driven by synthetic indoor states instead of the physics, which
// is enough here (ticket understanding does not depend on why a flat is cold) and takes seconds.
//
// The states: every compound warm (20.5 °C) except
// - cold snaps: a station's tail-end compounds (末端) sag below 18 °C, their coldest flats more;
//   the rest of the city's coldest flats touch 17.5 °C;
// - network faults: all compounds of one station cool towards 14 °C for several hours (faultId set).

import type { NetworkModel } from '../domain/network';
import { createRng } from '../fixtures/sim/rng';
import { createHotline, type CompoundState, type SimTicket } from '../fixtures/sim/hotline';

const H = 3_600_000;
const D = 24 * H;

export interface SeasonOptions {
  readonly network: NetworkModel;
  readonly seed: number;
  /** Epoch ms; default 15 October 2024 00:00 Shanghai. */
  readonly from?: number;
  /** Epoch ms, exclusive; default 1 April 2025 00:00 Shanghai. */
  readonly to?: number;
  /** Multiplies the hotline's call rates (1 = calibrated rates). */
  readonly rateScale?: number;
}

interface Window {
  readonly from: number;
  readonly to: number;
}

interface Fault extends Window {
  readonly id: string;
  readonly stationId: string;
}

export const SEASON_FROM = Date.parse('2024-10-14T16:00:00Z');
export const SEASON_TO = Date.parse('2025-03-31T16:00:00Z');

export function generateSeasonTickets(opts: SeasonOptions): SimTicket[] {
  const { network } = opts;
  const from = opts.from ?? SEASON_FROM;
  const to = opts.to ?? SEASON_TO;
  const rng = createRng(opts.seed).fork('eval:season');
  const days = Math.max(1, Math.floor((to - from) / D));

  const snaps: Window[] = [];
  for (let i = 0; i < 5; i++) {
    const start = from + (Math.floor(((i + 0.5) * days) / 5) + rng.int(-6, 6)) * D;
    snaps.push({ from: start, to: start + rng.int(3, 6) * D });
  }
  const faults: Fault[] = [];
  for (let i = 0; i < 16; i++) {
    const start = from + rng.int(1, days - 2) * D + rng.int(0, 23) * H;
    const station = rng.pick(network.stations);
    faults.push({ id: `fault-${i + 1}`, stationId: station.id, from: start, to: start + rng.int(6, 36) * H });
  }

  const scale = opts.rateScale ?? 1;
  const hotline = createHotline({
    network,
    seed: opts.seed,
    rates: { coldA: 0.0024 * scale, inHomePerDay: 0.0004 * scale, noisePerDay: 0.0006 * scale },
  });
  const tickets: SimTicket[] = [];
  for (let t = from; t < to; t += H) {
    const states = new Map<string, CompoundState>();
    const snap = snaps.find((s) => t >= s.from && t < s.to);
    if (snap) {
      const depth = Math.sin((Math.PI * (t - snap.from)) / (snap.to - snap.from));
      for (const c of network.compounds) {
        const indoorC = c.tailEnd ? 18.6 - 3.2 * depth : 20.2 - 1 * depth;
        states.set(c.id, { compoundId: c.id, indoorC, coldestC: indoorC - (c.tailEnd ? 2.5 : 1.8) * depth });
      }
    }
    for (const f of faults) {
      if (t < f.from || t >= f.to) continue;
      const x = Math.min(1, (t - f.from) / (6 * H));
      for (const c of network.compoundsOf(f.stationId)) {
        const indoorC = 20.5 - 6.5 * x;
        states.set(c.id, { compoundId: c.id, indoorC, coldestC: indoorC - 2, faultId: f.id });
      }
    }
    for (const s of hotline.step(t, H, [...states.values()])) tickets.push(s);
  }
  return tickets;
}
