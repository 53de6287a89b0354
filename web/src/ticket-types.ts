// Tickets as the page reads them (tickets/ticket-dto.ts), plus the correlation verdict when the
// server includes it (tickets/ticket-model.ts `correlation`). Types only: nothing ships twice.

import type { TicketDto } from '../../tickets/ticket-dto';

export type Verdict = 'explained' | 'unexplained' | 'not-applicable' | 'unplaced';

export type Ticket = TicketDto & {
  readonly correlation?: { readonly verdict: Verdict; readonly suggestion?: string; readonly alert?: { readonly alertId: string; readonly ruleId: string } };
  readonly visitId?: string;
};

export interface TicketPage {
  readonly total: number;
  readonly items: readonly Ticket[];
  readonly next?: string;
}

export const HEATING_CATEGORIES = ['heating-not-warm', 'heating-no-circulation', 'heating-leak', 'heating-other'] as const;

export function isHeatingTicket(t: Ticket): boolean {
  return t.category !== 'non-heating';
}

export const CATEGORY_LABEL = {
  'heating-not-warm': { zh: '暖气不热', en: 'Not warm' },
  'heating-no-circulation': { zh: '不循环/气堵', en: 'No circulation' },
  'heating-leak': { zh: '漏水', en: 'Leak' },
  'heating-other': { zh: '供热其他', en: 'Heating, other' },
  'non-heating': { zh: '非供热', en: 'Not heating' },
} as const satisfies Record<TicketDto['category'], { zh: string; en: string }>;
