import { DuckDBAlertStore } from './alert-store-duckdb';
import { alertStoreContract } from './alert-store.contract';

alertStoreContract('duckdb', () => new DuckDBAlertStore({ dataDir: ':memory:' }));
