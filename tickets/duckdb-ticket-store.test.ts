// The DuckDB ticket store against the contract suite, each test in its own temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBTicketStore } from './duckdb-ticket-store';
import { describeTicketStoreContract } from './ticket-store.contract';

describeTicketStoreContract('duckdb', async () => {
  const root = mkdtempSync(join(tmpdir(), 'heat-tickets-'));
  const dataDir = join(root, 'nested', 'data'); // the store creates it
  return {
    store: new DuckDBTicketStore({ dataDir }),
    reopen: async () => new DuckDBTicketStore({ dataDir }),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});
