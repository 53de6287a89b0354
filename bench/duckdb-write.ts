// Micro-bench of the DuckDB store's write path alone (no MQTT, no parsing): a fixed set of
// batches shaped like the throughput bench's city (5,000 stations at a 10 s scan with 16 fields,
// 17,500 compounds with 4 fields and 15,000 indoor sensors at 60 s), in time order, in batches of
// HEAT_BATCH_SIZE (5,000) metrics. Baseline in the same run: the raw row Appender ceiling of the
// long layout (one row per field value, 4 VARCHAR key columns, no delete, no `latest`, no
// transaction) — what any store writing that layout through the row Appender cannot beat.
// Figures: field values/s and CPU s per million values of this process (DuckDB's threads included).
//
// Run: npx tsx bench/duckdb-write.ts [minutes=2] [batchSize=5000]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FIELDS } from '../domain/fields';
import { countFieldValues, type FieldValue, type Metric } from '../domain/telemetry';
import { DuckDBStore } from '../store/duckdb-store';

const minutes = Number(process.argv[2] ?? 2);
const batchSize = Number(process.argv[3] ?? 5000);
const STATIONS = 5000;
const COMPOUNDS = 17_500;
const SENSORS = 15_000;
const T0 = Date.UTC(2026, 0, 10);
const stationFields = Object.keys(FIELDS.station);

function cityMinutes(): Metric[] {
  const out: Metric[] = [];
  for (let s = 0; s < minutes * 6; s++) {
    const time = T0 + s * 10_000;
    for (let i = 0; i < STATIONS; i++) {
      const fields: Record<string, FieldValue> = {};
      for (const [j, f] of stationFields.entries()) fields[f] = f === 'pump_state' ? 'run' : Math.round((20 + j * 4 + ((i * 7 + s) % 97) / 10) * 100) / 100;
      out.push({ measurement: 'station', tags: { id: `st-${i}` }, fields, time: time + (i % 10) * 100 });
    }
    if (s % 6 !== 0) continue;
    for (let i = 0; i < COMPOUNDS; i++) {
      const v = ((i * 13 + s) % 101) / 10;
      out.push({ measurement: 'compound', tags: { id: `cp-${i}` }, fields: { t_supply: 50 + v, t_return: 40 + v, dp: 60 + v, flow: 10 + v }, time: time + (i % 60) * 1000 });
    }
    for (let i = 0; i < SENSORS; i++) {
      out.push({ measurement: 'compound', tags: { id: `cp-${i % COMPOUNDS}`, sensor: `s-${i}` }, fields: { t_indoor: 18 + (i % 40) / 10 }, time: time + (i % 60) * 1000 });
    }
  }
  return out;
}

interface Figures {
  readonly label: string;
  readonly values: number;
  readonly wallS: number;
  readonly cpuS: number;
}

async function timed(label: string, batches: readonly Metric[][], write: (b: readonly Metric[]) => Promise<void>): Promise<Figures> {
  const values = batches.reduce((n, b) => n + countFieldValues(b), 0);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const b of batches) await write(b);
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { label, values, wallS, cpuS: (c.user + c.system) / 1e6 };
}

function print(f: Figures, base?: Figures): void {
  const rate = f.values / f.wallS;
  const cpu = f.cpuS / (f.values / 1e6);
  const vs = base === undefined ? '' : `  (${(rate / (base.values / base.wallS)).toFixed(2)}× the ceiling's rate, ${(cpu / (base.cpuS / (base.values / 1e6))).toFixed(2)}× its CPU)`;
  console.log(`${f.label.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(10)} values/s  ${cpu.toFixed(2).padStart(6)} CPU s/M${vs}`);
}

/** The long layout through the row Appender, nothing else: 9 native calls per field value. */
async function rawAppenderCeiling(dir: string, batches: readonly Metric[][]): Promise<Figures> {
  const instance = await DuckDBInstance.create(join(dir, 'raw.duckdb'));
  const c = await instance.connect();
  await c.run(`CREATE TABLE readings (measurement VARCHAR NOT NULL, id VARCHAR NOT NULL, sensor VARCHAR NOT NULL,
    field VARCHAR NOT NULL, time BIGINT NOT NULL, num DOUBLE, str VARCHAR, bool BOOLEAN)`);
  const f = await timed('raw row Appender, long layout (ceiling)', batches, async (batch) => {
    const a = await c.createAppender('readings');
    for (const m of batch) {
      const time = BigInt(m.time);
      for (const field in m.fields) {
        const v = m.fields[field] as FieldValue;
        a.appendVarchar(m.measurement);
        a.appendVarchar(m.tags.id);
        a.appendVarchar(m.tags.sensor ?? '');
        a.appendVarchar(field);
        a.appendBigInt(time);
        if (typeof v === 'number') a.appendDouble(v);
        else a.appendNull();
        if (typeof v === 'string') a.appendVarchar(v);
        else a.appendNull();
        if (typeof v === 'boolean') a.appendBoolean(v);
        else a.appendNull();
        a.endRow();
      }
    }
    a.closeSync(); // commits (WAL written and synced), as the store's write does
  });
  c.closeSync();
  instance.closeSync();
  return f;
}

const dir = mkdtempSync(join(tmpdir(), 'heat-duckdb-write-'));
try {
  const all = cityMinutes();
  const batches: Metric[][] = [];
  for (let i = 0; i < all.length; i += batchSize) batches.push(all.slice(i, i + batchSize));
  console.log(`${minutes} simulated minute(s): ${all.length.toLocaleString('en')} metrics, ${countFieldValues(all).toLocaleString('en')} field values, ${batches.length} batches of ≤ ${batchSize}`);
  const ceiling = await rawAppenderCeiling(dir, batches);
  print(ceiling);
  const store = new DuckDBStore({ dataDir: join(dir, 'store') });
  await store.connect();
  const fresh = await timed('DuckDBStore.write, new points', batches, (b) => store.write(b));
  print(fresh, ceiling);
  const again = await timed('DuckDBStore.write, same batches again', batches, (b) => store.write(b));
  print(again, ceiling);
  // The last checkpoint happens on close: part of the cost of what was written.
  const closed = await timed('close (final checkpoint)', [[]], () => store.close());
  const total = { label: 'all store work (both passes + close)', values: fresh.values + again.values, wallS: fresh.wallS + again.wallS + closed.wallS, cpuS: fresh.cpuS + again.cpuS + closed.cpuS };
  print(total, ceiling);
  console.log(`close: ${closed.wallS.toFixed(2)} s, ${closed.cpuS.toFixed(2)} CPU s; peak RSS of this process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
