// Which column is which in a hotline export: the Chinese headers 12345 systems use (工单编号,
// 来电时间, 诉求内容, 地址, 联系电话, 渠道) and their common variants, plus the API's own field
// names. Headers are compared normalised (simplified, no spaces, no "*" or bracketed notes).

import { normalizeCompact } from '../text/normalize';
import type { TicketChannel } from '../ticket-model';

export type ImportField = 'externalId' | 'receivedAt' | 'text' | 'address' | 'callerPhone' | 'channel';

const HEADERS: Readonly<Record<ImportField, readonly string[]>> = {
  externalId: ['工单编号', '工单号', '工单编码', '工单id', '编号', '受理编号', '受理号', '单号', '流水号', '事项编号', '诉求编号', 'externalid', 'ticketid', 'id'],
  receivedAt: ['来电时间', '受理时间', '登记时间', '创建时间', '接收时间', '接件时间', '诉求时间', '来电日期', '受理日期', '时间', '日期', 'receivedat', 'time'],
  text: ['诉求内容', '来电内容', '内容', '问题描述', '诉求描述', '反映内容', '工单内容', '事项内容', '诉求', '描述', 'text', 'content'],
  address: ['地址', '诉求地址', '联系地址', '事发地址', '详细地址', '住址', '问题地址', '事发地点', '地点', 'address'],
  callerPhone: ['联系电话', '来电号码', '电话', '手机', '手机号', '手机号码', '联系方式', '来电人电话', '主叫号码', '电话号码', '号码', 'callerphone', 'phone'],
  channel: ['渠道', '来源', '受理渠道', '诉求渠道', '来源渠道', '来电渠道', '诉求来源', 'channel'],
};

export const REQUIRED_FIELDS: readonly ImportField[] = ['externalId', 'receivedAt', 'text'];

const BY_HEADER = new Map<string, ImportField>(Object.entries(HEADERS).flatMap(([f, hs]) => hs.map((h) => [h, f as ImportField] as const)));

export function normalizeHeader(h: string): string {
  return normalizeCompact(h).replace(/[*＊:：]/g, '').replace(/[(（[【].*?[)）\]】]/g, '');
}

export function fieldOfHeader(h: string): ImportField | undefined {
  return BY_HEADER.get(normalizeHeader(h));
}

const CHANNEL_LABELS: ReadonlyArray<readonly [RegExp, TicketChannel]> = [
  [/^(?:phone|电话|热线|12345|来电|电话来电|热线电话|语音)/, 'phone'],
  [/^(?:wechat|微信|公众号|小程序)/, 'wechat'],
  [/^(?:web|网站|网民|网络|网上|门户|留言板)/, 'web'],
  [/^(?:app|手机app|客户端|移动端)/, 'app'],
  [/^other$/, 'other'],
];

/** The channel an export's label names, or undefined when it is not one we know. */
export function channelOfLabel(label: string): TicketChannel | undefined {
  const l = normalizeCompact(label);
  return CHANNEL_LABELS.find(([re]) => re.test(l))?.[1];
}
