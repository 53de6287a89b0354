// Where robot messages go, from HEAT_WEBHOOK_URLS (JSON), routed by crew:
//   {"crew-gangcheng": ["wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"],
//    "supervisor":     ["dingtalk:https://oapi.dingtalk.com/robot/send?access_token=…"],
//    "*":              ["wecom:https://…"]}
// A crew id (the network's station `crew`) lists its group robots; "supervisor" receives
// escalations of alerts nobody acknowledged; "*" receives what has no crew or whose crew has no
// robot. Validated at start-up: an error names the key and the entry, never the URL's secret.
// A DingTalk robot with the signature security setting (加签) takes its secret as an extra
// `secret=SEC…` parameter of the configured URL; it is removed there and used to sign requests.

import { z } from 'zod';
import { HeatError } from '../../domain/errors';
import { ROBOT_KINDS, type RobotKind } from './robot-message';

export interface WebhookTarget {
  readonly kind: RobotKind;
  /** Without the `secret` parameter. */
  readonly url: string;
  /** The URL with its key or token masked, for logs and metrics. */
  readonly shown: string;
  /** DingTalk 加签: each request carries timestamp and sign (HMAC-SHA256 of the secret). */
  readonly secret?: string;
}

export interface WebhookRouting {
  readonly crews: ReadonlyMap<string, readonly WebhookTarget[]>;
  readonly supervisor: readonly WebhookTarget[];
  readonly fallback: readonly WebhookTarget[];
}

export const NO_WEBHOOKS: WebhookRouting = { crews: new Map(), supervisor: [], fallback: [] };

/** `https://host/path?key=abcdef123` → `https://host/path?key=abc…` */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const [k, v] of u.searchParams) u.searchParams.set(k, v.length <= 3 ? '…' : `${v.slice(0, 3)}…`);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? decodeURIComponent(u.search) : ''}`;
  } catch {
    return '(not a URL)';
  }
}

const Entry = z.string().transform((text, ctx): WebhookTarget => {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const url = text.slice(colon + 1);
  if (colon < 0 || !(ROBOT_KINDS as readonly string[]).includes(kind)) {
    ctx.addIssue({ code: 'custom', message: `must start with ${ROBOT_KINDS.map((k) => `${k}:`).join(' or ')}` });
    return z.NEVER;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    ctx.addIssue({ code: 'custom', message: `${kind}: not a URL` });
    return z.NEVER;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `${kind}: must be an http(s) URL` });
    return z.NEVER;
  }
  const secret = parsed.searchParams.get('secret') ?? undefined;
  parsed.searchParams.delete('secret');
  const clean = parsed.toString();
  if (secret !== undefined && kind !== 'dingtalk') {
    ctx.addIssue({ code: 'custom', message: `${kind}: only DingTalk robots sign requests with a secret` });
    return z.NEVER;
  }
  return { kind: kind as RobotKind, url: clean, shown: maskUrl(clean), ...(secret === undefined ? {} : { secret }) };
});

const KEY = /^(\*|supervisor|[A-Za-z0-9_-]{1,64})$/;
const Schema = z.record(z.string(), z.array(Entry).max(10));

export function parseWebhookRouting(text: string, key = 'HEAT_WEBHOOK_URLS'): WebhookRouting {
  if (text.trim() === '') return NO_WEBHOOKS;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HeatError('CONFIG_INVALID', `${key}: not JSON (expected {"<crew id>": ["wecom:https://…"], "supervisor": […], "*": […]})`);
  }
  const r = Schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new HeatError('CONFIG_INVALID', `${key}: ${i?.path.join('.') || '(top)'}: ${i?.message ?? 'invalid'}`);
  }
  for (const k of Object.keys(r.data)) {
    if (!KEY.test(k)) throw new HeatError('CONFIG_INVALID', `${key}: key ${JSON.stringify(k.slice(0, 64))}: must be a crew id, "supervisor" or "*"`);
  }
  const crews = new Map<string, WebhookTarget[]>();
  for (const [k, list] of Object.entries(r.data)) if (k !== '*' && k !== 'supervisor') crews.set(k, list);
  return { crews, supervisor: r.data['supervisor'] ?? [], fallback: r.data['*'] ?? [] };
}

/** Robots for alerts of these crews: each crew's own, the fallback for crews without any; no duplicates. */
export function targetsFor(routing: WebhookRouting, crews: readonly (string | undefined)[]): WebhookTarget[] {
  const out = new Map<string, WebhookTarget>();
  const list = crews.length === 0 ? [undefined] : crews;
  for (const c of list) {
    const own = c === undefined ? undefined : routing.crews.get(c);
    for (const t of own !== undefined && own.length > 0 ? own : routing.fallback) out.set(t.url, t);
  }
  return [...out.values()];
}
