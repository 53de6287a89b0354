// Child of duckdb-latest-repair.test.ts: opens the store in argv[2], writes the batches of argv[3]
// (JSON Metric[][]; the string "snapshot" between batches takes a snapshot), then kills itself
// with SIGKILL: the run ends after its last commit and without its closing snapshot.
import type { Metric } from '../domain/telemetry';
import { DuckDBStore } from './duckdb-store';

const [dataDir, steps] = process.argv.slice(2);
if (dataDir === undefined || steps === undefined) throw new Error('usage: duckdb-latest-repair-child <dataDir> <steps json>');
const store = new DuckDBStore({ dataDir, latestSnapshotMs: 3_600_000 });
await store.connect();
for (const step of JSON.parse(steps) as (Metric[] | 'snapshot')[]) {
  if (step === 'snapshot') await store.snapshot();
  else await store.write(step);
}
process.kill(process.pid, 'SIGKILL');
