// Who is asking: the authenticated user behind a request (or a live socket), attached by the auth
// middleware. Kept in a WeakMap, not on the request object, so no other code can forge it.

import type { IncomingMessage } from 'node:http';
import type { Role } from './roles';

export interface Principal {
  readonly username: string;
  readonly role: Role;
  /** Role crew: the crew id and the stations of that crew (from the network model). */
  readonly crewId?: string;
  readonly stations?: ReadonlySet<string>;
  /** How the request proved it: session cookie, bearer token, or the metrics token. */
  readonly via: 'cookie' | 'bearer' | 'metrics-token';
}

const principals = new WeakMap<IncomingMessage, Principal>();

export function setPrincipal(req: IncomingMessage, p: Principal): void {
  principals.set(req, p);
}

/** The authenticated user of this request, or undefined. */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req);
}
