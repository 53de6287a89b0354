// The ticket API over real HTTP: intake, idempotency, validation through the error catalogue,
// listing and the human queue, confirmation teaching aliases, phone masking by role, markup kept
// as data, and no phone number in anything logged.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { TicketDto } from '../../tickets/ticket-dto';
import type { Role } from '../../tickets/personal-data';
import { NOW, startTicketApi, type TicketApiHarness } from '../../tickets/testing/ticket-api-harness';

const PHONE = '13812345678';
const H = 3_600_000;

interface Json {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function call(h: TicketApiHarness, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> {
  const res = await fetch(`${h.base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

let seq = 0;
function ticket(o: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    externalId: `JYG20250115-${String(seq).padStart(6, '0')}`,
    receivedAt: NOW - seq * 60_000,
    text: '来电人反映：家中暖气不热，室温只有15度，要求尽快处理。',
    address: '嘉峪关市龙湖华庭3号楼2单元501',
    callerPhone: PHONE,
    channel: 'phone',
    ...o,
  };
}

describe('ticket API', () => {
  let h: TicketApiHarness;
  let hotline: TicketApiHarness;
  const logged: string[] = [];
  beforeAll(async () => {
    // Everything at trace level and no redaction: the test checks that we never log the number,
    // not that a redaction rule catches it.
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged.push(chunk.toString('utf8'));
        done();
      },
    });
    h = await startTicketApi({ logger: pino({ level: 'trace' }, sink) });
    hotline = await startTicketApi({ routes: { roleOf: (req) => (req.header('x-test-role') ?? 'anonymous') as Role } });
  });
  afterAll(async () => {
    await h.close();
    await hotline.close();
  });

  it('takes a ticket in and answers with its understanding, the phone masked', async () => {
    const body = ticket();
    const r = await call(h, 'POST', '/api/tickets', body);
    expect(r.status).toBe(201);
    expect(r.body.outcome).toBe('created');
    const t = r.body.ticket as TicketDto;
    expect(t.category).toBe('heating-not-warm');
    expect(t.resolution).toMatchObject({ review: 'auto', compoundId: 'longhu-huating', compoundName: '龙湖华庭', stationId: expect.any(String), buildingId: 'longhu-huating-b3', unit: 2, room: '501' });
    expect(t.resolution.confidence).toBeGreaterThanOrEqual(0.75);
    expect(t.callerPhone).toBe('138****5678');
    expect(t.callerPhoneMasked).toBe(true);
    expect(t.loop).toEqual({ stage: 'received', at: { received: body.receivedAt } });
    expect(JSON.stringify(r.body)).not.toContain(PHONE);
  });

  it('is idempotent on the external id: a repeat is 200, other content under the same id is 409', async () => {
    const body = ticket();
    expect((await call(h, 'POST', '/api/tickets', body)).status).toBe(201);
    const again = await call(h, 'POST', '/api/tickets', body);
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe('duplicate');
    const other = await call(h, 'POST', '/api/tickets', { ...body, text: '暖气漏水' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('CONFLICT');
    const stored = await call(h, 'GET', `/api/tickets/${(again.body.ticket as TicketDto).id}`);
    expect((stored.body as unknown as TicketDto).text).toBe(body.text);
  });

  it('refuses bad input with the catalogue code, naming the part and field, never echoing the phone', async () => {
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [ticket({ text: '' }), 400, 'BAD_REQUEST', /^body\.text: /],
      [ticket({ text: 'x'.repeat(4001) }), 400, 'BAD_REQUEST', /^body\.text: at most 4000/],
      [ticket({ callerPhone: '12345' }), 400, 'BAD_REQUEST', /^body\.callerPhone: not a mainland/],
      [ticket({ receivedAt: 'yesterday' }), 400, 'TIMESTAMP_INVALID', /^body\.receivedAt: /],
      [ticket({ receivedAt: NOW + 2 * 24 * H }), 400, 'TIMESTAMP_RANGE', /^body\.receivedAt: .*future/],
      [ticket({ channel: 'fax' }), 400, 'BAD_REQUEST', /^body\.channel: /],
      [ticket({ externalId: 'a\u0000b' }), 400, 'BAD_REQUEST', /^body\.externalId: /],
      [{ ...ticket(), role: 'admin' }, 400, 'BAD_REQUEST', /^body: .*role/],
    ];
    for (const [body, status, code, detail] of cases) {
      const r = await call(h, 'POST', '/api/tickets', body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
      expect(String(r.body.detail)).toMatch(detail);
      expect(JSON.stringify(r.body)).not.toContain(PHONE);
    }
    const notJson = await call(h, 'POST', '/api/tickets', '{"externalId":');
    expect(notJson.body.code).toBe('PAYLOAD_NOT_JSON');
  });

  it('accepts ISO-8601 with a zone and Shanghai wall time', async () => {
    const iso = await call(h, 'POST', '/api/tickets', ticket({ receivedAt: '2025-01-15T09:30:00+08:00' }));
    expect((iso.body.ticket as TicketDto).receivedAt).toBe(Date.parse('2025-01-15T01:30:00Z'));
    const local = await call(h, 'POST', '/api/tickets', ticket({ receivedAt: '2025-01-15 09:30:00' }));
    expect((local.body.ticket as TicketDto).receivedAtLocal).toBe('2025-01-15 09:30:00');
  });

  it('keeps markup as text and returns it as JSON data', async () => {
    const xss = '<img src=x onerror=alert(1)> 暖气不热';
    const r = await call(h, 'POST', '/api/tickets', ticket({ text: xss, address: '<script>alert(1)</script>龙湖华庭1号楼' }));
    const id = (r.body.ticket as TicketDto).id;
    const res = await fetch(`${h.base}/api/tickets/${id}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const t = (await res.json()) as TicketDto;
    expect(t.text).toBe(xss);
    expect(t.address).toBe('<script>alert(1)</script>龙湖华庭1号楼');
  });

  it('lists with filters and pages, bounded', async () => {
    await call(h, 'POST', '/api/tickets', ticket({ text: '暖气管道漏水，已经漏到楼下', address: '东湖怡园2号楼1单元302' }));
    const leaks = await call(h, 'GET', '/api/tickets?category=heating-leak&compound=donghu-yiyuan');
    expect(leaks.status).toBe(200);
    expect((leaks.body.items as TicketDto[]).map((t) => t.category)).toEqual(['heating-leak']);
    const station = h.network.compound('longhu-huating')?.stationId as string;
    const byStation = await call(h, 'GET', `/api/tickets?station=${station}&status=received&review=auto`);
    expect((byStation.body.items as TicketDto[]).length).toBeGreaterThan(0);
    for (const t of byStation.body.items as TicketDto[]) expect(t.resolution.stationId).toBe(station);

    const all = await call(h, 'GET', '/api/tickets?limit=500');
    const total = all.body.total as number;
    const seen = new Set<string>();
    let next: string | undefined;
    do {
      const page = await call(h, 'GET', `/api/tickets?limit=2${next ? `&cursor=${next}` : ''}`);
      for (const t of page.body.items as TicketDto[]) seen.add(t.id);
      next = page.body.next as string | undefined;
    } while (next !== undefined);
    expect(seen.size).toBe(total);

    const windowed = await call(h, 'GET', `/api/tickets?from=${NOW - 5 * 60_000}&to=${new Date(NOW).toISOString()}`);
    for (const t of windowed.body.items as TicketDto[]) expect(t.receivedAt).toBeGreaterThanOrEqual(NOW - 5 * 60_000);

    for (const [q, code] of [
      ['limit=501', 'BAD_REQUEST'],
      ['limit=0', 'BAD_REQUEST'],
      ['compound=nowhere', 'UNKNOWN_ENTITY'],
      ['category=warm', 'BAD_REQUEST'],
      ['cursor=garbage', 'BAD_REQUEST'],
      ['from=tomorrow', 'TIMESTAMP_INVALID'],
      [`from=${NOW}&to=${NOW - 1}`, 'BAD_REQUEST'],
      ['sort=asc', 'BAD_REQUEST'],
    ] as const) {
      expect((await call(h, 'GET', `/api/tickets?${q}`)).body.code).toBe(code);
    }
    expect((await call(h, 'GET', '/api/tickets/t00000000000000000000')).status).toBe(404);
    expect((await call(h, 'GET', '/api/tickets/not-an-id')).status).toBe(400);
  });

  it('queues what it cannot place, and a confirmation teaches the spelling', async () => {
    const a = await call(h, 'POST', '/api/tickets', ticket({ address: '水务局家属院5号楼2单元301' }));
    const b = await call(h, 'POST', '/api/tickets', ticket({ address: '水务局家属院小区1号楼' }));
    const shared = await call(h, 'POST', '/api/tickets', ticket({ address: '钢花3号楼' }));
    const street = await call(h, 'POST', '/api/tickets', ticket({ address: '雄关西路附近' }));
    const noise = await call(h, 'POST', '/api/tickets', ticket({ text: '小区路灯坏了', address: '水务局家属院' }));
    for (const r of [a, b, shared, street]) expect((r.body.ticket as TicketDto).resolution.review).toBe('needs-review');
    expect((noise.body.ticket as TicketDto).resolution.review).toBe('unresolved');
    // a guess is no fact: nothing is filed under a compound until someone is sure
    expect((a.body.ticket as TicketDto).resolution.compoundId).toBeUndefined();

    const queue = await call(h, 'GET', '/api/tickets/queue?limit=100');
    const ids = (queue.body.items as TicketDto[]).map((t) => t.id);
    for (const r of [a, b, shared, street]) expect(ids).toContain((r.body.ticket as TicketDto).id);
    expect(ids).not.toContain((noise.body.ticket as TicketDto).id);
    const sharedInQueue = (queue.body.items as TicketDto[]).find((t) => t.id === (shared.body.ticket as TicketDto).id);
    expect(sharedInQueue?.resolution.candidates.length).toBeGreaterThanOrEqual(3);
    expect(sharedInQueue?.resolution.candidates[0]?.compoundName).toMatch(/^钢花/);

    const aId = (a.body.ticket as TicketDto).id;
    const confirmed = await call(h, 'POST', `/api/tickets/${aId}/confirm`, { compoundId: 'donghu-yiyuan', buildingId: 'donghu-yiyuan-b5', unit: 1, room: '301' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.learned).toBe('水务局家属院');
    expect(confirmed.body.alsoResolved).toBe(1); // ticket b had the same spelling
    expect((confirmed.body.ticket as TicketDto).resolution).toMatchObject({ review: 'confirmed', compoundId: 'donghu-yiyuan', buildingId: 'donghu-yiyuan-b5', unit: 1, room: '301', confidence: 1, method: 'human' });
    const bNow = await call(h, 'GET', `/api/tickets/${(b.body.ticket as TicketDto).id}`);
    expect((bNow.body as unknown as TicketDto).resolution).toMatchObject({ review: 'auto', compoundId: 'donghu-yiyuan', method: 'learned' });
    // the next ticket with that spelling resolves by itself, and the lesson is stored
    const c = await call(h, 'POST', '/api/tickets', ticket({ address: '嘉峪关市水务局家属院3号楼' }));
    expect((c.body.ticket as TicketDto).resolution).toMatchObject({ review: 'auto', compoundId: 'donghu-yiyuan', method: 'learned' });
    expect(await h.store.aliases()).toEqual([expect.objectContaining({ spelling: '水务局家属院', compoundId: 'donghu-yiyuan', ticketId: aId })]);

    // one answer does not claim a short form five compounds share, nor a street
    const s = await call(h, 'POST', `/api/tickets/${(shared.body.ticket as TicketDto).id}/confirm`, { compoundId: 'ganghua-huayuan', category: 'heating-no-circulation' });
    expect(s.body.learned).toBeUndefined();
    expect(String(s.body.notLearned)).toMatch(/listed name or alias/);
    expect((s.body.ticket as TicketDto).category).toBe('heating-no-circulation');
    const st = await call(h, 'POST', `/api/tickets/${(street.body.ticket as TicketDto).id}/confirm`, { compoundId: 'dexuan-xq' });
    expect(String(st.body.notLearned)).toMatch(/names no compound/);
    expect(await h.store.aliases()).toHaveLength(1);
    const after = await call(h, 'GET', '/api/tickets/queue?limit=100');
    expect((after.body.items as TicketDto[]).map((t) => t.id)).not.toContain(aId);
  });

  it('checks a confirmation against the network', async () => {
    const t = (await call(h, 'POST', '/api/tickets', ticket({ address: '某某小区1号楼' }))).body.ticket as TicketDto;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ compoundId: 'nowhere' }, 404, 'UNKNOWN_ENTITY'],
      [{ compoundId: 'longhu-huating', buildingId: 'donghu-yiyuan-b1' }, 400, 'BAD_REQUEST'],
      [{ compoundId: 'longhu-huating', buildingId: 'longhu-huating-b1', unit: 99 }, 400, 'BAD_REQUEST'],
      [{ compoundId: 'longhu-huating', unit: 1 }, 400, 'BAD_REQUEST'],
      [{ compoundId: 'longhu-huating', extra: 1 }, 400, 'BAD_REQUEST'],
    ];
    for (const [body, status, code] of cases) {
      const r = await call(h, 'POST', `/api/tickets/${t.id}/confirm`, body);
      expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
    }
    expect((await call(h, 'POST', '/api/tickets/t00000000000000000000/confirm', { compoundId: 'longhu-huating' })).status).toBe(404);
  });

  it('shows the number only to roles that may see it', async () => {
    const r = await call(hotline, 'POST', '/api/tickets', ticket(), { 'x-test-role': 'hotline' });
    expect((r.body.ticket as TicketDto).callerPhone).toBe(PHONE);
    expect((r.body.ticket as TicketDto).callerPhoneMasked).toBe(false);
    const id = (r.body.ticket as TicketDto).id;
    for (const role of ['operator', 'viewer', 'anonymous', 'admin']) {
      const g = await call(hotline, 'GET', `/api/tickets/${id}`, undefined, { 'x-test-role': role });
      expect((g.body as unknown as TicketDto).callerPhone).toBe('138****5678');
    }
    const list = await call(hotline, 'GET', '/api/tickets', undefined, { 'x-test-role': 'crew' });
    expect((list.body.items as TicketDto[])[0]?.callerPhone).toBe(PHONE);
  });

  it('never logs a phone number, whatever happened', async () => {
    const other = '13987654321';
    await call(h, 'POST', '/api/tickets', ticket({ callerPhone: other }));
    await call(h, 'POST', '/api/tickets', ticket({ callerPhone: `${other}999` })); // refused
    const csv = `工单编号,来电时间,诉求内容,地址,联系电话,渠道\r\nLOG-1,2025-01-15 08:00:00,暖气不热,龙湖华庭1号楼,${other},电话\r\nLOG-2,bad time,暖气不热,龙湖华庭1号楼,${other},电话\r\n`;
    const imp = await fetch(`${h.base}/api/tickets/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    expect(imp.status).toBe(200);
    const all = logged.join('');
    expect(logged.length).toBeGreaterThan(3); // the intake did log (counts)
    expect(all).toContain('tickets received');
    for (const p of [PHONE, other, PHONE.slice(-8), other.slice(-8)]) expect(all).not.toContain(p);
  });
});
