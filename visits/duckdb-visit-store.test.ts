// The DuckDB visit store against the contract suite, each test in its own temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBVisitStore } from './duckdb-visit-store';
import { describeVisitStoreContract } from './visit-store.contract';

describeVisitStoreContract('duckdb', async () => {
  const root = mkdtempSync(join(tmpdir(), 'heat-visits-'));
  const dataDir = join(root, 'data');
  return {
    store: new DuckDBVisitStore({ dataDir }),
    reopen: async () => new DuckDBVisitStore({ dataDir }),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});
