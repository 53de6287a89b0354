// Issue 9 item 5 / issue 6 item 8 for tickets: a crew sees only the tickets placed at its own
// stations (callers' phone numbers are personal data), over real HTTP with real sessions. Another
// crew's ticket is 404 as if absent; asking for another crew's station is 403; the address queue
// of unplaced tickets is the control room's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0 } from '../../api/testing/api-harness';
import { startSecureApi, type SecureApi } from './support/secure-api';

interface Page {
  total: number;
  items: { id: string; externalId: string; callerPhone?: string; resolution: { compoundId?: string; stationId?: string } }[];
}

describe('tickets are scoped to a crew\'s stations', () => {
  let s: SecureApi;
  let op: string;
  let crew: string;
  const ids: Record<string, string> = {};

  const call = async (method: string, path: string, auth: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${s.base}${path}`, {
      method,
      headers: { cookie: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    s = await startSecureApi({ tickets: true });
    op = await s.cookie('op1');
    crew = await s.cookie('crew1'); // crew-gangcheng: dexuan and xingfu, not xiyu
    const file = async (key: string, address: string, i: number): Promise<void> => {
      const r = await call('POST', '/api/tickets', op, {
        externalId: `SCOPE-${key}`,
        receivedAt: T0 - (10 - i) * 60_000,
        text: '家中暖气不热，室温只有15度',
        address,
        callerPhone: '13812345678',
        channel: 'phone',
      });
      expect(r.status).toBe(201);
      ids[key] = (r.body.ticket as { id: string }).id;
    };
    await file('own', '嘉峪关市龙湖华庭3号楼2单元501', 1);
    await file('other', '嘉峪关市西域花园1号楼1单元101', 2);
    await file('nowhere', '嘉峪关市某某路', 3);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('lists only the crew\'s own stations\' tickets; the operator sees all', async () => {
    const mine = (await call('GET', '/api/tickets', crew)).body as unknown as Page;
    expect(mine.items.map((t) => t.externalId)).toEqual(['SCOPE-own']);
    expect(mine.total).toBe(1);
    expect(mine.items[0]?.resolution.stationId).toBe('dexuan');
    const all = (await call('GET', '/api/tickets', op)).body as unknown as Page;
    expect(all.items.map((t) => t.externalId).sort()).toEqual(['SCOPE-nowhere', 'SCOPE-other', 'SCOPE-own']);
  });

  it('answers 404 for another crew\'s ticket and 403 for another crew\'s station or compound', async () => {
    expect((await call('GET', `/api/tickets/${ids.own}`, crew)).status).toBe(200);
    const other = await call('GET', `/api/tickets/${ids.other}`, crew);
    expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await call('GET', `/api/tickets/${ids.other}`, op)).status).toBe(200);
    const station = await call('GET', '/api/tickets?station=xiyu', crew);
    expect([station.status, station.body.code]).toEqual([403, 'FORBIDDEN']);
    const compound = await call('GET', '/api/tickets?compound=xiyu-huayuan', crew);
    expect([compound.status, compound.body.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('keeps the unplaced tickets in the control room\'s queue, and a crew cannot settle another\'s', async () => {
    const opQueue = (await call('GET', '/api/tickets/queue', op)).body as unknown as Page;
    expect(opQueue.items.map((t) => t.externalId)).toContain('SCOPE-nowhere');
    const crewQueue = (await call('GET', '/api/tickets/queue', crew)).body as unknown as Page;
    expect(crewQueue.items.map((t) => t.externalId)).not.toContain('SCOPE-nowhere');
    const settle = await call('POST', `/api/tickets/${ids.nowhere}/confirm`, crew, { compoundId: 'jianshe' });
    expect([settle.status, settle.body.code]).toEqual([404, 'NOT_FOUND']);
    const moveAway = await call('POST', `/api/tickets/${ids.own}/confirm`, crew, { compoundId: 'xiyu-huayuan' });
    expect([moveAway.status, moveAway.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call('POST', `/api/tickets/${ids.nowhere}/confirm`, op, { compoundId: 'jianshe' })).status).toBe(200);
    const after = (await call('GET', '/api/tickets', crew)).body as unknown as Page;
    expect(after.items.map((t) => t.externalId).sort()).toEqual(['SCOPE-nowhere', 'SCOPE-own']);
  });
});
