import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { DEFAULTS } from './defaults';

describe('config', () => {
  it('uses DEFAULTS when the environment is empty', () => {
    const c = loadConfig({});
    expect(c.HEAT_HTTP_PORT).toBe(DEFAULTS.HEAT_HTTP_PORT);
    expect(c.HEAT_STORE).toBe('duckdb');
    expect(c.HEAT_SIM).toBe(true);
  });
  it('names the key and the value of a bad setting', () => {
    expect(() => loadConfig({ HEAT_HTTP_PORT: 'eighty' })).toThrowError(/HEAT_HTTP_PORT="eighty"/);
    expect(() => loadConfig({ HEAT_STORE: 'mongo' })).toThrowError(/HEAT_STORE="mongo"/);
    expect(() => loadConfig({ HEAT_DUCKDB_MEMORY_LIMIT: 'lots' })).toThrowError(/HEAT_DUCKDB_MEMORY_LIMIT="lots".*128MB/);
    expect(loadConfig({ HEAT_DUCKDB_MEMORY_LIMIT: '1GiB' }).HEAT_DUCKDB_MEMORY_LIMIT).toBe('1GiB');
    expect(() => loadConfig({ HEAT_HEAP_GROWING_PERCENT: '-5' })).toThrowError(/HEAT_HEAP_GROWING_PERCENT="-5"/);
    expect(loadConfig({}).HEAT_HEAP_GROWING_PERCENT).toBe(25);
    expect(loadConfig({ HEAT_HEAP_GROWING_PERCENT: '0' }).HEAT_HEAP_GROWING_PERCENT).toBe(0);
    expect(loadConfig({}).HEAT_HEAP_GROWING_PERCENT_CALM).toBe(10);
    expect(() => loadConfig({ HEAT_HEAP_GROWING_PERCENT_CALM: '500' })).toThrowError(/HEAT_HEAP_GROWING_PERCENT_CALM="500"/);
    // Calm no looser than busy; 0 (V8's own) only when busy is 0 too, or busy is V8's own.
    expect(() => loadConfig({ HEAT_HEAP_GROWING_PERCENT_CALM: '30' })).toThrowError(/HEAT_HEAP_GROWING_PERCENT_CALM="30".*HEAT_HEAP_GROWING_PERCENT="25"/);
    expect(() => loadConfig({ HEAT_HEAP_GROWING_PERCENT_CALM: '0' })).toThrowError(/HEAT_HEAP_GROWING_PERCENT_CALM="0"/);
    expect(loadConfig({ HEAT_HEAP_GROWING_PERCENT: '0', HEAT_HEAP_GROWING_PERCENT_CALM: '0' }).HEAT_HEAP_GROWING_PERCENT_CALM).toBe(0);
    expect(loadConfig({ HEAT_HEAP_GROWING_PERCENT: '0' }).HEAT_HEAP_GROWING_PERCENT_CALM).toBe(10);
    expect(loadConfig({ HEAT_HEAP_GROWING_PERCENT_CALM: '25' }).HEAT_HEAP_GROWING_PERCENT_CALM).toBe(25);
  });
  it('keeps the DuckDB cache limit within the memory limit, comparing bytes as DuckDB does', () => {
    expect(() => loadConfig({ HEAT_DUCKDB_CACHE_LIMIT: '200MB' })).toThrowError(/HEAT_DUCKDB_CACHE_LIMIT="200MB".*HEAT_DUCKDB_MEMORY_LIMIT="128MB"/);
    expect(() => loadConfig({ HEAT_DUCKDB_CACHE_LIMIT: '0.5 GiB', HEAT_DUCKDB_MEMORY_LIMIT: '500MB' })).toThrowError(/must not exceed/);
    expect(loadConfig({ HEAT_DUCKDB_CACHE_LIMIT: '0.5 GiB', HEAT_DUCKDB_MEMORY_LIMIT: '537MB' }).HEAT_DUCKDB_CACHE_LIMIT).toBe('0.5 GiB');
    expect(loadConfig({ HEAT_DUCKDB_CACHE_LIMIT: '128MB' }).HEAT_DUCKDB_CACHE_LIMIT).toBe('128MB');
    expect(() => loadConfig({ HEAT_DUCKDB_CACHE_LIMIT: '48 megs' })).toThrowError(/HEAT_DUCKDB_CACHE_LIMIT="48 megs".*a size/);
  });
  it('requires token and org for InfluxDB v2', () => {
    expect(() => loadConfig({ HEAT_STORE: 'influx', INFLUX_API: 'v2' })).toThrowError(/INFLUX_TOKEN/);
  });
});
