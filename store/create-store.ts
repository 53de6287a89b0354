// Picks the TelemetryStore the configuration names (HEAT_STORE, INFLUX_*); the app calls it once
// at start-up, then connect(). No fallback: config/config.ts has already refused unknown values.

import type { Config } from '../config/config';
import { DuckDBStore } from './duckdb-store';
import { InfluxStore, type InfluxStoreOptions } from './influx-store';
import type { StoreLogger } from './store-logger';
import type { TelemetryStore } from './telemetry-store';

export function createStore(config: Config, logger?: StoreLogger): TelemetryStore {
  switch (config.HEAT_STORE) {
    case 'duckdb':
      return new DuckDBStore({ dataDir: config.HEAT_DATA_DIR, memoryLimit: config.HEAT_DUCKDB_MEMORY_LIMIT, cacheLimit: config.HEAT_DUCKDB_CACHE_LIMIT, logger });
    case 'influx':
      return new InfluxStore(influxOptions(config, logger));
    default: {
      const never: never = config.HEAT_STORE;
      throw new Error(`unknown HEAT_STORE ${String(never)}`);
    }
  }
}

export function influxOptions(c: Config, logger?: StoreLogger): InfluxStoreOptions {
  switch (c.INFLUX_API) {
    case 'v1':
      return { api: 'v1', url: c.INFLUX_URL, database: c.INFLUX_DB, user: c.INFLUX_USER || undefined, password: c.INFLUX_PASSWORD || undefined, logger };
    case 'v2':
      return { api: 'v2', url: c.INFLUX_URL, database: c.INFLUX_BUCKET, org: c.INFLUX_ORG, token: c.INFLUX_TOKEN, logger };
    default: {
      const never: never = c.INFLUX_API;
      throw new Error(`unknown INFLUX_API ${String(never)}`);
    }
  }
}
