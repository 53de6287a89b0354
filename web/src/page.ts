// What every dashboard page is and what it gets: the network, the user, the live connection, the
// shared alert feed, the server's clock, and navigation. main.ts builds the context once and
// swaps pages as the hash changes.

import type { NetworkDto } from '../../api/dto';
import type { AlertFeed } from './alert-feed';
import type { LiveClient } from './live-client';
import type { Route } from './router';

export interface Session {
  readonly username: string;
  readonly role: string;
  readonly crewId?: string;
  readonly permissions: ReadonlySet<string>;
}

export interface AppContext {
  readonly network: NetworkDto;
  /** Undefined when the API has no access control (tests of the API alone). */
  readonly session: Session | undefined;
  readonly live: LiveClient;
  readonly alerts: AlertFeed;
  /** The application's "now": simulated time while the demo city runs. */
  serverNow(): number;
  /** True when the user may do it (always true without access control). */
  can(permission: string): boolean;
  go(route: Route, replace?: boolean): void;
}

/**
 * Lifecycle: built for a route; `render()` again after a language switch (keeping its data);
 * `update(route)` when only the parameters changed (true = handled in place); `reload()` after a
 * reconnect; `destroy()` once when left (unsubscribe, dispose charts, abort requests).
 */
export interface Page {
  readonly root: HTMLElement;
  render(): void;
  destroy(): void;
  update?(route: Route): boolean;
  reload?(): void;
}

export function sessionOf(me: unknown): Session | undefined {
  if (typeof me !== 'object' || me === null) return undefined;
  const o = me as { user?: { username?: unknown; role?: unknown; crewId?: unknown }; permissions?: unknown };
  if (typeof o.user?.username !== 'string' || typeof o.user.role !== 'string') return undefined;
  const perms = Array.isArray(o.permissions) ? o.permissions.filter((p): p is string => typeof p === 'string') : [];
  return {
    username: o.user.username,
    role: o.user.role,
    ...(typeof o.user.crewId === 'string' ? { crewId: o.user.crewId } : {}),
    permissions: new Set(perms),
  };
}
