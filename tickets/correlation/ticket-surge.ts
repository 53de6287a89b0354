// Early warning from complaints alone, for areas without sensors: a surge of "not warm" tickets
// in a compound or a station against that area's own baseline.
//
// Model: complaints arrive as a Poisson process whose rate is the area's households × its own
// rate × the heating deficit (18 °C − outdoor, at least 1 K): the colder it is, the more people
// call even on a healthy network. Each area's rate is learned from its own past complaints
// (exponentially forgotten, half-life `halfLifeMs`), shrunk towards the city's rate by a prior
// worth `priorDegreeDays` of exposure (a compound with little history behaves like the city).
// Tickets in the window under test are not yet in the baseline. A warning opens when the
// window's count n ≥ `minCount` and P(N ≥ n | expected) < `pAlarm`; it closes a window after
// the last ticket that kept it open.
//
// Outdoor temperatures come from weather telemetry (observeOutdoor); hours without a reading
// take the last one known (or `defaultDeficitK` before any). Memory: an hourly deficit series
// of at most `historyDays`, and per area a decayed count plus the tickets of the last window.

import type { NetworkModel } from '../../domain/network';
import { poissonUpperTail } from './poisson';

export interface SurgeOptions {
  readonly windowMs: number;
  readonly pAlarm: number;
  readonly minCount: number;
  /** Half-life of an area's complaint history, ms (default 14 days). */
  readonly halfLifeMs?: number;
  /** Prior complaint rate per household per K·day of heating deficit (default 3e-5). */
  readonly priorRate?: number;
  /** Weight of the city's rate in each area's estimate, K·days (default 60: four days at 15 K). */
  readonly priorDegreeDays?: number;
  /** Deficit assumed before any outdoor reading, K (default 15). */
  readonly defaultDeficitK?: number;
  /** Outdoor history kept, days (default 120). */
  readonly historyDays?: number;
}

export interface SurgeWarning {
  /** `surge@<level>/<id>@<opened>`. */
  readonly id: string;
  readonly level: 'compound' | 'station';
  readonly entityId: string;
  readonly stationId: string;
  /** Indoor sensors in the area: 0 means complaints are its only signal. */
  readonly indoorSensors: number;
  readonly openedAt: number;
  lastAt: number;
  /** Largest count in one window, and what the baseline expected then. */
  observed: number;
  expected: number;
  /** Smallest tail probability seen. */
  pValue: number;
  /** The area's learned rate, complaints per 10,000 households per day at the current deficit. */
  baselinePer10kPerDay: number;
  state: 'open' | 'closed';
  closedAt?: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const COMFORT_C = 18;

interface Area {
  readonly level: 'compound' | 'station';
  readonly id: string;
  readonly stationId: string;
  readonly households: number;
  readonly sensors: number;
  /** Tickets in the current window, receipt times ascending. */
  recent: number[];
  /** Decayed count of older tickets, as of `countAt`. */
  count: number;
  countAt: number;
  warning?: SurgeWarning;
}

export class TicketSurgeDetector {
  private readonly areas = new Map<string, Area>();
  /** Heating deficit per hour bucket (index = floor(t / HOUR)). */
  private readonly deficit = new Map<number, number>();
  private lastDeficit: number;
  private readonly tau: number;
  private readonly kept: SurgeWarning[] = [];
  private readonly households: number;
  /** City totals of matured counts, decayed, as of `cityAt`. */
  private cityCount = 0;
  private cityAt = Number.NEGATIVE_INFINITY;
  /** First event time seen: exposure counts from here. */
  private startedAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly network: NetworkModel,
    private readonly o: SurgeOptions,
  ) {
    this.tau = (o.halfLifeMs ?? 14 * DAY) / Math.LN2;
    this.lastDeficit = o.defaultDeficitK ?? 15;
    this.households = network.totalHouseholds();
  }

  /** An outdoor reading, °C. */
  observeOutdoor(t: number, outdoorC: number): void {
    if (!Number.isFinite(t) || !Number.isFinite(outdoorC)) return;
    this.startedAt = Math.min(this.startedAt, t);
    const d = Math.max(1, COMFORT_C - outdoorC);
    const h = Math.floor(t / HOUR);
    const prev = this.deficit.get(h);
    this.deficit.set(h, prev === undefined ? d : (prev + d) / 2);
    this.lastDeficit = d;
    const oldest = h - (this.o.historyDays ?? 120) * 24;
    if (this.deficit.size > (this.o.historyDays ?? 120) * 24 + 48) for (const k of this.deficit.keys()) if (k < oldest) this.deficit.delete(k);
  }

  /** A cold complaint at a compound; returns warnings opened by it. */
  add(compoundId: string, at: number): SurgeWarning[] {
    const c = this.network.compound(compoundId);
    if (c === undefined || !Number.isFinite(at)) return [];
    this.startedAt = Math.min(this.startedAt, at);
    const opened: SurgeWarning[] = [];
    const station = this.area('station', c.stationId, c.stationId);
    const compound = this.area('compound', c.id, c.stationId);
    for (const a of [compound, station]) {
      if (a === undefined) continue;
      this.mature(a, at);
      a.recent.push(at);
      a.recent.sort((x, y) => x - y);
      const w = this.judge(a, at);
      if (w !== undefined) opened.push(w);
    }
    return opened;
  }

  /** Closes warnings whose last ticket is a window behind `now`. */
  tick(now: number): SurgeWarning[] {
    const closed: SurgeWarning[] = [];
    for (const a of this.areas.values()) {
      const w = a.warning;
      if (w === undefined || w.state !== 'open' || now - w.lastAt < this.o.windowMs) continue;
      w.state = 'closed';
      w.closedAt = w.lastAt + this.o.windowMs;
      a.warning = undefined;
      closed.push(structuredClone(w));
    }
    return closed;
  }

  /** Warnings newest first; `since` keeps those open at or after it. */
  list(since = Number.NEGATIVE_INFINITY): SurgeWarning[] {
    return this.kept.filter((w) => (w.closedAt ?? Number.POSITIVE_INFINITY) >= since).sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? -1 : 1)).map((w) => structuredClone(w));
  }

  /** Expected complaints in (to − windowMs, to] for an area, and the rate behind it (for tests and reports). */
  expectation(level: 'compound' | 'station', id: string, to: number): { expected: number; ratePerHouseholdDegreeDay: number } | undefined {
    const stationId = level === 'station' ? id : this.network.compound(id)?.stationId;
    if (stationId === undefined) return undefined;
    const a = this.area(level, id, stationId);
    if (a === undefined) return undefined;
    this.mature(a, to);
    const rate = this.rateOf(a, to - this.o.windowMs);
    return { expected: rate * a.households * this.degreeDays(to - this.o.windowMs, to), ratePerHouseholdDegreeDay: rate };
  }

  private judge(a: Area, at: number): SurgeWarning | undefined {
    const from = at - this.o.windowMs;
    const n = a.recent.filter((t) => t > from && t <= at).length;
    const rate = this.rateOf(a, from);
    const expected = rate * a.households * this.degreeDays(from, at);
    const p = poissonUpperTail(n, expected);
    const alarm = n >= this.o.minCount && p < this.o.pAlarm;
    const w = a.warning;
    if (w !== undefined && w.state === 'open') {
      if (alarm || at - w.lastAt < this.o.windowMs) {
        w.lastAt = Math.max(w.lastAt, at);
        if (n > w.observed) {
          w.observed = n;
          w.expected = expected;
        }
        w.pValue = Math.min(w.pValue, p);
      }
      return undefined;
    }
    if (!alarm) return undefined;
    const nw: SurgeWarning = {
      id: `surge@${a.level}/${a.id}@${at}`,
      level: a.level,
      entityId: a.id,
      stationId: a.stationId,
      indoorSensors: a.sensors,
      openedAt: at,
      lastAt: at,
      observed: n,
      expected,
      pValue: p,
      baselinePer10kPerDay: rate * 10_000 * this.deficitAt(at),
      state: 'open',
    };
    a.warning = nw;
    this.kept.push(nw);
    if (this.kept.length > 1000) this.kept.shift();
    return structuredClone(nw);
  }

  /** The area's rate per household per K·day, from what happened before `asOf`. */
  private rateOf(a: Area, asOf: number): number {
    const exposure = this.decayedDegreeDays(asOf);
    const prior = this.o.priorDegreeDays ?? 60;
    const cityCount = this.cityCount * Math.exp(-(asOf - this.cityAt) / this.tau);
    const city = (cityCount + (this.o.priorRate ?? 3e-5) * this.households * prior) / (this.households * (exposure + prior));
    // Station areas count their compounds' tickets: they and the city share the same matured history.
    const own = a.count * Math.exp(-(asOf - a.countAt) / this.tau);
    return (own + city * a.households * prior) / (a.households * (exposure + prior));
  }

  /** Moves tickets older than the window into the area's decayed count (and the city's, once per ticket). */
  private mature(a: Area, now: number): void {
    const edge = now - this.o.windowMs;
    while (a.recent.length > 0 && (a.recent[0] as number) <= edge) {
      const t = a.recent.shift() as number;
      a.count = a.count * Math.exp(-(Math.max(t, a.countAt) - a.countAt) / this.tau) + 1;
      a.countAt = Math.max(t, a.countAt);
      if (a.level === 'compound') {
        this.cityCount = this.cityAt === Number.NEGATIVE_INFINITY ? 1 : this.cityCount * Math.exp(-(Math.max(t, this.cityAt) - this.cityAt) / this.tau) + 1;
        this.cityAt = Math.max(t, this.cityAt);
      }
    }
  }

  private deficitAt(t: number): number {
    return this.deficit.get(Math.floor(t / HOUR)) ?? this.lastDeficit;
  }

  /** ∫ deficit dt over [from, to], K·days. */
  private degreeDays(from: number, to: number): number {
    let sum = 0;
    for (let t = from; t < to; ) {
      const next = Math.min(to, (Math.floor(t / HOUR) + 1) * HOUR);
      sum += this.deficitAt(t) * (next - t);
      t = next;
    }
    return sum / DAY;
  }

  /** ∫ deficit · e^(−(asOf − t)/τ) dt from the first event seen (at most `historyDays` back) to `asOf`, K·days. */
  private decayedDegreeDays(asOf: number): number {
    const from = Math.max(this.startedAt, asOf - (this.o.historyDays ?? 120) * DAY);
    if (!(from < asOf)) return 0;
    let sum = 0;
    for (let t = from; t < asOf; ) {
      const next = Math.min(asOf, (Math.floor(t / HOUR) + 1) * HOUR);
      sum += this.deficitAt(t) * (next - t) * Math.exp(-(asOf - (t + next) / 2) / this.tau);
      t = next;
    }
    return sum / DAY;
  }

  private area(level: 'compound' | 'station', id: string, stationId: string): Area | undefined {
    const key = `${level}/${id}`;
    let a = this.areas.get(key);
    if (a !== undefined) return a;
    const compounds = level === 'station' ? this.network.compoundsOf(id) : [this.network.compound(id)].filter((c) => c !== undefined);
    const households = compounds.reduce((s, c) => s + c.households, 0);
    if (households <= 0) return undefined;
    a = { level, id, stationId, households, sensors: compounds.reduce((s, c) => s + c.indoorSensors.length, 0), recent: [], count: 0, countAt: Number.NEGATIVE_INFINITY };
    this.areas.set(key, a);
    return a;
  }
}
