// The reference ticket store against the contract suite.
import { MemoryTicketStore } from './memory-ticket-store';
import { describeTicketStoreContract } from './ticket-store.contract';

describeTicketStoreContract('memory', async () => ({ store: new MemoryTicketStore(), cleanup: async () => {} }));
