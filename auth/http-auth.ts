// The HTTP and socket.io side of access control, as express middleware mounted by api/create-api.ts:
//
//   identify(auth)       reads the session cookie or bearer token and attaches the principal
//   auditWrites(audit)   records every API write (who, when, what, outcome) once it has finished
//   guardApi()           /api/* needs a principal (401) except the public login paths; writes need
//                        a writing role (bureau only reads: 403) and, with a cookie, the same origin
//   requirePermission(p) per-route check against the roles table (auth/roles.ts)
//   metricsGuard(auth)   /metrics for operators and admins, or the HEAT_METRICS_TOKEN bearer
//   socketGuard(auth, …) live push: a session is needed to connect; crews subscribe only in scope
//
// Cookies: HttpOnly (scripts cannot read the token), SameSite=Strict (other sites cannot send it),
// Path=/, Max-Age = session lifetime, Secure when HEAT_COOKIE_SECURE.

import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Server, Socket } from 'socket.io';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import { ENTITY_KINDS, type EntityKind } from '../domain/telemetry';
import type { AuditLog, AuditOutcome } from './audit-log';
import type { AuthService } from './auth-service';
import { principalOf, setPrincipal, type Principal } from './principal';
import { can, WRITING_ROLES, type Permission } from './roles';
import { allowsEntity, scopeFor } from './scope';

export const SESSION_COOKIE = 'heat_session';
/** Paths under /api that answer without a session. */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set(['/api/auth/login', '/api/auth/token', '/api/auth/logout']);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWrite(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** The token a request carries: `Authorization: Bearer …` first, else the session cookie. */
export function tokenOf(req: IncomingMessage): { token: string; via: 'cookie' | 'bearer' } | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string' && /^Bearer\s+/i.test(h)) return { token: h.replace(/^Bearer\s+/i, '').trim(), via: 'bearer' };
  const c = cookieValue(req.headers.cookie, SESSION_COOKIE);
  return c === undefined ? undefined : { token: c, via: 'cookie' };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/** The client's address for rate limits and the audit log (the socket's; no proxy header is trusted). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function identify(auth: AuthService): RequestHandler {
  return (req, _res, next) => {
    const t = tokenOf(req);
    if (t) {
      const p = auth.authenticate(t.token, t.via);
      if (p) setPrincipal(req, p);
    }
    next();
  };
}

/**
 * A state-changing request carried by a cookie must come from our own pages: a browser sends
 * Origin (or Sec-Fetch-Site) with it. Clients that send neither (scripts, curl) are not browsers
 * and cannot have been tricked into sending our cookie.
 */
function crossSite(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host !== req.headers.host;
    } catch {
      return true;
    }
  }
  if (origin === 'null') return true;
  const site = req.headers['sec-fetch-site'];
  return typeof site === 'string' && site !== 'same-origin' && site !== 'none';
}

export function guardApi(): RequestHandler {
  return (req, _res, next) => {
    const path = req.originalUrl.split('?')[0] ?? '';
    if (path !== '/api' && !path.startsWith('/api/')) return next();
    const write = isWrite(req.method);
    if (write && req.headers.authorization === undefined && crossSite(req)) {
      return next(new HeatError('FORBIDDEN', 'origin: a cross-site request may not change anything'));
    }
    if (PUBLIC_API_PATHS.has(path)) return next();
    const p = principalOf(req);
    if (!p) return next(new HeatError('UNAUTHENTICATED', `${req.method} ${path}: log in first (POST /api/auth/login)`));
    if (write && !WRITING_ROLES.includes(p.role) && !path.startsWith('/api/auth/')) {
      return next(new HeatError('FORBIDDEN', `${req.method} ${path}: role ${p.role} only reads`));
    }
    next();
  };
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    const p = principalOf(req);
    if (!p) return next(new HeatError('UNAUTHENTICATED', 'log in first (POST /api/auth/login)'));
    if (!can(p.role, permission)) return next(new HeatError('FORBIDDEN', `role ${p.role} may not ${permission}`));
    next();
  };
}

export function metricsGuard(auth: AuthService): RequestHandler {
  return (req, _res, next) => {
    const t = tokenOf(req);
    if (t?.via === 'bearer' && auth.isMetricsToken(t.token)) return next();
    const p = principalOf(req);
    if (!p) return next(new HeatError('UNAUTHENTICATED', 'GET /metrics: log in, or send the HEAT_METRICS_TOKEN as a bearer token'));
    if (!can(p.role, 'metrics:read')) return next(new HeatError('FORBIDDEN', `role ${p.role} may not read /metrics`));
    next();
  };
}

/** res.locals flag set by routes that write their own, more precise audit entry. */
export const AUDITED = 'heatAudited';

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403 || status === 429) return 'denied';
  return 'failed';
}

/** Records every API write once its answer is sent (or the client went away). */
export function auditWrites(audit: AuditLog): RequestHandler {
  return (req, res, next) => {
    if (!isWrite(req.method)) return next();
    const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
    res.once('close', () => {
      if (res.locals[AUDITED] === true) return;
      const p = principalOf(req);
      const finished = res.writableFinished;
      void audit.record({
        actor: p?.username ?? null,
        role: p?.role ?? null,
        ip: clientAddress(req),
        action: `${req.method} ${path.slice(0, 300)}`,
        outcome: finished ? outcomeOf(res.statusCode) : 'failed',
        status: finished ? res.statusCode : 499,
        ...(finished ? {} : { detail: 'client went away before the answer' }),
      });
    });
    next();
  };
}

const ENTITY = new RegExp(`^(${ENTITY_KINDS.join('|')}):([A-Za-z0-9_-]{1,64})$`);

/**
 * Live push: a socket connects only with a live session (cookie or `auth: {token}`), and each
 * `subscribe` is checked against the user's scope and the session's life. Refusals go back
 * through the subscription's acknowledgement as {ok:false, error}.
 */
export function socketGuard(io: Server, auth: AuthService, network: NetworkModel): void {
  const tokens = new WeakMap<Socket, string>();
  io.use((socket, next) => {
    const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const t = typeof fromAuth === 'string' ? { token: fromAuth, via: 'bearer' as const } : tokenOf(socket.request);
    const p = t ? auth.authenticate(t.token, t.via) : undefined;
    if (!t || !p) return next(new Error('UNAUTHENTICATED: log in first'));
    setPrincipal(socket.request, p);
    tokens.set(socket, t.token);
    next();
  });
  io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const [event, payload] = packet as [string, unknown];
      const ack = packet[packet.length - 1];
      const refuse = (e: HeatError): void => {
        if (typeof ack === 'function') (ack as (a: unknown) => void)({ ok: false, error: e.toJSON() });
      };
      const token = tokens.get(socket);
      if (!token || !auth.sessions.get(token)) {
        refuse(new HeatError('UNAUTHENTICATED', 'the session ended; log in again'));
        socket.disconnect(true);
        return;
      }
      if (event === 'subscribe') {
        const entity = (payload as { entity?: unknown } | undefined)?.entity;
        const m = typeof entity === 'string' ? ENTITY.exec(entity) : null;
        if (m && !allowsEntity(scopeFor(socket.request), network, m[1] as EntityKind, m[2] as string)) {
          refuse(new HeatError('FORBIDDEN', `message.entity: ${entity as string} belongs to another crew's stations`));
          return;
        }
      }
      next();
    });
  });
}

export type { Principal };
