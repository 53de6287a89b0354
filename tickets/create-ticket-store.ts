// The ticket store the configuration asks for: today always the embedded DuckDB file
// `<HEAT_DATA_DIR>/tickets.duckdb` (see duckdb-ticket-store.ts for why it is its own file),
// whatever the telemetry store is. The caller connects it before use and closes it after the API.

import type { Config } from '../config/config';
import { DuckDBTicketStore } from './duckdb-ticket-store';
import type { TicketStore } from './ticket-store';

export function createTicketStore(config: Pick<Config, 'HEAT_DATA_DIR'>): TicketStore {
  return new DuckDBTicketStore({ dataDir: config.HEAT_DATA_DIR });
}
