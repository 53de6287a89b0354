// The InfluxDB HTTP layer against a tiny fake server (node:http): the request shape of the v1
// and v2 APIs, and how every kind of failure becomes a HeatError. No real v2 server exists here.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import { InfluxHttp, parseRetryAfter } from './influx-http';
import { InfluxStore } from './influx-store';

interface Seen {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}
type Reply = (req: Seen, res: ServerResponse) => void;

let server: Server;
let url: string;
let seen: Seen[] = [];
let reply: Reply;
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};
const empty = { results: [{ statement_id: 0 }] };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const s: Seen = { method: req.method ?? '', path: u.pathname, params: u.searchParams, headers: req.headers, body };
      seen.push(s);
      reply(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  reply = (req, res) => (req.path.endsWith('write') ? res.writeHead(204).end() : json(res, 200, empty));
});

async function heatError(p: Promise<unknown>): Promise<HeatError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof HeatError)) throw new Error(`expected a HeatError, got ${String(e)}`);
  return e;
}

describe('InfluxDB v2 API request shape', () => {
  it('writes to /api/v2/write with org, bucket, ms precision, token and line protocol', async () => {
    const store = new InfluxStore({ api: 'v2', url, database: 'heat bucket', org: '北方热力', token: 's3cr3t' });
    await store.connect();
    await store.write([{ measurement: 'compound', tags: { id: 'longhu huating', sensor: 's1' }, fields: { t_indoor: 18.5 }, time: 1_705_305_600_000 }]);
    const w = seen.find((s) => s.path === '/api/v2/write');
    expect(w).toBeDefined();
    expect(w?.method).toBe('POST');
    expect(Object.fromEntries(w?.params ?? [])).toEqual({ org: '北方热力', bucket: 'heat bucket', precision: 'ms' });
    expect(w?.headers.authorization).toBe('Token s3cr3t');
    expect(w?.body).toBe('compound,id=longhu\\ huating,sensor=s1 t_indoor=18.5 1705305600000\n');
  });

  it('queries the v1-compatible /query with db=bucket, epoch=ms and the token', async () => {
    reply = (req, res) =>
      json(res, 200, {
        results: [{ statement_id: 0, series: [{ name: 'station', tags: { sensor: '' }, columns: ['time', 't1_supply'], values: [[1000, 101.5], [2000, null]] }] }],
      });
    const store = new InfluxStore({ api: 'v2', url, database: 'heat', org: 'o', token: 't' });
    await store.connect();
    const got = await store.query({ measurement: 'station', id: 'dexuan', fields: ['t1_supply'], from: 0, to: 3000 });
    expect(got).toEqual([{ field: 't1_supply', points: [{ time: 1000, value: 101.5 }] }]);
    const q = seen.at(-1);
    expect(q?.path).toBe('/query');
    expect(Object.fromEntries(q?.params ?? [])).toEqual({ db: 'heat', epoch: 'ms' });
    expect(q?.headers.authorization).toBe('Token t');
    expect(new URLSearchParams(q?.body).get('q')).toBe(
      `SELECT "t1_supply" FROM "station" WHERE "id" = 'dexuan' AND time >= 0ms AND time < 3000ms GROUP BY "sensor" LIMIT 1000001`,
    );
  });
});

describe('InfluxDB v1 API request shape', () => {
  it('creates a missing database on connect and writes to /write with Basic auth', async () => {
    reply = (req, res) => (req.path === '/write' ? res.writeHead(204).end() : json(res, 200, empty));
    const store = new InfluxStore({ api: 'v1', url: `${url}/prefix`, database: 'heat', user: 'u', password: 'p' });
    await store.connect();
    expect(seen.map((s) => new URLSearchParams(s.body).get('q'))).toEqual(['SHOW DATABASES', 'CREATE DATABASE "heat"']);
    await store.write([{ measurement: 'weather', tags: { id: 'jyg' }, fields: { t_outdoor: -12 }, time: 5 }]);
    const w = seen.at(-1);
    expect(w?.path).toBe('/prefix/write');
    expect(Object.fromEntries(w?.params ?? [])).toEqual({ db: 'heat', precision: 'ms' });
    expect(w?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(w?.body).toBe('weather,id=jyg t_outdoor=-12 5\n');
  });

  it('does not create a database that exists', async () => {
    reply = (_req, res) => json(res, 200, { results: [{ statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['heat']] }] }] });
    await new InfluxStore({ api: 'v1', url, database: 'heat' }).connect();
    expect(seen).toHaveLength(1);
  });
});

describe('InfluxDB failures as HeatErrors', () => {
  const http = (timeoutMs?: number): InfluxHttp => new InfluxHttp({ api: 'v1', url, database: 'heat', timeoutMs });

  it('5xx and 429 are STORE_UNAVAILABLE, retryable, with Retry-After', async () => {
    reply = (_req, res) => json(res, 503, { error: 'overloaded' }, { 'retry-after': '7' });
    const e = await heatError(http().write('m v=1 1\n'));
    expect([e.code, e.canRetry(), e.retryAfter()]).toEqual(['STORE_UNAVAILABLE', true, 7000]);
    expect(e.message).toContain('overloaded');
    reply = (_req, res) => json(res, 429, { error: 'slow down' });
    const e2 = await heatError(http().write('m v=1 1\n'));
    expect([e2.code, e2.canRetry(), e2.retryAfter()]).toEqual(['STORE_UNAVAILABLE', true, undefined]);
  });

  it('4xx is STORE_REJECTED for writes, not retryable, with the server message', async () => {
    reply = (_req, res) => json(res, 400, { error: 'partial write: field type conflict' });
    const e = await heatError(http().write('m v=1 1\n'));
    expect([e.code, e.canRetry()]).toEqual(['STORE_REJECTED', false]);
    expect(e.message).toContain('partial write: field type conflict');
    reply = (_req, res) => json(res, 401, { code: 'unauthorized', message: 'unauthorized access' });
    expect((await heatError(http().write('m v=1 1\n'))).message).toContain('unauthorized access');
  });

  it('query errors are STORE_QUERY: HTTP 4xx, a failed statement, or a non-JSON answer', async () => {
    reply = (_req, res) => json(res, 400, { error: 'error parsing query' });
    expect((await heatError(http().query('SELECT'))).code).toBe('STORE_QUERY');
    reply = (_req, res) => json(res, 200, { results: [{ statement_id: 0, error: 'unsupported mean iterator type' }] });
    const e = await heatError(http().query('SELECT mean(s) FROM m'));
    expect([e.code, e.message.includes('unsupported mean iterator')]).toEqual(['STORE_QUERY', true]);
    reply = (_req, res) => res.writeHead(200).end('json: unsupported value: +Inf');
    expect((await heatError(http().query('SELECT'))).code).toBe('STORE_QUERY');
  });

  it('an unreachable server or a timeout is STORE_UNAVAILABLE', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await heatError(new InfluxHttp({ api: 'v1', url: `http://127.0.0.1:${port}`, database: 'x' }).write('m v=1 1\n'));
    expect([e.code, e.canRetry()]).toEqual(['STORE_UNAVAILABLE', true]);
    reply = () => {}; // never answers
    expect((await heatError(http(100).query('SHOW DATABASES'))).code).toBe('STORE_UNAVAILABLE');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.UTC(2024, 0, 15, 8, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 15 Jan 2024 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 15 Jan 2024 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
