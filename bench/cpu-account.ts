// CPU time of processes, read from /proc/<pid>/stat (utime + stime, all threads), so each run can
// say where the machine's cores went: ingest process, broker, database, publisher. Linux only;
// elsewhere the figures are absent, not wrong.

import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds used so far by the process (all its threads), or undefined when unreadable. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_S : undefined;
  } catch {
    return undefined;
  }
}

/** Direct children of `ppid` whose command name is `comm` (e.g. the mosquitto and influxd we started). */
export function childPids(ppid: number, comm: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === ppid && name === comm) out.push(Number(d));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** CPU seconds used by each named process between start() and stop(). */
export function cpuAccount(pids: Readonly<Record<string, number | undefined>>): { stop(): Record<string, number> } {
  const start = new Map<string, number>();
  for (const [name, pid] of Object.entries(pids)) {
    const s = pid === undefined ? undefined : cpuSeconds(pid);
    if (s !== undefined) start.set(name, s);
  }
  return {
    stop() {
      const out: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const a = start.get(name);
        const b = pid === undefined ? undefined : cpuSeconds(pid);
        if (a !== undefined && b !== undefined) out[name] = Math.round((b - a) * 100) / 100;
      }
      return out;
    },
  };
}
