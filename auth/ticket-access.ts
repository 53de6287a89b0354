// Access to tickets for api/routes/tickets-route.ts, in its own terms (tickets/personal-data.ts
// has a role list of its own): the logged-in user's role, and whether it may see callers' phone
// numbers — decided by this product's permission table (auth/roles.ts: tickets:read-personal),
// so that there is one policy. Users of the roles here map to: operator → operator, crew → crew,
// bureau → viewer, admin → admin; no session → anonymous (never reached: the API guard answers 401).

import type { IncomingMessage } from 'node:http';
import type { Role as TicketRole } from '../tickets/personal-data';
import { principalOf } from './principal';
import { can, type Role } from './roles';

const TO_TICKET: Record<Role, TicketRole> = { operator: 'operator', crew: 'crew', bureau: 'viewer', admin: 'admin' };

export const ticketAccess = {
  roleOf(req: IncomingMessage): TicketRole {
    const p = principalOf(req);
    return p ? TO_TICKET[p.role] : 'anonymous';
  },
  canSeePersonalData(role: TicketRole): boolean {
    const ours = (Object.keys(TO_TICKET) as Role[]).find((r) => TO_TICKET[r] === role);
    return ours !== undefined && can(ours, 'tickets:read-personal');
  },
};
