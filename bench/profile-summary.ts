// Reads a V8 .cpuprofile (node --cpu-prof, or the inspector's Profiler.stop) and answers "where did the time go": self time per
// function, inclusive time per function, and self time per area (our folders, each npm package,
// Node internals, GC, idle). Pure: the JSON in, tables out.

import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface FrameTime {
  readonly frame: string;
  readonly area: string;
  readonly ms: number;
  readonly pct: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Time not idle. */
  readonly busyMs: number;
  readonly selfTop: readonly FrameTime[];
  readonly inclusiveTop: readonly FrameTime[];
  readonly areas: readonly FrameTime[];
}

/** Which part of the system a frame belongs to, from its script URL. */
export function areaOf(f: CallFrame): string {
  const name = f.functionName;
  if (f.url === '') {
    if (name === '(garbage collector)') return 'GC';
    if (name === '(idle)') return 'idle';
    if (name === '(program)') return 'V8/native (program)';
    return 'native';
  }
  if (f.url.startsWith('node:')) return `node:${f.url.slice(5).split('/')[1] ?? f.url.slice(5)}`;
  const nm = f.url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = f.url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? 'node_modules');
  }
  const m = /\/(ingest|store|domain|api|rules|bench|config|app|web|fixtures)\/([^/]+)$/.exec(f.url);
  if (m) return `${m[1]}/${m[2]}`;
  return f.url.replace(/^file:\/\//, '');
}

function frameName(f: CallFrame): string {
  const file = f.url === '' ? '' : f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(ingest|store|domain|api|rules|bench)\//, '$1/');
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

export function summariseProfile(p: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  let totalUs = 0;
  let idleUs = 0;
  const self = new Map<string, { area: string; us: number }>();
  const incl = new Map<string, { area: string; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    totalUs += us;
    const area = areaOf(n.callFrame);
    if (area === 'idle') idleUs += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = frameName(n.callFrame);
    const s = self.get(name) ?? { area, us: 0 };
    s.us += us;
    self.set(name, s);
    // Inclusive: once per distinct frame name on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cn = byId.get(cur);
      if (!cn) break;
      const nm = frameName(cn.callFrame);
      if (seen.has(nm)) continue;
      seen.add(nm);
      const e = incl.get(nm) ?? { area: areaOf(cn.callFrame), us: 0 };
      e.us += us;
      incl.set(nm, e);
    }
  }
  const busyUs = totalUs - idleUs;
  const rows = (m: Map<string, { area: string; us: number }>, skip: (name: string, area: string) => boolean): FrameTime[] =>
    [...m.entries()]
      .filter(([name, v]) => !skip(name, v.area))
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([frame, v]) => ({ frame, area: v.area, ms: Math.round(v.us / 1000), pct: busyUs > 0 ? round1((100 * v.us) / busyUs) : 0 }));
  return {
    totalMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    selfTop: rows(self, (_n, area) => area === 'idle'),
    inclusiveTop: rows(incl, (n, area) => area === 'idle' || n.startsWith('(root)') || n.startsWith('(program)')),
    areas: [...areas.entries()]
      .filter(([a]) => a !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, us]) => ({ frame: area, area, ms: Math.round(us / 1000), pct: busyUs > 0 ? round1((100 * us) / busyUs) : 0 })),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

export function formatProfile(s: ProfileSummary, n = 15): string {
  const line = (r: FrameTime): string => `  ${String(r.pct).padStart(5)} %  ${String(r.ms).padStart(6)} ms  ${r.frame}`;
  return [
    `busy ${s.busyMs} ms of ${s.totalMs} ms sampled`,
    'by area (self time):',
    ...s.areas.slice(0, n).map(line),
    'top frames (self time):',
    ...s.selfTop.slice(0, n).map(line),
    'top frames (inclusive):',
    ...s.inclusiveTop.slice(0, n).map(line),
  ].join('\n');
}
