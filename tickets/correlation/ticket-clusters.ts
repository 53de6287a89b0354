// Ticket incidents: several complaints from one compound, or from several compounds of one
// station, close together in time are one problem (同片区问题研判), handled and explained
// together. Tickets of a station chain into a group while each comes within `windowMs` of the
// group; the group becomes an incident once, within any `windowMs`, `minTickets` come from one
// compound or `minTickets + 1` from two or more of the station's compounds. Every ticket of the
// group belongs to the incident, those before the threshold included.
// In memory and bounded: groups idle beyond the window are dropped; the newest `maxKept`
// incidents stay listed. The ticket's `correlation.clusterId` is the durable record.

export interface ClusterOptions {
  readonly windowMs: number;
  readonly minTickets: number;
  /** Incidents kept for listing (default 1000). */
  readonly maxKept?: number;
}

export interface TicketCluster {
  /** `tc@<stationId>@<first receipt>`. */
  readonly id: string;
  /** One compound, or several of a station. */
  level: 'compound' | 'station';
  readonly stationId: string;
  compoundIds: string[];
  /** Member tickets (at most MAX_MEMBERS listed; `count` counts all). */
  ticketIds: string[];
  count: number;
  firstAt: number;
  lastAt: number;
  /** Receipt time of the ticket that made the group an incident. */
  formedAt: number;
  /** Alerts that explain some of its tickets (the correlator adds them). */
  alertIds: string[];
}

export const MAX_MEMBERS = 500;

interface Member {
  readonly id: string;
  readonly compoundId: string;
  readonly at: number;
}

interface Group {
  readonly stationId: string;
  members: Member[];
  cluster?: TicketCluster;
}

export interface ClusterResult {
  /** The incident the ticket belongs to now, if any. */
  readonly cluster?: TicketCluster;
  /** Tickets that joined an incident with this one (the ones before the threshold, when it formed now). */
  readonly joined: readonly string[];
}

export class TicketClusterer {
  private readonly groups = new Map<string, Group[]>();
  private readonly kept: TicketCluster[] = [];

  constructor(private readonly o: ClusterOptions) {}

  add(ticketId: string, stationId: string, compoundId: string, at: number): ClusterResult {
    const w = this.o.windowMs;
    const list = this.groups.get(stationId) ?? [];
    this.groups.set(stationId, list);
    let g = list.find((x) => at >= firstOf(x) - w && at <= lastOf(x) + w);
    if (g === undefined) list.push((g = { stationId, members: [] }));
    if (g.members.some((m) => m.id === ticketId)) return { ...(g.cluster ? { cluster: g.cluster } : {}), joined: [] };
    g.members.push({ id: ticketId, compoundId, at });
    g.members.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    if (g.cluster !== undefined) {
      this.grow(g.cluster, g, ticketId, compoundId, at);
      return { cluster: g.cluster, joined: [] };
    }
    if (!this.forms(g, at)) return { joined: [] };
    const first = g.members[0] as Member;
    const compounds = [...new Set(g.members.map((m) => m.compoundId))].sort();
    const c: TicketCluster = {
      id: `tc@${stationId}@${first.at}`,
      level: compounds.length === 1 ? 'compound' : 'station',
      stationId,
      compoundIds: compounds,
      ticketIds: g.members.slice(0, MAX_MEMBERS).map((m) => m.id),
      count: g.members.length,
      firstAt: first.at,
      lastAt: lastOf(g),
      formedAt: at,
      alertIds: [],
    };
    g.cluster = c;
    this.kept.push(c);
    if (this.kept.length > (this.o.maxKept ?? 1000)) this.kept.shift();
    return { cluster: c, joined: g.members.map((m) => m.id).filter((id) => id !== ticketId) };
  }

  /** Incidents, newest first; `since` keeps those with a ticket at or after it. */
  list(since = Number.NEGATIVE_INFINITY): TicketCluster[] {
    return this.kept.filter((c) => c.lastAt >= since).sort((a, b) => b.firstAt - a.firstAt || (a.id < b.id ? -1 : 1)).map((c) => structuredClone(c));
  }

  get(id: string): TicketCluster | undefined {
    const c = this.kept.find((x) => x.id === id);
    return c === undefined ? undefined : structuredClone(c);
  }

  /** Notes an alert that explains a member ticket. */
  noteAlert(clusterId: string, alertId: string): void {
    const c = this.kept.find((x) => x.id === clusterId);
    if (c !== undefined && !c.alertIds.includes(alertId) && c.alertIds.length < 50) c.alertIds.push(alertId);
  }

  /** Drops groups whose last ticket is before `horizon` (their incidents stay listed). */
  prune(horizon: number): void {
    for (const [sid, list] of this.groups) {
      const keep = list.filter((g) => lastOf(g) >= horizon);
      if (keep.length === 0) this.groups.delete(sid);
      else this.groups.set(sid, keep);
    }
  }

  private forms(g: Group, at: number): boolean {
    const recent = g.members.filter((m) => m.at > at - this.o.windowMs && m.at <= at);
    const perCompound = new Map<string, number>();
    for (const m of recent) perCompound.set(m.compoundId, (perCompound.get(m.compoundId) ?? 0) + 1);
    if ([...perCompound.values()].some((n) => n >= this.o.minTickets)) return true;
    return perCompound.size >= 2 && recent.length >= this.o.minTickets + 1;
  }

  private grow(c: TicketCluster, g: Group, ticketId: string, compoundId: string, at: number): void {
    c.count++;
    if (c.ticketIds.length < MAX_MEMBERS) c.ticketIds.push(ticketId);
    if (!c.compoundIds.includes(compoundId)) {
      c.compoundIds = [...c.compoundIds, compoundId].sort();
      c.level = 'station';
    }
    c.firstAt = Math.min(c.firstAt, at);
    c.lastAt = lastOf(g);
  }
}

function firstOf(g: Group): number {
  return g.members[0]?.at ?? Number.POSITIVE_INFINITY;
}

function lastOf(g: Group): number {
  return g.members[g.members.length - 1]?.at ?? Number.NEGATIVE_INFINITY;
}
