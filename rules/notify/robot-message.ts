// Chat-robot messages in Chinese, in the JSON shapes of the two common workplace robots:
//   WeCom (企业微信群机器人):  {"msgtype":"markdown","markdown":{"content":"…"}}
//   DingTalk (钉钉自定义机器人): {"msgtype":"markdown","markdown":{"title":"…","text":"…"}}
// A message names the station, the compound, the severity band, the value with its unit, the
// evidence (each comparison that fired) and the time in Asia/Shanghai. Pure: data in, JSON out.

import type { NetworkModel } from '../../domain/network';
import type { Alert } from '../alert';
import type { EvidenceItem } from '../compile-condition';
import type { Incident } from '../incident';
import { SCOPES, type Scope } from '../scope';
import { SEVERITY_LABEL, type Severity } from '../severity';
import { signalDef } from '../signals';

export const ROBOT_KINDS = ['wecom', 'dingtalk'] as const;
export type RobotKind = (typeof ROBOT_KINDS)[number];

/** Why a message goes out. */
export const MESSAGE_KINDS = ['opened', 'escalated', 'reminder', 'supervisor', 'cleared', 'incident'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface RobotMessage {
  /** One line, for DingTalk's title and logs. */
  readonly title: string;
  /** Markdown body (the subset both robots render: headings, bold, quotes, lists). */
  readonly markdown: string;
}

export type RobotPayload =
  | { readonly msgtype: 'markdown'; readonly markdown: { readonly content: string } }
  | { readonly msgtype: 'markdown'; readonly markdown: { readonly title: string; readonly text: string } };

const HEADLINE: Record<MessageKind, string> = {
  opened: '新告警',
  escalated: '告警升级',
  reminder: '告警提醒（仍未确认）',
  supervisor: '告警上报（超时未确认）',
  cleared: '告警已恢复',
  incident: '关联事件',
};

/** Indoor bands of the regulators' refund rules, for under-heating alerts. */
const UNDERHEATING_BAND: Record<Severity, string> = {
  advisory: '室温 18–20 °C',
  low: '室温 16–18 °C',
  high: '室温 14–16 °C',
  critical: '室温低于 14 °C',
};

const OP_TEXT: Record<string, string> = { lt: '<', lte: '≤', gt: '>', gte: '≥', eq: '=', neq: '≠', in: '∈', notIn: '∉' };
const AGG_TEXT: Record<string, string> = {
  last: '',
  mean: '均值',
  min: '最小值',
  max: '最大值',
  sum: '累计',
  count: '次数',
  delta: '变化量',
  slope: '变化率(每小时)',
  stddev: '标准差',
  range: '极差',
};
const ACROSS_TEXT: Record<string, string> = { median: '中位数', mean: '平均', min: '最小', max: '最大', count: '个数' };
const RELATION_TEXT: Record<string, string> = { self: '', station: '换热站', weather: '气象站', siblings: '同站其他小区', compounds: '所属小区', peers: '同网其他换热站', stations: '管网各站' };

export function shanghaiTime(t: number): string {
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function label(signal: string, prefer: Scope): { zh: string; unit: string } {
  for (const s of [prefer, ...SCOPES.filter((x) => x !== prefer)]) {
    const d = signalDef(s, signal);
    if (d !== undefined) return { zh: d.zh, unit: d.unit };
  }
  return { zh: signal, unit: '' };
}

function fmt(v: unknown, unit: string): string {
  if (typeof v === 'number') return `${Number.isInteger(v) ? v : v.toFixed(Math.abs(v) >= 100 ? 0 : 2)}${unit === '' ? '' : ` ${unit}`}`;
  if (Array.isArray(v)) return v.map((x) => String(x)).join('/');
  if (v === null || v === undefined) return '—';
  return String(v);
}

function windowText(ms: number): string {
  if (ms <= 0) return '';
  const min = Math.round(ms / 60_000);
  return min % 60 === 0 ? `${min / 60} 小时` : `${min} 分钟`;
}

export function evidenceLine(item: EvidenceItem, scope: Scope): string {
  const l = label(item.signal, item.of === 'weather' ? 'weather' : scope);
  const who = RELATION_TEXT[item.of] ?? item.of;
  const agg = item.windowMs > 0 ? `${windowText(item.windowMs)}${AGG_TEXT[item.agg] ?? item.agg}` : (AGG_TEXT[item.agg] ?? '');
  const across = item.across === undefined ? '' : `（${ACROSS_TEXT[item.across] ?? item.across}）`;
  const cmp = item.op === undefined ? '' : ` ${OP_TEXT[item.op] ?? item.op} ${fmt(item.threshold, l.unit)}`;
  const detail = item.detail === undefined ? '' : `（${item.detail}）`;
  return `${who}${l.zh}${across}${agg === '' ? '' : ` ${agg}`} ${fmt(item.value, l.unit)}${cmp}${detail}`.trim();
}

function placeLines(a: Alert, network: NetworkModel): string[] {
  const lines: string[] = [];
  const st = a.route.stationId === undefined ? undefined : network.station(a.route.stationId);
  if (st !== undefined) lines.push(`换热站：${st.name}（${st.id}）`);
  if (a.entity.kind === 'compound') lines.push(`小区：${a.entity.name}（${a.entity.id}）`);
  if (a.entity.kind === 'primary') lines.push(`一次管网：${a.entity.name}（${a.entity.id}）`);
  if (a.entity.kind === 'weather') lines.push(`气象站：${a.entity.name}（${a.entity.id}）`);
  return lines;
}

function severityText(a: Alert): string {
  const tier = SEVERITY_LABEL[a.severity].zh;
  return a.category === 'underheating' || a.category === 'prediction' ? `${tier}（${UNDERHEATING_BAND[a.severity]}）` : tier;
}

export function alertMessage(kind: Exclude<MessageKind, 'incident'>, a: Alert, network: NetworkModel, opts: { readonly crewName?: string; readonly now?: number; readonly note?: string } = {}): RobotMessage {
  const tier = SEVERITY_LABEL[a.severity].zh;
  const title = `【${tier}】${HEADLINE[kind]}：${a.ruleName.zh} · ${a.entity.name}`;
  const headline = evidenceUnit(a);
  const lines = [
    `### ${title}`,
    ...placeLines(a, network).map((l) => `> ${l}`),
    `> 级别：${severityText(a)}`,
    ...(a.value === null ? [] : [`> 数值：${fmt(a.value, headline)}`]),
    `> 发生时间：${shanghaiTime(a.openedAt)}（北京时间）`,
    ...(kind === 'cleared' && a.clearedAt !== undefined ? [`> 恢复时间：${shanghaiTime(a.clearedAt)}（北京时间）`] : []),
    ...(opts.crewName === undefined ? [] : [`> 运行班组：${opts.crewName}`]),
    ...(opts.note === undefined ? [] : [`> ${opts.note}`]),
  ];
  const ev = a.evidence.items.filter((i) => i.result !== 'false').slice(0, 4);
  if (ev.length > 0 && kind !== 'cleared') {
    lines.push('', `**依据**（${shanghaiTime(a.evidence.from)} 起）：`);
    for (const i of ev) lines.push(`- ${evidenceLine(i, a.entity.kind)}`);
  }
  if (kind !== 'cleared') lines.push('', `告警编号：${a.id}`);
  return { title, markdown: lines.join('\n') };
}

/** The unit of the alert's headline value: that of its first evidence signal. */
function evidenceUnit(a: Alert): string {
  const first = a.evidence.items[0];
  return first === undefined ? '' : label(first.signal, first.of === 'weather' ? 'weather' : a.entity.kind).unit;
}

export function incidentMessage(i: Incident, causes: readonly Alert[], network: NetworkModel, opts: { readonly kind?: 'incident' | 'reminder' | 'supervisor' } = {}): RobotMessage {
  const kind = opts.kind ?? 'incident';
  const tier = SEVERITY_LABEL[i.severity].zh;
  const rootName = i.root.kind === 'primary' ? `一次管网 ${i.root.name}` : `换热站 ${i.root.name}`;
  const title = `【${tier}】${HEADLINE[kind]}：${rootName}`;
  const stations = i.stationIds.map((s) => network.station(s)?.name ?? s);
  const compounds = i.compoundIds.map((c) => network.compound(c)?.name ?? c);
  const lines = [
    `### ${title}`,
    `> 根源：${rootName}（${i.root.id}）`,
    `> 级别：${tier}`,
    `> 影响换热站（${stations.length}）：${stations.slice(0, 12).join('、')}${stations.length > 12 ? ' 等' : ''}`,
    ...(compounds.length > 0 ? [`> 影响小区（${compounds.length}）：${compounds.slice(0, 12).join('、')}${compounds.length > 12 ? ' 等' : ''}`] : []),
    `> 发生时间：${shanghaiTime(i.openedAt)}（北京时间）`,
    `> 关联告警：${i.liveAlertIds.length} 条（同一原因，合并通知）`,
  ];
  if (causes.length > 0) {
    lines.push('', '**原因告警**：');
    for (const c of causes.slice(0, 5)) lines.push(`- ${c.ruleName.zh} · ${c.entity.name}${c.value === null ? '' : `：${fmt(c.value, evidenceUnit(c))}`}`);
  }
  lines.push('', `事件编号：${i.id}`);
  return { title, markdown: lines.join('\n') };
}

/** WeCom limits markdown content to 4096 bytes, DingTalk to about 20 000: trim whole lines. */
const MAX_BYTES: Record<RobotKind, number> = { wecom: 4096, dingtalk: 18_000 };

function trimToBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  const lines = text.split('\n');
  while (lines.length > 1 && Buffer.byteLength(lines.join('\n') + '\n…', 'utf8') > max) lines.pop();
  return `${lines.join('\n')}\n…`;
}

export function robotPayload(kind: RobotKind, m: RobotMessage): RobotPayload {
  switch (kind) {
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: trimToBytes(m.markdown, MAX_BYTES.wecom) } };
    case 'dingtalk':
      return { msgtype: 'markdown', markdown: { title: m.title, text: trimToBytes(m.markdown, MAX_BYTES.dingtalk) } };
    default: {
      const never: never = kind;
      throw new Error(`unknown robot kind ${String(never)}`);
    }
  }
}
