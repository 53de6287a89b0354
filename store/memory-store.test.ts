// The reference store against the contract suite.
import { MemoryStore } from './memory-store';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

describeTelemetryStoreContract('memory', async (opts) => ({
  store: new MemoryStore(opts),
  cleanup: async () => {},
}));
