// Pure helpers of the publisher: which lane (client) an entity uses, and the live schedule —
// each entity reports once per scan at its own phase within the scan (field devices are not
// synchronised), with `ts` restamped to the real publish time.

import type { WorkloadMessage } from './workload-file';

/** FNV-1a: a stable lane and phase per entity. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The entity id of a contract-v1 topic (its last level). */
export function entityOf(topic: string): string {
  return topic.slice(topic.lastIndexOf('/') + 1);
}

const TS_HEAD = /^\{"ts":(\d+)/;

/** The event time of a simulator payload (the simulator writes `ts` first). */
export function tsOf(payload: Buffer): number {
  const m = TS_HEAD.exec(payload.subarray(0, 32).toString('utf8'));
  if (!m) throw new Error(`payload does not start with a numeric ts: ${payload.subarray(0, 40).toString('utf8')}`);
  return Number(m[1]);
}

/** The same payload with `ts` replaced. */
export function restamp(payload: Buffer, ts: number): Buffer {
  const text = payload.toString('utf8');
  if (!TS_HEAD.test(text)) throw new Error(`payload does not start with a numeric ts: ${text.slice(0, 40)}`);
  return Buffer.from(text.replace(TS_HEAD, `{"ts":${Math.round(ts)}`));
}

export interface Planned {
  /** Offset from the start of the live run, ms. */
  readonly at: number;
  readonly m: WorkloadMessage;
  readonly lane: number;
}

/**
 * Messages due within `durationMs`, in send order. Each kind's first scan starts the run (the
 * simulator reports compounds only at the end of their first 60 s), so every kind is in the mix
 * from the start: an entity's message for scan k goes at (k × scan + its phase).
 */
export function planLive(
  messages: readonly WorkloadMessage[],
  o: { lanes: number; durationMs: number; scanMs: Readonly<Record<string, number>>; exclude?: ReadonlySet<string> },
): Planned[] {
  const firstOfKind = new Map<string, number>();
  for (const m of messages) {
    const kind = kindOf(m.topic);
    const ts = tsOf(m.payload);
    if (!(ts >= (firstOfKind.get(kind) ?? Number.POSITIVE_INFINITY))) firstOfKind.set(kind, ts);
  }
  const plan: Planned[] = [];
  for (const m of messages) {
    const id = entityOf(m.topic);
    if (o.exclude?.has(id)) continue;
    const kind = kindOf(m.topic);
    const scan = o.scanMs[kind] ?? 10_000;
    const at = tsOf(m.payload) - (firstOfKind.get(kind) as number) + (hash(id) % scan);
    if (at < o.durationMs) plan.push({ at, m, lane: hash(id) % o.lanes });
  }
  return plan.sort((a, b) => a.at - b.at);
}

function kindOf(topic: string): string {
  return topic.split('/')[2] ?? '';
}
