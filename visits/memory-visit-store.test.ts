// The reference visit store against the contract suite.
import { MemoryVisitStore } from './memory-visit-store';
import { describeVisitStoreContract } from './visit-store.contract';

describeVisitStoreContract('memory', async () => ({ store: new MemoryVisitStore(), cleanup: async () => {} }));
