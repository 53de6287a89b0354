// Roles and what each may do, in one table (checked with `satisfies`, so a new permission must be
// given to someone explicitly). Routes ask for a permission, never for a role name.
//
// - operator (集控中心 dispatcher): reads all telemetry and tickets, writes tickets and alerts;
// - crew (运行班组): like an operator, but only for the stations of its own crew (scope.ts);
// - bureau (供热办 / 住建局): reads telemetry and reports; writes nothing; no callers' personal data;
// - admin: everything, plus users and the audit log.

export const ROLES = ['operator', 'crew', 'bureau', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Network, series, latest values, live push (crews: their stations only). */
  'telemetry:read': ['operator', 'crew', 'bureau', 'admin'],
  /** Tickets without callers' personal data (crews: their stations only). */
  'tickets:read': ['operator', 'crew', 'bureau', 'admin'],
  /** Callers' names, phone numbers and exact addresses. */
  'tickets:read-personal': ['operator', 'crew', 'admin'],
  'tickets:write': ['operator', 'crew', 'admin'],
  'alerts:write': ['operator', 'crew', 'admin'],
  /** Enable or disable a rule of the rules engine (city-wide, so not crews). */
  'rules:write': ['operator', 'admin'],
  'reports:read': ['operator', 'bureau', 'admin'],
  /** Prometheus text at /metrics. */
  'metrics:read': ['operator', 'admin'],
  'users:admin': ['admin'],
  'audit:read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Roles that may change anything at all through the API (bureau only reads). */
export const WRITING_ROLES: readonly Role[] = ['operator', 'crew', 'admin'];

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
