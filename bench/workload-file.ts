// The pre-generated workload on disk: MQTT messages (topic + payload bytes) in publish order, so
// that neither the publisher nor the measured run pays for simulating the city.
//
// Layout: records of [u16 topic bytes][topic UTF-8][u32 payload bytes][payload], nothing else;
// a sidecar `<name>.json` holds WorkloadMeta. Written once by bench/workload.ts, read by the
// publisher child and the bulk-write baseline.

import { readFileSync, writeFileSync } from 'node:fs';

export interface WorkloadMessage {
  readonly topic: string;
  readonly payload: Buffer;
}

export interface WorkloadMeta {
  /** Everything the cache key is made of; a mismatch regenerates. */
  readonly key: string;
  readonly stations: number;
  readonly compounds: number;
  readonly indoorSensors: number;
  readonly stationScanMs: number;
  readonly compoundScanMs: number;
  /** Simulated minutes of telemetry in the file. */
  readonly minutes: number;
  /** Event time of the first and last reading, epoch ms. */
  readonly firstTs: number;
  readonly lastTs: number;
  readonly messages: number;
  /** What the ingester makes of them (parseMessage on the same network): the expected stored amounts. */
  readonly metrics: number;
  readonly fieldValues: number;
  readonly payloadBytes: number;
  /** Messages per kind: station, compound, compound-sensor, weather. */
  readonly mix: Readonly<Record<string, { messages: number; fieldValues: number }>>;
  /** Network file the workload's ids come from. */
  readonly networkFile: string;
  readonly generatedInMs: number;
}

export function encodeWorkload(messages: readonly WorkloadMessage[]): Buffer {
  let size = 0;
  const topics = messages.map((m) => Buffer.from(m.topic, 'utf8'));
  for (let i = 0; i < messages.length; i++) size += 6 + (topics[i] as Buffer).length + (messages[i] as WorkloadMessage).payload.length;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (let i = 0; i < messages.length; i++) {
    const t = topics[i] as Buffer;
    const p = (messages[i] as WorkloadMessage).payload;
    if (t.length > 0xffff) throw new RangeError(`topic of ${t.length} bytes does not fit the workload format`);
    o = out.writeUInt16LE(t.length, o);
    o += t.copy(out, o);
    o = out.writeUInt32LE(p.length, o);
    o += p.copy(out, o);
  }
  return out;
}

export function decodeWorkload(buf: Buffer): WorkloadMessage[] {
  const out: WorkloadMessage[] = [];
  let o = 0;
  while (o < buf.length) {
    if (o + 2 > buf.length) throw new RangeError(`workload truncated at byte ${o}`);
    const tl = buf.readUInt16LE(o);
    o += 2;
    const topic = buf.toString('utf8', o, o + tl);
    o += tl;
    if (o + 4 > buf.length) throw new RangeError(`workload truncated at byte ${o}`);
    const pl = buf.readUInt32LE(o);
    o += 4;
    if (o + pl > buf.length) throw new RangeError(`workload truncated at byte ${o}`);
    out.push({ topic, payload: buf.subarray(o, o + pl) });
    o += pl;
  }
  return out;
}

export function writeWorkload(path: string, messages: readonly WorkloadMessage[], meta: WorkloadMeta): void {
  writeFileSync(path, encodeWorkload(messages));
  writeFileSync(`${path}.json`, JSON.stringify(meta, null, 2));
}

export function readWorkload(path: string): WorkloadMessage[] {
  return decodeWorkload(readFileSync(path));
}

export function readWorkloadMeta(path: string): WorkloadMeta | undefined {
  try {
    return JSON.parse(readFileSync(`${path}.json`, 'utf8')) as WorkloadMeta;
  } catch {
    return undefined;
  }
}

/** Every `stride`-th message: a smaller burst with the same mix (the workload interleaves kinds by scan). */
export function sample<T>(messages: readonly T[], stride: number): T[] {
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`stride must be a positive integer, got ${stride}`);
  return stride === 1 ? [...messages] : messages.filter((_, i) => i % stride === 0);
}
