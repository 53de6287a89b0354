import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { createStore, influxOptions } from './create-store';
import { DuckDBStore } from './duckdb-store';
import { InfluxStore } from './influx-store';

describe('createStore', () => {
  it('defaults to DuckDB in HEAT_DATA_DIR', () => {
    const store = createStore(loadConfig({ HEAT_DATA_DIR: '/tmp/heat-x' }), pino({ enabled: false }));
    expect(store).toBeInstanceOf(DuckDBStore);
    expect((store as DuckDBStore).path).toBe('/tmp/heat-x/heat.duckdb');
  });

  it('builds the InfluxDB store from INFLUX_* in v1 and v2 mode', () => {
    const v1 = loadConfig({ HEAT_STORE: 'influx', INFLUX_URL: 'http://db:8086', INFLUX_DB: 'city', INFLUX_USER: 'u', INFLUX_PASSWORD: 'p' });
    expect(createStore(v1)).toBeInstanceOf(InfluxStore);
    expect(influxOptions(v1)).toMatchObject({ api: 'v1', url: 'http://db:8086', database: 'city', user: 'u', password: 'p' });
    const v2 = loadConfig({ HEAT_STORE: 'influx', INFLUX_API: 'v2', INFLUX_TOKEN: 't', INFLUX_ORG: 'o', INFLUX_BUCKET: 'b' });
    expect(createStore(v2).name).toBe('influx-v2');
    expect(influxOptions(v2)).toMatchObject({ api: 'v2', database: 'b', org: 'o', token: 't' });
  });
});
