// Users, logins, sessions and the audit log behind one object (the HTTP side is auth/http-auth.ts
// and api/routes/auth-route.ts).
//
// Lifecycle: AuthService.open() once at start, after the network is loaded: reads the users file
// (HEAT_DATA_DIR/auth/users.json) and, when there is none, seeds the `admin` user with
// HEAT_ADMIN_PASSWORD or a generated password handed once to onGeneratedAdminPassword (the app
// prints it; only its hash is stored); opens the audit log. close() at shutdown.

import { createHash, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../domain/clock';
import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import { AuditLog } from './audit-log';
import { LoginLimiter, type LoginLimiterOptions } from './login-limiter';
import { DEFAULT_SCRYPT, generatePassword, hashPassword, passwordProblem, verifyPassword, type ScryptParams } from './password';
import type { Principal } from './principal';
import { isRole, type Role } from './roles';
import { crewStations } from './scope';
import { SessionStore, type Session } from './session-store';
import { USERNAME_PATTERN, UserStore, type StoredUser } from './user-store';

export const AUTH_DIR = 'auth';
export const USERS_FILE = 'users.json';
export const AUDIT_FILE = join('audit', 'audit.jsonl');

export interface AuthServiceOptions {
  /** HEAT_DATA_DIR. */
  readonly dataDir: string;
  readonly network: NetworkModel;
  readonly clock: Clock;
  readonly logger: Logger;
  /** HEAT_SESSION_TTL_MS. */
  readonly sessionTtlMs: number;
  /** HEAT_ADMIN_PASSWORD; used only when no users file exists yet. */
  readonly adminPassword?: string;
  /** HEAT_METRICS_TOKEN. */
  readonly metricsToken?: string;
  readonly scrypt?: ScryptParams;
  readonly limiter?: Omit<LoginLimiterOptions, 'clock'>;
  readonly registry?: Registry;
  /** Receives a generated admin password once, at first start (the caller shows it to the operator). */
  readonly onGeneratedAdminPassword?: (password: string) => void;
}

/** A user as the API shows it (never the hash). */
export interface UserView {
  readonly username: string;
  readonly role: Role;
  readonly crewId?: string;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewUser {
  readonly username: string;
  readonly role: Role;
  readonly crewId?: string;
  readonly password: string;
}

export interface UserChange {
  readonly role?: Role;
  readonly crewId?: string | null;
  readonly disabled?: boolean;
  readonly password?: string;
}

export function userView(u: StoredUser): UserView {
  return {
    username: u.username,
    role: u.role,
    ...(u.crewId === undefined ? {} : { crewId: u.crewId }),
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  readonly audit: AuditLog;
  private readonly scrypt: ScryptParams;
  private readonly crews = new Map<string, ReadonlySet<string>>();
  private dummyHash = '';
  private readonly logins: Counter<'outcome'> | undefined;

  private constructor(private readonly o: AuthServiceOptions) {
    this.users = new UserStore(join(o.dataDir, AUTH_DIR, USERS_FILE));
    this.sessions = new SessionStore({ clock: o.clock, ttlMs: o.sessionTtlMs });
    this.limiter = new LoginLimiter({ clock: o.clock, ...o.limiter });
    this.scrypt = o.scrypt ?? DEFAULT_SCRYPT;
    const auditErrors = o.registry
      ? new Counter({ name: 'heat_audit_write_errors_total', help: 'Audit entries that could not be written (the request itself went through)', registers: [o.registry] })
      : undefined;
    this.audit = new AuditLog(join(o.dataDir, AUDIT_FILE), o.clock, (e, r) => {
      auditErrors?.inc();
      o.logger.error({ err: e, action: r.action, actor: r.actor }, 'audit entry could not be written');
    });
    this.logins = o.registry
      ? new Counter({ name: 'heat_auth_logins_total', help: 'Login attempts, by outcome (ok, failed, rate-limited)', labelNames: ['outcome'], registers: [o.registry] })
      : undefined;
  }

  static async open(o: AuthServiceOptions): Promise<AuthService> {
    const s = new AuthService(o);
    await s.users.open();
    await s.audit.open();
    // Unknown users are checked against this, so that they take as long as known ones.
    s.dummyHash = await hashPassword(generatePassword(), s.scrypt);
    await s.seedAdmin();
    return s;
  }

  private async seedAdmin(): Promise<void> {
    const o = this.o;
    if (this.users.size > 0) {
      if (o.adminPassword) o.logger.info('HEAT_ADMIN_PASSWORD is used only at the first start (users exist already); change passwords in the app');
      return;
    }
    const generated = !o.adminPassword;
    const password = o.adminPassword || generatePassword();
    const now = new Date(o.clock.now()).toISOString();
    await this.users.put({ username: 'admin', role: 'admin', passwordHash: await hashPassword(password, this.scrypt), disabled: false, mustChangePassword: generated, createdAt: now, updatedAt: now });
    await this.audit.record({ actor: null, role: null, ip: 'local', action: 'seed admin', outcome: 'ok', detail: generated ? 'generated password' : 'HEAT_ADMIN_PASSWORD' });
    o.logger.warn({ file: this.users.path, generated }, 'first start: created user "admin"');
    if (generated) o.onGeneratedAdminPassword?.(password);
  }

  /**
   * Checks a login. Throws TOO_MANY_REQUESTS (with retryAfter) past the rate limit, before the
   * password is even looked at, and UNAUTHENTICATED for any wrong username, password or a
   * disabled user (one message for all, so that names cannot be probed).
   */
  async login(username: string, password: string, ip: string, kind: Session['kind']): Promise<{ token: string; session: Session; user: UserView }> {
    const name = username.toLowerCase();
    const verdict = this.limiter.check(name, ip);
    if (!verdict.allowed) {
      this.logins?.inc({ outcome: 'rate-limited' });
      await this.audit.record({ actor: name.slice(0, 64), role: null, ip, action: 'login', outcome: 'denied', status: 429, detail: 'rate limited' });
      throw new HeatError('TOO_MANY_REQUESTS', 'body.username: too many failed logins for this user from this address', { retryAfterMs: verdict.retryAfterMs });
    }
    const user = this.users.get(name);
    const ok = user !== undefined ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, this.dummyHash)) && false;
    if (!user || !ok || user.disabled) {
      this.limiter.fail(name, ip);
      this.logins?.inc({ outcome: 'failed' });
      await this.audit.record({ actor: name.slice(0, 64), role: null, ip, action: 'login', outcome: 'failed', status: 401, detail: 'wrong username or password' });
      throw new HeatError('UNAUTHENTICATED', 'wrong username or password');
    }
    this.limiter.succeed(name, ip);
    this.logins?.inc({ outcome: 'ok' });
    const { token, session } = this.sessions.create({ username: user.username, role: user.role, ...(user.crewId ? { crewId: user.crewId } : {}), kind });
    await this.audit.record({ actor: user.username, role: user.role, ip, action: kind === 'bearer' ? 'login (token)' : 'login', outcome: 'ok', status: 200 });
    return { token, session, user: userView(user) };
  }

  /** The principal of a session token, or undefined. */
  authenticate(token: string, via: 'cookie' | 'bearer'): Principal | undefined {
    const s = this.sessions.get(token);
    if (!s) return undefined;
    if (s.role === 'crew') return { username: s.username, role: s.role, crewId: s.crewId, stations: this.stationsOf(s.crewId ?? ''), via };
    return { username: s.username, role: s.role, via };
  }

  /** Whether a bearer token is HEAT_METRICS_TOKEN (compared in constant time). */
  isMetricsToken(token: string): boolean {
    const want = this.o.metricsToken;
    if (!want) return false;
    return timingSafeEqual(sha(token), sha(want));
  }

  logout(token: string): void {
    this.sessions.end(token);
  }

  user(username: string): UserView | undefined {
    const u = this.users.get(username);
    return u ? userView(u) : undefined;
  }

  listUsers(): UserView[] {
    return this.users.list().map(userView);
  }

  async createUser(n: NewUser): Promise<UserView> {
    const username = n.username.toLowerCase();
    if (!USERNAME_PATTERN.test(username)) throw new HeatError('BAD_REQUEST', 'body.username: 2–64 characters of a–z, 0–9, ".", "_" and "-", starting with a letter or digit');
    if (this.users.get(username)) throw new HeatError('CONFLICT', `body.username: user "${username}" exists`);
    this.checkRoleCrew(n.role, n.crewId);
    const problem = passwordProblem(n.password);
    if (problem) throw new HeatError('BAD_REQUEST', `body.password: ${problem}`);
    const now = new Date(this.o.clock.now()).toISOString();
    const u: StoredUser = {
      username,
      role: n.role,
      ...(n.role === 'crew' && n.crewId ? { crewId: n.crewId } : {}),
      passwordHash: await hashPassword(n.password, this.scrypt),
      disabled: false,
      mustChangePassword: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.users.put(u);
    return userView(u);
  }

  /** Changes a user; every session of the user ends (their rights may have changed). */
  async updateUser(username: string, c: UserChange, opts: { byThemselves?: boolean } = {}): Promise<UserView> {
    const u = this.users.get(username);
    if (!u) throw new HeatError('NOT_FOUND', `params.username: no user "${username}"`);
    const role = c.role ?? u.role;
    const crewId = c.crewId === null ? undefined : (c.crewId ?? u.crewId);
    this.checkRoleCrew(role, crewId);
    if (c.password !== undefined) {
      const problem = passwordProblem(c.password);
      if (problem) throw new HeatError('BAD_REQUEST', `body.password: ${problem}`);
    }
    if (u.role === 'admin' && (role !== 'admin' || c.disabled === true) && this.users.list().filter((x) => x.role === 'admin' && !x.disabled).length <= 1) {
      throw new HeatError('CONFLICT', `params.username: "${u.username}" is the last active admin`);
    }
    const next: StoredUser = {
      username: u.username,
      role,
      ...(role === 'crew' && crewId ? { crewId } : {}),
      passwordHash: c.password !== undefined ? await hashPassword(c.password, this.scrypt) : u.passwordHash,
      disabled: c.disabled ?? u.disabled,
      // An admin setting a password hands it over: the user is asked to choose their own.
      mustChangePassword: c.password !== undefined ? !opts.byThemselves : u.mustChangePassword,
      createdAt: u.createdAt,
      updatedAt: new Date(this.o.clock.now()).toISOString(),
    };
    await this.users.put(next);
    this.sessions.endAllOf(u.username);
    return userView(next);
  }

  /** A user changing their own password proves the current one first. */
  async changeOwnPassword(username: string, current: string, next: string): Promise<UserView> {
    const u = this.users.get(username);
    if (!u || !(await verifyPassword(current, u.passwordHash))) throw new HeatError('FORBIDDEN', 'body.currentPassword: wrong password');
    return this.updateUser(username, { password: next }, { byThemselves: true });
  }

  async close(): Promise<void> {
    await this.audit.close();
  }

  private checkRoleCrew(role: Role, crewId: string | undefined): void {
    if (!isRole(role)) throw new HeatError('BAD_REQUEST', 'body.role: must be operator, crew, bureau or admin');
    if (role === 'crew') {
      if (!crewId) throw new HeatError('BAD_REQUEST', 'body.crewId: a crew user needs the crew id of its stations');
      if (this.stationsOf(crewId).size === 0) throw new HeatError('BAD_REQUEST', `body.crewId: no station of the network has crew "${crewId}"`);
    }
  }

  private stationsOf(crewId: string): ReadonlySet<string> {
    let s = this.crews.get(crewId);
    if (!s) {
      s = crewStations(this.o.network, crewId);
      this.crews.set(crewId, s);
    }
    return s;
  }
}
