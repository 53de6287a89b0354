// Importing hotline exports over real HTTP: a few thousand simulated tickets as CSV (UTF-8 and
// GB18030) and XLSX, with broken rows mixed in. Good rows land, broken rows come back with their
// row number and reason, and importing the same file again changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_LABELS, CSV_HEADERS, createHotline, ticketsToCsv, type SimTicket } from '../../fixtures/sim/hotline';
import { XLSX_TYPE } from '../../api/routes/tickets-import-route';
import { DuckDBTicketStore } from '../../tickets/duckdb-ticket-store';
import type { ImportReport } from '../../tickets/import/import-rows';
import type { TicketRecord } from '../../tickets/ticket-model';
import { rowsToXlsx } from '../../tickets/import/xlsx-write';
import { formatShanghai } from '../../tickets/received-time';
import { jiayuguan, NOW, startTicketApi, type TicketApiHarness } from '../../tickets/testing/ticket-api-harness';

const H = 3_600_000;

type Report = ImportReport & { format: string; encoding?: string; code?: string; detail?: string };

async function upload(h: TicketApiHarness, body: string | Buffer, type: string): Promise<{ status: number; report: Report }> {
  const res = await fetch(`${h.base}/api/tickets/import`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, report: (await res.json()) as Report };
}

/** A few thousand tickets from the simulated hotline: ten cold days at four stations. */
function simulatedTickets(): SimTicket[] {
  const network = jiayuguan();
  const hotline = createHotline({ network, seed: 11, rates: { inHomePerDay: 0.0008, noisePerDay: 0.0008 } });
  const cold = network.stations.slice(0, 4).flatMap((s) => network.compoundsOf(s.id));
  const out: SimTicket[] = [];
  const from = NOW - 10 * 24 * H;
  for (let t = from; t < NOW - H; t += H) {
    const states = cold.map((c) => ({ compoundId: c.id, indoorC: 15.5, coldestC: 13 }));
    out.push(...hotline.step(t, H, states));
  }
  return out;
}

/** CSV lines with faults; row numbers count the header as row 1. */
function breakRows(csv: string): { csv: string; broken: Map<number, RegExp> } {
  const lines = csv.split('\r\n');
  const broken = new Map<number, RegExp>();
  const spoil = (row: number, f: (cells: string[]) => string, why: RegExp): void => {
    lines[row - 1] = f((lines[row - 1] as string).split(','));
    broken.set(row, why);
  };
  // Simulated texts may hold quoted commas; these rows are rebuilt whole, so quoting stays sound.
  spoil(10, (c) => [c[0], c[1], '', c[3], c[4], c[5]].join(','), /诉求内容 text: must not be empty/);
  spoil(20, (c) => [c[0], '2025-02-30 08:00:00', '暖气不热', '龙湖华庭1号楼', '13812345678', '电话'].join(','), /来电时间 receivedAt: not a time/);
  spoil(30, (c) => [c[0], '2025-01-14 08:00:00', '暖气不热', '龙湖华庭1号楼', '1381234', '电话'].join(','), /联系电话 callerPhone: not a mainland/);
  spoil(40, (c) => [c[0], '2025-01-14 08:00:00', '暖气不热', '龙湖华庭1号楼', '13812345678', '电话', '多出来的一列'].join(','), /more fields than the header/);
  spoil(50, () => ['', '2025-01-14 08:00:00', '暖气不热', '龙湖华庭1号楼', '', '电话'].join(','), /工单编号 externalId: must not be empty/);
  spoil(60, (c) => [c[0], formatShanghai(NOW + 3 * 24 * H), '暖气不热', '龙湖华庭1号楼', '', '电话'].join(','), /来电时间 receivedAt: .*future/);
  return { csv: lines.join('\r\n'), broken };
}

/** The stored ticket with this external id, received in the second of `at` (exports keep whole seconds). */
async function find(h: TicketApiHarness, externalId: string, at: number): Promise<TicketRecord | undefined> {
  const from = Math.floor(at / 1000) * 1000;
  return (await h.store.list({ limit: 500, from, to: from + 1000 })).items.find((t) => t.externalId === externalId);
}

describe('ticket import', () => {
  let h: TicketApiHarness;
  let root: string;
  let tickets: SimTicket[];
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'heat-ticket-import-'));
    h = await startTicketApi({ store: new DuckDBTicketStore({ dataDir: root }), import: { maxRows: 5000 } });
    tickets = simulatedTickets();
  });
  afterAll(async () => {
    await h.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('imports a few thousand CSV rows, reports the broken ones, and a second import changes nothing', async () => {
    expect(tickets.length).toBeGreaterThan(2000);
    expect(tickets.length).toBeLessThan(5000);
    const { csv, broken } = breakRows(ticketsToCsv(tickets, { bom: true }));
    const good = tickets.length - broken.size;
    const first = await upload(h, csv, 'text/csv; charset=utf-8');
    expect(first.status).toBe(200);
    expect(first.report).toMatchObject({ format: 'csv', encoding: 'utf-8', rows: tickets.length, created: good, duplicates: 0, conflicts: 0, failed: broken.size });
    expect(first.report.errors.map((e) => e.row)).toEqual([...broken.keys()]);
    for (const e of first.report.errors) expect(e.reason).toMatch(broken.get(e.row) as RegExp);
    expect(first.report.columns).toEqual({ externalId: '工单编号', receivedAt: '来电时间', text: '诉求内容', address: '地址', callerPhone: '联系电话', channel: '渠道' });
    expect(first.report.queued).toBeGreaterThan(0);
    expect((await h.store.list({ limit: 1 })).total).toBe(good);

    // a good row landed as the hotline wrote it
    const sample = tickets[100] as SimTicket;
    const stored = await find(h, sample.externalId, sample.receivedAt);
    expect(stored).toMatchObject({ text: sample.text, address: sample.address, callerPhone: sample.phone, channel: sample.channel, source: 'import' });

    const second = await upload(h, csv, 'text/csv');
    expect(second.report).toMatchObject({ created: 0, duplicates: good, conflicts: 0, failed: broken.size });
    expect((await h.store.list({ limit: 1 })).total).toBe(good);
  });

  it('reports a changed row under a known id as a conflict and keeps the first', async () => {
    const t = tickets[5] as SimTicket;
    const csv = ticketsToCsv([{ ...t, text: '内容被改过了：暖气漏水' }]);
    const r = await upload(h, csv, 'text/csv');
    expect(r.report).toMatchObject({ created: 0, conflicts: 1, conflictRows: [{ row: 2, externalId: t.externalId }] });
    expect((await find(h, t.externalId, t.receivedAt))?.text).toBe(t.text);
  });

  it('reads GB18030 exports, header variants and a title row above the header', async () => {
    const rows = [
      '嘉峪关市12345热线工单导出,,,,,',
      '工单号,受理时间,问题描述,详细地址,手机号码,来源',
      'GBK-1,2025/1/14 8:05,家里暖气不热,龙湖华庭2号楼1单元302,13812345678,微信公众号',
      'GBK-2,2025年1月14日 9时30分,暖气片漏水,東湖怡園1號樓,,网站留言',
    ];
    const bytes = iconv.encode(rows.join('\r\n'), 'gb18030');
    const r = await upload(h, bytes, 'text/csv');
    expect(r.report).toMatchObject({ encoding: 'gb18030', rows: 2, created: 2, failed: 0 });
    const gbk1 = await find(h, 'GBK-1', Date.parse('2025-01-14T00:05:00Z'));
    expect(gbk1).toMatchObject({ text: '家里暖气不热', channel: 'wechat', receivedAt: Date.parse('2025-01-14T00:05:00Z') });
    expect(gbk1?.resolution.compoundId).toBe('longhu-huating');
    const gbk2 = await find(h, 'GBK-2', Date.parse('2025-01-14T01:30:00Z'));
    expect(gbk2).toMatchObject({ category: 'heating-leak', channel: 'web', receivedAt: Date.parse('2025-01-14T01:30:00Z') });
    expect(gbk2?.resolution.compoundId).toBe('donghu-yiyuan');
  });

  it('imports XLSX (dates as Excel dates, phones as numbers) and reads it back the same way twice', async () => {
    const some = tickets.slice(0, 1500);
    // Shanghai wall time as an Excel date, to the whole second as exports keep it.
    const serial = (ms: number): number => (Math.floor(ms / 1000) * 1000 + 8 * H) / 86_400_000 + 25569;
    const rows: (string | number | null)[][] = [[...CSV_HEADERS]];
    some.forEach((t, i) =>
      rows.push([t.externalId, i % 2 === 0 ? serial(t.receivedAt) : formatShanghai(t.receivedAt), t.text, t.address, i % 3 === 0 ? Number(t.phone) : t.phone, CHANNEL_LABELS[t.channel]]),
    );
    rows.push(['XLSX-BAD', 'not a time', '暖气不热', '龙湖华庭1号楼', null, '电话']);
    const xlsx = rowsToXlsx(rows.map((r, i) => (i === 0 ? r : r.map((c, k) => (k === 0 && typeof c === 'string' ? `X${c}` : c)))));
    const first = await upload(h, xlsx, XLSX_TYPE);
    expect(first.status).toBe(200);
    expect(first.report).toMatchObject({ format: 'xlsx', rows: 1501, created: 1500, failed: 1, errors: [{ row: 1502, externalId: 'XXLSX-BAD' }] });
    const again = await upload(h, xlsx, XLSX_TYPE);
    expect(again.report).toMatchObject({ created: 0, duplicates: 1500, failed: 1 });
    const t = some[0] as SimTicket;
    const stored = await find(h, `X${t.externalId}`, t.receivedAt);
    expect(stored).toMatchObject({ receivedAt: Math.floor(t.receivedAt / 1000) * 1000, callerPhone: t.phone, text: t.text });
  });

  it('refuses what it cannot read, whole, with a reason', async () => {
    expect((await upload(h, '{"a":1}', 'application/json')).status).toBe(415);
    expect((await upload(h, 'a,b', 'text/plain')).report.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await upload(h, '', 'text/csv')).report.code).toBe('BAD_REQUEST');
    const notZip = await upload(h, '工单编号,来电时间', XLSX_TYPE);
    expect(notZip.report).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringMatching(/not an XLSX/) });
    const noHeader = await upload(h, 'a,b,c\r\n1,2,3\r\n', 'text/csv');
    expect(noHeader.report.detail).toMatch(/no header row/);
    const missing = await upload(h, '工单编号,地址,渠道\r\nA,龙湖华庭,电话\r\n', 'text/csv');
    expect(missing.report.detail).toMatch(/missing column\(s\) 来电时间 receivedAt, 诉求内容 text/);
    const unclosed = await upload(h, '工单编号,来电时间,诉求内容\r\nA,2025-01-14 08:00:00,"暖气不热\r\nB,2025-01-14 08:00:00,x\r\n', 'text/csv');
    expect(unclosed.report.detail).toMatch(/row 2: a quoted field is never closed/);
    const tooMany = await upload(h, `工单编号,来电时间,诉求内容\r\n${Array.from({ length: 5002 }, (_, i) => `M${i},2025-01-14 08:00:00,x`).join('\r\n')}`, 'text/csv');
    expect({ status: tooMany.status, code: tooMany.report.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect((await h.store.list({ limit: 10, from: NOW - 30 * H })).items.some((t) => t.externalId.startsWith('M'))).toBe(false);
  });
});
