// The DuckDB store against the contract suite, each test in its own temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBStore } from './duckdb-store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

describeTelemetryStoreContract('duckdb', async (opts) => {
  const root = mkdtempSync(join(tmpdir(), 'heat-duckdb-'));
  const dataDir = join(root, 'nested', 'data'); // connect() creates it
  return { store: new DuckDBStore({ dataDir, ...opts }), cleanup: async () => rmSync(root, { recursive: true, force: true }) };
});
