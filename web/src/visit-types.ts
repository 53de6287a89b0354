// Proactive visits (未诉先办 work orders, visits/visit-model.ts) as the page reads them, parsed
// defensively: the visits API is another part of the product.

import type { Visit, VisitCause, VisitResult } from '../../visits/visit-model';
import { itemsOf } from './alert-types';

export type { Visit, VisitCause, VisitResult };

export const CAUSES: readonly VisitCause[] = ['network', 'in-home', 'none'];
export const RESULTS: readonly VisitResult[] = ['fixed', 'escalated', 'nothing-to-fix'];

export const CAUSE_LABEL = {
  network: { zh: '管网/站内问题', en: 'Network / station' },
  'in-home': { zh: '户内问题', en: 'Inside the home' },
  none: { zh: '未发现问题', en: 'Nothing wrong' },
} as const satisfies Record<VisitCause, { zh: string; en: string }>;

export const RESULT_LABEL = {
  fixed: { zh: '已处理', en: 'Fixed' },
  escalated: { zh: '已上报', en: 'Escalated' },
  'nothing-to-fix': { zh: '无需处理', en: 'Nothing to fix' },
} as const satisfies Record<VisitResult, { zh: string; en: string }>;

export const STAGE_LABEL = {
  received: { zh: '待接单', en: 'Issued' },
  dispatched: { zh: '已出发', en: 'On the way' },
  resolved: { zh: '已反馈', en: 'Outcome recorded' },
  supervised: { zh: '督办', en: 'Supervised' },
  'followed-up': { zh: '已回访', en: 'Followed up' },
} as const;

export function isVisit(x: unknown): x is Visit {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.compoundId === 'string' && typeof o.stationId === 'string' && typeof o.crew === 'string' && typeof o.dueAt === 'number';
}

export function parseVisits(body: unknown): Visit[] {
  return itemsOf(body).filter(isVisit);
}

/** Still waiting for the crew (no outcome recorded). */
export function isPending(v: Visit): boolean {
  return v.outcome === undefined && (v.loop.stage === 'received' || v.loop.stage === 'dispatched');
}
