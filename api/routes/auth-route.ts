// Login, logout, who am I, own password, user administration and the audit log.
//
//   POST  /api/auth/login     {username, password} → {user, expiresAt} + HttpOnly session cookie
//   POST  /api/auth/token     {username, password} → {token, user, expiresAt} (bearer, for scripts)
//   POST  /api/auth/logout    ends the session of the cookie or bearer token → 204
//   GET   /api/auth/me        → {user, permissions, stations?}
//   POST  /api/auth/password  {currentPassword, newPassword} → {user} (other sessions end)
//   GET   /api/auth/users                 (admin) → {users}
//   POST  /api/auth/users     {username, role, crewId?, password}   (admin) → 201 {user}
//   PATCH /api/auth/users/:username {role?, crewId?, disabled?, password?} (admin) → {user}
//   GET   /api/audit?limit=&actor=&since=  (admin) → {entries (newest first), total, chain}
//
// Answers carry Cache-Control: no-store. Every change is written to the audit log by name
// (never a password); failures are recorded by the generic audit middleware.

import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AUDITED, clearedCookie, clientAddress, requirePermission, sessionCookie, tokenOf } from '../../auth/http-auth';
import type { AuthService, UserView } from '../../auth/auth-service';
import { MAX_PASSWORD_CHARS } from '../../auth/password';
import { principalOf } from '../../auth/principal';
import { PERMISSIONS, ROLES, can, type Permission } from '../../auth/roles';
import { HeatError } from '../../domain/errors';
import { parsePart } from '../parse-part';

export interface AuthRouteOptions {
  /** HEAT_COOKIE_SECURE. */
  readonly cookieSecure: boolean;
  /** HEAT_SESSION_TTL_MS (cookie Max-Age). */
  readonly sessionTtlMs: number;
}

const password = z.string().min(1).max(MAX_PASSWORD_CHARS);
const Credentials = z.object({ username: z.string().min(1).max(64), password });
const PasswordChange = z.object({ currentPassword: password, newPassword: password });
const NewUserBody = z.strictObject({ username: z.string().min(1).max(64), role: z.enum(ROLES), crewId: z.string().min(1).max(64).optional(), password });
const UserChangeBody = z.strictObject({
  role: z.enum(ROLES).optional(),
  crewId: z.union([z.string().min(1).max(64), z.null()]).optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
const UsernameParam = z.object({ username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/i, 'a username') });
const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  actor: z.string().min(1).max(64).optional(),
  since: z.coerce.number().int().optional(),
});

function noStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
}

function me(req: Request): NonNullable<ReturnType<typeof principalOf>> {
  const p = principalOf(req);
  if (!p) throw new HeatError('UNAUTHENTICATED', 'log in first (POST /api/auth/login)');
  return p;
}

export function authRoute(auth: AuthService, o: AuthRouteOptions): Router {
  const r = Router();
  const audited = async (req: Request, res: Response, action: string, detail?: string): Promise<void> => {
    const p = principalOf(req);
    res.locals[AUDITED] = true;
    await auth.audit.record({ actor: p?.username ?? null, role: p?.role ?? null, ip: clientAddress(req), action, outcome: 'ok', status: res.statusCode, ...(detail ? { detail } : {}) });
  };

  r.post('/api/auth/login', async (req, res) => {
    noStore(res);
    const { username, password: pw } = parsePart('body', Credentials, req.body);
    res.locals[AUDITED] = true; // the service records success and failure itself
    const { token, session, user } = await auth.login(username, pw, clientAddress(req), 'cookie');
    res.setHeader('Set-Cookie', sessionCookie(token, o.sessionTtlMs, o.cookieSecure));
    res.json({ user, expiresAt: session.expiresAt });
  });

  r.post('/api/auth/token', async (req, res) => {
    noStore(res);
    const { username, password: pw } = parsePart('body', Credentials, req.body);
    res.locals[AUDITED] = true;
    const { token, session, user } = await auth.login(username, pw, clientAddress(req), 'bearer');
    res.json({ token, user, expiresAt: session.expiresAt });
  });

  r.post('/api/auth/logout', async (req, res) => {
    noStore(res);
    const t = tokenOf(req);
    const p = principalOf(req);
    if (t) auth.logout(t.token);
    res.setHeader('Set-Cookie', clearedCookie(o.cookieSecure));
    res.status(204);
    if (p) await audited(req, res, 'logout');
    else res.locals[AUDITED] = true; // nothing happened
    res.end();
  });

  r.get('/api/auth/me', (req, res) => {
    noStore(res);
    const p = me(req);
    const user = auth.user(p.username);
    if (!user) throw new HeatError('UNAUTHENTICATED', 'the user no longer exists');
    const permissions = (Object.keys(PERMISSIONS) as Permission[]).filter((x) => can(p.role, x));
    res.json({ user, permissions, ...(p.stations ? { stations: [...p.stations].sort() } : {}) });
  });

  r.post('/api/auth/password', async (req, res) => {
    noStore(res);
    const p = me(req);
    const b = parsePart('body', PasswordChange, req.body);
    const user = await auth.changeOwnPassword(p.username, b.currentPassword, b.newPassword);
    // Every session of the user ended; this browser gets a fresh one.
    const { token, session } = auth.sessions.create({ username: user.username, role: user.role, ...(user.crewId ? { crewId: user.crewId } : {}), kind: 'cookie' });
    if (tokenOf(req)?.via === 'cookie') res.setHeader('Set-Cookie', sessionCookie(token, o.sessionTtlMs, o.cookieSecure));
    await audited(req, res, 'password change');
    res.json({ user, expiresAt: session.expiresAt });
  });

  r.get('/api/auth/users', requirePermission('users:admin'), (_req, res) => {
    noStore(res);
    res.json({ users: auth.listUsers() });
  });

  r.post('/api/auth/users', requirePermission('users:admin'), async (req, res) => {
    noStore(res);
    const b = parsePart('body', NewUserBody, req.body);
    const user: UserView = await auth.createUser({ username: b.username, role: b.role, password: b.password, ...(b.crewId ? { crewId: b.crewId } : {}) });
    res.status(201);
    await audited(req, res, `user create ${user.username}`, describeUser(user));
    res.json({ user });
  });

  r.patch('/api/auth/users/:username', requirePermission('users:admin'), async (req, res) => {
    noStore(res);
    const { username } = parsePart('params', UsernameParam, req.params);
    const b = parsePart('body', UserChangeBody, req.body);
    const user = await auth.updateUser(username, {
      ...(b.role !== undefined ? { role: b.role } : {}),
      ...(b.crewId !== undefined ? { crewId: b.crewId } : {}),
      ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
      ...(b.password !== undefined ? { password: b.password } : {}),
    });
    const changed = Object.keys(b).map((k) => (k === 'password' ? 'password' : `${k}=${JSON.stringify((b as Record<string, unknown>)[k])}`));
    await audited(req, res, `user update ${user.username}`, changed.join(' '));
    res.json({ user });
  });

  r.get('/api/audit', requirePermission('audit:read'), async (req, res) => {
    noStore(res);
    const q = parsePart('query', AuditQuery, req.query);
    res.json(await auth.audit.read({ limit: q.limit, ...(q.actor ? { actor: q.actor } : {}), ...(q.since !== undefined ? { since: q.since } : {}) }));
  });

  return r;
}

function describeUser(u: UserView): string {
  return `role=${u.role}${u.crewId ? ` crew=${u.crewId}` : ''}`;
}
