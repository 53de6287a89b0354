// The visit store the configuration asks for: the embedded DuckDB file
// `<HEAT_DATA_DIR>/visits.duckdb`. The caller connects it before use and closes it after the API.

import type { Config } from '../config/config';
import { DuckDBVisitStore } from './duckdb-visit-store';
import type { VisitStore } from './visit-store';

export function createVisitStore(config: Pick<Config, 'HEAT_DATA_DIR'>): VisitStore {
  return new DuckDBVisitStore({ dataDir: config.HEAT_DATA_DIR });
}
