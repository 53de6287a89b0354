// Webhooks end to end against a local HTTP server standing in for the WeCom and DingTalk robots:
// retries (429 + Retry-After, 5xx, robot errcodes), loss accounting, routing by crew, settle,
// escalation to the supervisor, reminders and recovery — on manual timers and a manual clock.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../domain/clock';
import type { Alert } from '../alert';
import { sampleAlert, sampleIncident } from '../alert-store.contract';
import type { RulesEvent } from '../events';
import { miniNetwork, T0 } from '../test-fixtures';
import { createNotifyMetrics } from './notify-metrics';
import { ManualTimers } from './test-timers';
import { WebhookNotifier } from './webhook-notifier';
import { retryAfterMs, WebhookSender } from './webhook-sender';
import { parseWebhookRouting } from './webhook-targets';

const MIN = 60_000;

interface Hit {
  readonly path: string;
  readonly body: { msgtype: string; markdown: { content?: string; title?: string; text?: string } };
}

/** Answers per path: a list of [status, body, headers] used in turn (the last one repeats). */
let script: Record<string, [number, unknown, Record<string, string>?][]> = {};
let hits: Hit[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '';
      hits.push({ path, body: JSON.parse(text) as Hit['body'] });
      const answers = script[path.split('?')[0] ?? ''] ?? [[200, { errcode: 0, errmsg: 'ok' }]];
      const [status, body, headers] = (answers.length > 1 ? answers.shift() : answers[0]) ?? [200, { errcode: 0 }];
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  script = {};
  hits = [];
});

function harness(maxAttempts = 4) {
  const registry = new Registry();
  const metrics = createNotifyMetrics(registry);
  const timers = new ManualTimers();
  const logs: { obj: object; msg: string }[] = [];
  const logger = { warn: (obj: object, msg: string) => logs.push({ obj, msg }), error: (obj: object, msg: string) => logs.push({ obj, msg }) };
  // No jitter: delays are exactly min·2^(n−1) halves, or the Retry-After.
  const sender = new WebhookSender({ metrics, logger, timers, maxAttempts, retry: { delayMs: (n, e) => e.retryAfter() ?? 1_000 * 2 ** (n - 1) } });
  const value = async (name: string, labels: Record<string, string>): Promise<number> => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
    const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => (x.labels as Record<string, unknown>)[k] === l));
    return v?.value ?? 0;
  };
  return { registry, metrics, timers, logs, sender, value };
}

const target = (kind: 'wecom' | 'dingtalk', path: string) => parseWebhookRouting(JSON.stringify({ '*': [`${kind}:${base}${path}?key=secret-key-123`] })).fallback[0]!;

describe('webhook sender', () => {
  it('retries a 429 after its Retry-After, then delivers', async () => {
    const h = harness();
    script['/wecom'] = [[429, { errcode: 45009, errmsg: 'api freq out of limit' }, { 'retry-after': '7' }], [200, { errcode: 0, errmsg: 'ok' }]];
    h.sender.send(target('wecom', '/wecom'), { msgtype: 'markdown', markdown: { content: '测试' } }, 'opened');
    await vi.waitFor(() => expect(h.timers.pending()).toEqual([7_000]));
    expect(hits).toHaveLength(1);
    h.timers.advance(6_999);
    expect(hits).toHaveLength(1);
    h.timers.advance(1);
    await vi.waitFor(() => expect(h.sender.pending).toBe(0));
    expect(hits).toHaveLength(2);
    expect(hits[1]?.body).toEqual({ msgtype: 'markdown', markdown: { content: '测试' } });
    expect(await h.value('heat_notify_sent_total', { channel: 'webhook', kind: 'opened' })).toBe(1);
    expect(await h.value('heat_notify_retries_total', { channel: 'webhook' })).toBe(1);
    expect(await h.value('heat_notify_lost_total', { channel: 'webhook' })).toBe(0);
  });

  it('backs off exponentially on 5xx and loses the message after the last attempt, counted and logged', async () => {
    const h = harness(3);
    script['/down'] = [[502, { error: 'bad gateway' }]];
    h.sender.send(target('dingtalk', '/down'), { msgtype: 'markdown', markdown: { title: 't', text: 'x' } }, 'opened');
    await vi.waitFor(() => expect(h.timers.pending()).toEqual([1_000]));
    h.timers.advance(1_000);
    await vi.waitFor(() => expect(h.timers.pending()).toEqual([2_000]));
    h.timers.advance(2_000);
    await vi.waitFor(() => expect(h.sender.pending).toBe(0));
    expect(hits).toHaveLength(3);
    expect(await h.value('heat_notify_lost_total', { channel: 'webhook', reason: 'retries-exhausted' })).toBe(1);
    expect(h.logs[0]?.msg).toBe('webhook notification lost');
    // The log names the robot by its masked URL: the key never reaches a log.
    expect(JSON.stringify(h.logs)).not.toContain('secret-key-123');
  });

  it('does not retry a robot that refuses the message (wrong key), and retries "too fast"', async () => {
    const h = harness();
    script['/bad'] = [[200, { errcode: 93000, errmsg: 'invalid webhook url' }]];
    script['/fast'] = [[200, { errcode: 130101, errmsg: 'send too fast' }], [200, { errcode: 0 }]];
    h.sender.send(target('wecom', '/bad'), { msgtype: 'markdown', markdown: { content: 'a' } }, 'opened');
    h.sender.send(target('dingtalk', '/fast'), { msgtype: 'markdown', markdown: { title: 'b', text: 'b' } }, 'opened');
    await vi.waitFor(() => expect(h.timers.pending()).toEqual([1_000]));
    await vi.waitFor(async () => expect(await h.value('heat_notify_lost_total', { channel: 'webhook', reason: 'rejected' })).toBe(1));
    h.timers.advance(1_000);
    await vi.waitFor(() => expect(h.sender.pending).toBe(0));
    expect(await h.value('heat_notify_sent_total', { channel: 'webhook', kind: 'opened' })).toBe(1);
  });

  it('keeps order per robot and bounds its queue, dropping the oldest waiting message', async () => {
    const registry = new Registry();
    const timers = new ManualTimers();
    const sender = new WebhookSender({ metrics: createNotifyMetrics(registry), timers, maxQueue: 3 });
    const t = target('wecom', '/order');
    for (const n of [1, 2, 3, 4, 5]) sender.send(t, { msgtype: 'markdown', markdown: { content: String(n) } }, 'opened');
    await vi.waitFor(() => expect(sender.pending).toBe(0));
    // 1 was in flight; 2 and 3 were dropped to make room for 4 and 5.
    expect(hits.map((x) => x.body.markdown.content)).toEqual(['1', '4', '5']);
    const lost = (await registry.getMetricsAsJSON()).find((m) => m.name === 'heat_notify_lost_total');
    expect(lost?.values.find((v) => v.labels['reason'] === 'queue-full')?.value).toBe(2);
  });

  it('signs DingTalk requests (加签) when the configured URL carries a secret, which never leaves', async () => {
    const h = harness();
    const t = parseWebhookRouting(JSON.stringify({ '*': [`dingtalk:${base}/signed?access_token=tok&secret=SECabc`] })).fallback[0]!;
    expect(t.url).not.toContain('secret');
    expect(t.shown).not.toContain('SECabc');
    h.sender.send(t, { msgtype: 'markdown', markdown: { title: 't', text: 'x' } }, 'opened');
    await vi.waitFor(() => expect(hits).toHaveLength(1));
    const q = new URL(`http://x${hits[0]?.path ?? ''}`).searchParams;
    const ts = q.get('timestamp') ?? '';
    expect(q.get('access_token')).toBe('tok');
    expect(q.get('secret')).toBeNull();
    expect(q.get('sign')).toBe(createHmac('sha256', 'SECabc').update(`${ts}\n${'SECabc'}`).digest('base64'));
    expect(() => parseWebhookRouting(JSON.stringify({ '*': [`wecom:${base}/w?key=k&secret=s`] }))).toThrowError(/only DingTalk robots sign/);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('webhook notifier', () => {
  const net = miniNetwork();
  const pump = (over: Partial<Alert> = {}): Alert =>
    sampleAlert({
      id: `pump-trip@station/xingfu@${T0}`,
      ruleId: 'pump-trip',
      ruleName: { zh: '循环泵停运', en: 'Circulation pump stopped' },
      category: 'equipment',
      role: 'cause',
      entity: { kind: 'station', id: 'xingfu', name: net.station('xingfu')?.name ?? 'xingfu' },
      route: { stationId: 'xingfu', primaryNetworkId: net.station('xingfu')?.primaryNetworkId ?? 'pn1', crew: net.station('xingfu')?.crew ?? 'c' },
      severity: 'critical',
      peakSeverity: 'critical',
      openedAt: T0,
      value: 'stop',
      evidence: { from: T0, to: T0, items: [{ signal: 'pump_state', of: 'self', agg: 'last', windowMs: 0, op: 'in', threshold: ['stop', 'fault'], value: 'stop', result: 'true' }], show: [] },
      ...over,
    });

  function setup() {
    const h = harness();
    const clock = new ManualClock(T0);
    let tick: () => void = () => {};
    const crew = net.station('xingfu')?.crew ?? '';
    const routing = parseWebhookRouting(
      JSON.stringify({ [crew]: [`wecom:${base}/crew?key=k1`], supervisor: [`dingtalk:${base}/boss?access_token=t1`], '*': [`wecom:${base}/all?key=k2`] }),
    );
    const n = new WebhookNotifier({
      network: net,
      routing,
      sender: h.sender,
      clock,
      crewNames: { [crew]: '幸福班组' },
      ticker: { every: (_ms, fn) => ((tick = fn), () => {}) },
      policy: { settleMs: MIN, escalateAfterMs: 30 * MIN, remindEveryMs: 20 * MIN, maxReminders: 2 },
    });
    n.start();
    const at = (ms: number): void => {
      clock.set(T0 + ms);
      tick();
    };
    const emit = (e: RulesEvent): void => n.onEvent(e);
    return { h, n, clock, at, emit };
  }

  it('tells the crew after the settle time, in Chinese with station, severity, value, evidence and Shanghai time', async () => {
    const s = setup();
    s.emit({ type: 'alert.opened', alert: pump(), reason: 'opened' });
    s.at(59_000);
    expect(hits).toHaveLength(0);
    s.at(MIN);
    await vi.waitFor(() => expect(hits).toHaveLength(1));
    expect(hits[0]?.path).toBe('/crew?key=k1');
    const text = hits[0]?.body.markdown.content ?? '';
    expect(hits[0]?.body.msgtype).toBe('markdown');
    expect(text).toContain('【紧急】新告警：循环泵停运');
    expect(text).toContain(`换热站：${net.station('xingfu')?.name}（xingfu）`);
    expect(text).toContain('级别：紧急');
    expect(text).toContain('数值：stop');
    expect(text).toContain('发生时间：2025-01-10 00:00（北京时间）');
    expect(text).toContain('运行班组：幸福班组');
    expect(text).toMatch(/依据.*\n- 循环泵状态 stop ∈ stop\/fault/);
  });

  it('escalates to the supervisor when nobody acknowledges, reminds the crew, stops once acknowledged, reports recovery', async () => {
    const s = setup();
    s.emit({ type: 'alert.opened', alert: pump(), reason: 'opened' });
    s.at(MIN);
    await vi.waitFor(() => expect(hits).toHaveLength(1));
    s.at(21 * MIN); // first reminder (20 min after the message)
    await vi.waitFor(() => expect(hits).toHaveLength(2));
    s.at(31 * MIN); // supervisor (30 min after the message)
    await vi.waitFor(() => expect(hits).toHaveLength(3));
    expect(hits.map((x) => x.path.split('?')[0])).toEqual(['/crew', '/crew', '/boss']);
    expect(hits[1]?.body.markdown.content).toContain('告警提醒（仍未确认）');
    const boss = hits[2]?.body.markdown as { title: string; text: string };
    expect(boss.title).toContain('告警上报（超时未确认）');
    expect(boss.text).toContain('已超过 30 分钟无人确认');
    s.emit({ type: 'alert.acknowledged', alert: pump({ state: 'acknowledged', version: 2 }), reason: 'acknowledged' });
    await vi.waitFor(() => expect(s.h.sender.pending).toBe(0));
    s.at(100 * MIN); // acknowledged: no more reminders (a send would be queued synchronously)
    expect(s.h.sender.pending).toBe(0);
    s.emit({ type: 'alert.cleared', alert: pump({ state: 'cleared', active: false, clearedAt: T0 + 101 * MIN, version: 3 }), reason: 'cleared' });
    await vi.waitFor(() => expect(hits).toHaveLength(4));
    expect(hits[3]?.body.markdown.content).toContain('告警已恢复');
    expect(hits[3]?.body.markdown.content).toContain('恢复时间：2025-01-10 01:41');
  });

  it('stays quiet for advisory alerts, alerts acknowledged or grouped before the settle time; an incident speaks once', async () => {
    const s = setup();
    s.emit({ type: 'alert.opened', alert: pump({ id: 'adv@station/xingfu@1', severity: 'advisory', peakSeverity: 'advisory' }), reason: 'opened' });
    s.emit({ type: 'alert.opened', alert: pump(), reason: 'opened' });
    s.emit({ type: 'alert.updated', alert: pump({ incidentId: 'inc@station/xingfu@1', version: 2 }), reason: 'grouped' });
    const inc = sampleIncident({ id: 'inc@station/xingfu@1', openedAt: T0, root: { kind: 'station', id: 'xingfu', name: '幸福站' }, causeAlertIds: [pump().id], liveAlertIds: [pump().id, 'b'], stationIds: ['xingfu'], compoundIds: net.compoundsOf('xingfu').map((c) => c.id), route: { crews: [net.station('xingfu')?.crew ?? ''] } });
    s.emit({ type: 'incident.opened', incident: inc });
    s.at(2 * MIN);
    await vi.waitFor(() => expect(hits).toHaveLength(1));
    const text = hits[0]?.body.markdown.content ?? '';
    expect(text).toContain('关联事件：换热站 幸福站');
    expect(text).toContain('原因告警');
    expect(text).toContain('循环泵停运');
    expect(s.n.sizes()).toEqual({ settling: 0, followed: 0, incidents: 1 });
  });

  it('does not push old news: an alert that opened hours before now (a backfill) stays on the dashboard', () => {
    const s = setup();
    s.clock.set(T0 + 5 * 60 * MIN);
    s.emit({ type: 'alert.opened', alert: pump(), reason: 'opened' });
    s.at(5 * 60 * MIN + 2 * MIN);
    expect(s.h.sender.pending).toBe(0);
    expect(s.n.sizes().followed).toBe(0);
  });

  it('refuses a bad HEAT_WEBHOOK_URLS naming the entry, never echoing a URL', () => {
    expect(() => parseWebhookRouting('{"crew-a": ["slack:https://x"]}')).toThrowError(/HEAT_WEBHOOK_URLS: crew-a\.0: must start with wecom: or dingtalk:/);
    expect(() => parseWebhookRouting('{nope')).toThrowError(/not JSON/);
    expect(() => parseWebhookRouting('{"crew a": []}')).toThrowError(/crew id/);
    expect(parseWebhookRouting('').crews.size).toBe(0);
  });
});
