// InfluxDB's own ceiling: the workload's points as line protocol (exactly what our InfluxDB store
// would write), posted straight to /write in bodies of 5,000 lines by `concurrency` writers.
// Bodies are built before the clock starts; the clock stops at the last 204.

import { countFieldValues, type Metric } from '../domain/telemetry';
import { parseMessage } from '../ingest/parse-message';
import { toLine } from '../store/line-protocol';
import { cpuAccount } from './cpu-account';
import { writeLines } from './influx-admin';
import { rates, type ThroughputResult } from './throughput';
import { defaultLimits, type Workload } from './workload';
import { readWorkload } from './workload-file';

export const LINES_PER_BODY = 5_000;

export interface BulkBodies {
  readonly bodies: string[];
  readonly points: number;
  readonly fieldValues: number;
}

export function buildBodies(w: Workload, linesPerBody = LINES_PER_BODY): BulkBodies {
  const metrics: Metric[] = [];
  const now = Date.now();
  for (const m of readWorkload(w.path)) metrics.push(...parseMessage(m.topic, m.payload, w.network, now, defaultLimits()).metrics);
  const bodies: string[] = [];
  let lines: string[] = [];
  for (const m of metrics) {
    const line = toLine(m);
    if (line === undefined) continue;
    lines.push(line);
    if (lines.length === linesPerBody) {
      bodies.push(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length > 0) bodies.push(lines.join('\n') + '\n');
  return { bodies, points: metrics.length, fieldValues: countFieldValues(metrics) };
}

export async function influxBulk(url: string, db: string, b: BulkBodies, messages: number, concurrency: number, serverPids: Readonly<Record<string, number | undefined>> = {}): Promise<ThroughputResult> {
  let next = 0;
  const cpu = cpuAccount({ bench: process.pid, ...serverPids });
  const t0 = performance.timeOrigin + performance.now();
  const writer = async (): Promise<void> => {
    while (next < b.bodies.length) {
      const body = b.bodies[next++] as string;
      await writeLines(url, db, body);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  const t1 = performance.timeOrigin + performance.now();
  return rates(`influx-bulk-x${concurrency}`, t1 - t0, messages, b.fieldValues, { complete: true, stored: b.fieldValues, cpuS: cpu.stop(), extra: { bodies: b.bodies.length, points: b.points, concurrency } });
}
