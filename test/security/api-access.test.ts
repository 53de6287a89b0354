// Issue 9, item 5 (access) over real HTTP and socket.io: nothing but login without a session;
// brute force rate-limited; cookies HttpOnly + SameSite; crews see only their stations; bureau
// only reads; cross-site writes refused; every write in the hash-chained audit log; secure headers.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { io as connectIo } from 'socket.io-client';
import { T0 } from '../../api/testing/api-harness';
import type { AuditPage } from '../../auth/audit-log';
import { PASSWORDS, startSecureApi, SESSION_TTL_MS, type SecureApi } from './support/secure-api';

interface Answer {
  status: number;
  body: { code?: string; detail?: string } & Record<string, unknown>;
  headers: Headers;
}

describe('API access control', () => {
  let s: SecureApi;
  const call = async (method: string, path: string, o: { auth?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.auth?.startsWith('Bearer ')) headers.authorization = o.auth;
    else if (o.auth) headers.cookie = o.auth;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${s.base}${path}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
    const text = await r.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = { text };
    }
    return { status: r.status, body, headers: r.headers };
  };
  const audit = async (admin: string): Promise<AuditPage> => (await call('GET', '/api/audit?limit=1000', { auth: admin })).body as unknown as AuditPage;

  beforeAll(async () => {
    s = await startSecureApi({ metricsToken: 'metrics-token-0123456789' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('without a session: telemetry, users, audit and metrics answer 401; health and login do not', async () => {
    const series = `/api/series?entity=station:dexuan&fields=t2_supply&from=${T0 - 3_600_000}&to=${T0}`;
    for (const [method, path] of [
      ['GET', '/api/network'],
      ['GET', '/api/stations/dexuan'],
      ['GET', series],
      ['GET', '/api/auth/me'],
      ['GET', '/api/auth/users'],
      ['GET', '/api/audit'],
      ['POST', '/api/auth/users'],
      ['GET', '/api/anything-else'],
      ['GET', '/metrics'],
    ] as const) {
      const r = await call(method, path, method === 'POST' ? { body: {} } : {});
      expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 401, code: 'UNAUTHENTICATED' });
    }
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/api/network', { auth: 'heat_session=forged-token-forged-token-forged' })).status).toBe(401);
    expect((await call('GET', '/api/network', { auth: 'Bearer forged-token-forged-token-forged-token' })).status).toBe(401);
  });

  it('login sets an HttpOnly, SameSite=Strict session cookie and never shows the token to the page', async () => {
    const r = await fetch(`${s.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'OP1', password: PASSWORDS.op1 }) });
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^heat_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = await r.text();
    expect(body).not.toContain(cookie.split(';')[0]?.split('=')[1]);
    expect(JSON.parse(body)).toMatchObject({ user: { username: 'op1', role: 'operator' } });
    expect(body).not.toMatch(/hash|scrypt/);
    const me = await call('GET', '/api/auth/me', { auth: cookie.split(';')[0] });
    expect(me.body).toMatchObject({ user: { username: 'op1' }, permissions: expect.arrayContaining(['telemetry:read', 'tickets:read-personal']) });
  });

  it('wrong passwords: one answer for unknown users and wrong passwords; after 5 failures 429 with Retry-After, even for the right password, until the window passes', async () => {
    const bad = await call('POST', '/api/auth/login', { body: { username: 'op1', password: 'nope-nope-nope' } });
    const unknown = await call('POST', '/api/auth/login', { body: { username: 'ghost', password: 'nope-nope-nope' } });
    expect([bad.status, bad.body.detail]).toEqual([401, 'wrong username or password']);
    expect([unknown.status, unknown.body.detail]).toEqual([401, 'wrong username or password']);
    for (let i = 0; i < 4; i++) expect((await call('POST', '/api/auth/login', { body: { username: 'op1', password: `guess-${i}-guess` } })).status).toBe(401);
    const locked = await call('POST', '/api/auth/login', { body: { username: 'op1', password: PASSWORDS.op1 } });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // another user from the same address is not locked
    expect((await call('POST', '/api/auth/login', { body: { username: 'bureau1', password: PASSWORDS.bureau1 } })).status).toBe(200);
    s.clock.advance(15 * 60_000 + 1);
    expect((await call('POST', '/api/auth/login', { body: { username: 'op1', password: PASSWORDS.op1 } })).status).toBe(200);
    const m = await s.registry.getSingleMetric('heat_auth_logins_total')?.get();
    expect(m?.values.find((v) => v.labels.outcome === 'rate-limited')?.value).toBeGreaterThanOrEqual(1);
  });

  it('a crew sees only its own stations: network filtered, other stations and their compounds 403; weather shared', async () => {
    const crew = await s.cookie('crew1');
    const net = await call('GET', '/api/network', { auth: crew });
    expect((net.body.stations as Array<{ id: string }>).map((x) => x.id).sort()).toEqual(['dexuan', 'xingfu']);
    expect((await call('GET', '/api/stations/dexuan', { auth: crew })).status).toBe(200);
    const other = await call('GET', '/api/stations/xiyu', { auth: crew });
    expect([other.status, other.body.code]).toEqual([403, 'FORBIDDEN']);
    const range = `from=${T0 - 3_600_000}&to=${T0}`;
    expect((await call('GET', `/api/series?entity=station:dexuan&fields=t2_supply&${range}`, { auth: crew })).status).toBe(200);
    expect((await call('GET', `/api/series?entity=station:xiyu&fields=t2_supply&${range}`, { auth: crew })).status).toBe(403);
    expect((await call('GET', `/api/series?entity=compound:xiyu-huayuan&fields=t_supply&${range}`, { auth: crew })).status).toBe(403);
    expect((await call('GET', `/api/series?entity=weather:jyg&fields=t_outdoor&${range}`, { auth: crew })).status).toBe(200);
    // other roles see everything
    const op = await s.cookie('op1');
    expect((await call('GET', '/api/stations/xiyu', { auth: op })).status).toBe(200);
    expect(((await call('GET', '/api/network', { auth: op })).body.stations as unknown[]).length).toBe(3);
  });

  it('live push: no session → refused; a crew may subscribe to its stations only', async () => {
    const anon = connectIo(s.base, { transports: ['websocket'], reconnection: false });
    const refused = await new Promise<string>((resolve) => anon.on('connect_error', (e) => resolve(e.message)));
    expect(refused).toMatch(/UNAUTHENTICATED/);
    anon.close();
    const token = (await s.bearer('crew1')).replace('Bearer ', '');
    const sock = connectIo(s.base, { transports: ['websocket'], reconnection: false, auth: { token } });
    await new Promise<void>((resolve, reject) => {
      sock.on('connect', () => resolve());
      sock.on('connect_error', reject);
    });
    const sub = (entity: string) => new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => sock.emit('subscribe', { entity }, resolve));
    expect(await sub('station:dexuan')).toMatchObject({ ok: true });
    expect(await sub('compound:longhu-huating')).toMatchObject({ ok: true });
    expect(await sub('station:xiyu')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await sub('compound:xiyu-huayuan')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(s.api.io.sockets.adapter.rooms.get('entity:station:xiyu')?.size ?? 0).toBe(0);
    // the session ends: the socket is refused and dropped at its next message
    s.clock.advance(SESSION_TTL_MS + 1);
    expect(await sub('station:dexuan')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    sock.close();
  });

  it('bureau only reads; only admins manage users and read the audit log', async () => {
    const bureau = await s.cookie('bureau1');
    expect((await call('GET', '/api/stations/xiyu', { auth: bureau })).status).toBe(200);
    const w = await call('POST', '/api/auth/users', { auth: bureau, body: { username: 'x1', role: 'admin', password: 'a-long-password-1' } });
    expect([w.status, w.body.code]).toEqual([403, 'FORBIDDEN']);
    const op = await s.cookie('op1');
    expect((await call('GET', '/api/auth/users', { auth: op })).status).toBe(403);
    expect((await call('GET', '/api/audit', { auth: op })).status).toBe(403);
    expect((await call('PATCH', '/api/auth/users/op1', { auth: op, body: { role: 'admin' } })).status).toBe(403);
    expect((await call('GET', '/metrics', { auth: bureau })).status).toBe(403);
    expect((await call('GET', '/metrics', { auth: op })).status).toBe(200);
    expect((await call('GET', '/metrics', { auth: 'Bearer metrics-token-0123456789' })).status).toBe(200);
  });

  it('a write carried by the cookie from another site is refused (CSRF); the same with our origin goes through', async () => {
    const admin = await s.cookie('admin');
    const body = { username: 'csrf-victim', role: 'operator', password: 'a-long-password-1' };
    const evil = await call('POST', '/api/auth/users', { auth: admin, body, headers: { origin: 'http://evil.example' } });
    expect([evil.status, evil.body.code]).toEqual([403, 'FORBIDDEN']);
    const site = await call('POST', '/api/auth/users', { auth: admin, body, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
    const ok = await call('POST', '/api/auth/users', { auth: admin, body, headers: { origin: s.base } });
    expect(ok.status).toBe(201);
  });

  it('every write is in the audit log with who, when, what and outcome; the chain verifies; no secrets in it', async () => {
    const admin = await s.bearer('admin');
    await call('POST', '/api/auth/users', { auth: admin, body: { username: 'crew2', role: 'crew', crewId: 'crew-xiongguan', password: 'crew2-password-12' } });
    await call('PATCH', '/api/auth/users/crew2', { auth: admin, body: { disabled: true } });
    await call('POST', '/api/auth/users', { auth: admin, body: { username: 'crew3', role: 'crew', crewId: 'no-such-crew', password: 'crew3-password-12' } });
    const bureau = await s.cookie('bureau1');
    await call('POST', '/api/auth/users', { auth: bureau, body: {} });
    await call('POST', '/api/auth/login', { body: { username: 'crew2', password: 'crew2-password-12' } }); // disabled: fails
    await vi.waitFor(async () => {
      const page = await audit(admin);
      const lines = page.entries.map((e) => [e.actor, e.action, e.outcome, e.status]);
      expect(lines).toContainEqual(['admin', 'user create crew2', 'ok', 201]);
      expect(lines).toContainEqual(['admin', 'user update crew2', 'ok', 200]);
      expect(lines).toContainEqual(['admin', 'POST /api/auth/users', 'failed', 400]);
      expect(lines).toContainEqual(['bureau1', 'POST /api/auth/users', 'denied', 403]);
      expect(lines).toContainEqual(['crew2', 'login', 'failed', 401]);
      expect(lines).toContainEqual(['op1', 'login', 'denied', 429]);
      expect(page.chain).toEqual({ ok: true });
      expect(page.entries.every((e) => /^\d{4}-\d{2}-\d{2}T/.test(e.at) && e.ip.length > 0)).toBe(true);
      const text = JSON.stringify(page);
      for (const pw of [...Object.values(PASSWORDS), 'crew2-password-12']) expect(text).not.toContain(pw);
    });
  });

  it('logout and password changes end sessions; the last admin cannot be demoted', async () => {
    const op = await s.cookie('op1');
    const other = await s.bearer('op1');
    expect((await call('POST', '/api/auth/logout', { auth: op })).status).toBe(204);
    expect((await call('GET', '/api/network', { auth: op })).status).toBe(401);
    expect((await call('GET', '/api/network', { auth: other })).status).toBe(200);
    const mine = await s.bearer('op1');
    const wrong = await call('POST', '/api/auth/password', { auth: mine, body: { currentPassword: 'not-it-at-all', newPassword: 'a-new-password-99' } });
    expect(wrong.status).toBe(403);
    const changed = await call('POST', '/api/auth/password', { auth: mine, body: { currentPassword: PASSWORDS.op1, newPassword: 'a-new-password-99' } });
    expect(changed.status).toBe(200);
    expect((await call('GET', '/api/network', { auth: other })).status).toBe(401);
    const admin = await s.bearer('admin');
    const demote = await call('PATCH', '/api/auth/users/admin', { auth: admin, body: { role: 'operator' } });
    expect([demote.status, demote.body.code]).toEqual([409, 'CONFLICT']);
  });

  it('secure headers on every answer, JSON errors never leak a stack', async () => {
    for (const path of ['/api/network', '/healthz', '/', '/api/auth/me']) {
      const r = await call('GET', path);
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
    const junk = await call('POST', '/api/auth/login', { body: { username: { $ne: null }, password: ['x'] } });
    expect(junk.status).toBe(400);
    expect(JSON.stringify(junk.body)).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
