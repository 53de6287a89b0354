// Write throughput of the DuckDB store, in field values per second (not a test: timings vary).
// Run: npx tsx store/duckdb-write-bench.ts [batches=40] [metricsPerBatch=5000]
// Station-shaped metrics (15 numbers + pump_state), times advancing like live telemetry,
// then the same batches again to time idempotent rewrites.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countFieldValues, type Metric } from '../domain/telemetry';
import { FIELDS } from '../domain/fields';
import { DuckDBStore } from './duckdb-store';

const batches = Number(process.argv[2] ?? 40);
const perBatch = Number(process.argv[3] ?? 5000);
const stations = 83;
const numeric = Object.entries(FIELDS.station).filter(([, s]) => s.type === 'number').map(([f]) => f);

function makeBatch(b: number): Metric[] {
  const out: Metric[] = [];
  for (let k = 0; k < perBatch; k++) {
    const step = b * Math.ceil(perBatch / stations) + Math.floor(k / stations);
    const fields: Record<string, number | string> = { pump_state: 'run' };
    for (const f of numeric) fields[f] = 40 + ((k * 7 + step) % 600) / 10;
    out.push({ measurement: 'station', tags: { id: `station-${k % stations}` }, fields, time: Date.UTC(2024, 0, 1) + step * 10_000 });
  }
  return out;
}

async function timed(store: DuckDBStore, label: string, all: Metric[][]): Promise<void> {
  const values = all.reduce((n, b) => n + countFieldValues(b), 0);
  const t0 = performance.now();
  for (const b of all) await store.write(b);
  const s = (performance.now() - t0) / 1000;
  console.log(`${label}: ${values} field values in ${s.toFixed(2)} s = ${Math.round(values / s)} field values/s`);
}

const dir = mkdtempSync(join(tmpdir(), 'heat-duckdb-bench-'));
const store = new DuckDBStore({ dataDir: dir });
await store.connect();
const all = Array.from({ length: batches }, (_, b) => makeBatch(b));
await timed(store, `new points (${batches} batches of ${perBatch} metrics)`, all);
await timed(store, 'rewrites of the same points', all);
async function timedRead(label: string, fn: () => Promise<unknown[]>): Promise<void> {
  const t0 = performance.now();
  const n = (await fn()).length;
  console.log(`${label}: ${n} results in ${(performance.now() - t0).toFixed(1)} ms`);
}
const span = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 0, 1) + batches * Math.ceil(perBatch / stations) * 10_000 };
await timedRead("latest('station')", () => store.latest('station'));
await timedRead('query 1 station, 2 fields, whole span', () => store.query({ measurement: 'station', id: 'station-7', fields: ['t1_supply', 't2_supply'], ...span }));
await timedRead('aggregate 1 station, 2 fields, 15 min buckets', () => store.aggregate({ measurement: 'station', id: 'station-7', fields: ['t1_supply', 't2_supply'], ...span }, 900_000));
await store.close();
rmSync(dir, { recursive: true, force: true });
