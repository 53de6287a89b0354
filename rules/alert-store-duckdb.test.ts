import { describe, expect, it } from 'vitest';
import { DuckDBAlertStore } from './alert-store-duckdb';
import { alertStoreContract, sampleAlert } from './alert-store.contract';

alertStoreContract('duckdb', () => new DuckDBAlertStore({ dataDir: ':memory:' }));

describe('DuckDBAlertStore.memoryUsage', () => {
  it("reports DuckDB's own accounting, which grows as alerts are written", async () => {
    const s = new DuckDBAlertStore({ dataDir: ':memory:' });
    await s.open();
    try {
      const before = await s.memoryUsage();
      for (let i = 0; i < 300; i++) await s.putAlert(sampleAlert({ id: `a${i}` }));
      expect(await s.memoryUsage()).toBeGreaterThan(before);
    } finally {
      await s.close();
    }
  });
});
