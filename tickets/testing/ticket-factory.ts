// Ticket records for tests, built by hand (not by the understanding pipeline), so store tests
// depend on nothing but the store.

import { ticketId, contentHashOf } from '../ticket-identity';
import type { Resolution, TicketCategory, TicketInput, TicketRecord } from '../ticket-model';

export const T0 = Date.parse('2025-01-15T04:00:00Z');
const H = 3_600_000;

export interface RecordOverrides extends Partial<TicketInput> {
  readonly category?: TicketCategory;
  readonly resolution?: Partial<Resolution>;
}

export function makeRecord(n: number, o: RecordOverrides = {}): TicketRecord {
  const input: TicketInput = {
    externalId: o.externalId ?? `JYG20250115-${String(n).padStart(6, '0')}`,
    receivedAt: o.receivedAt ?? T0 + n * H,
    text: o.text ?? `来电人反映：家中暖气不热，室温只有${14 + (n % 3)}度。`,
    address: o.address ?? `龙湖华庭${(n % 5) + 1}号楼2单元501`,
    ...(o.callerPhone === undefined ? { callerPhone: '13812345678' } : { callerPhone: o.callerPhone }),
    channel: o.channel ?? 'phone',
  };
  const resolution: Resolution = {
    review: 'auto',
    compoundId: 'longhu-huating',
    stationId: 'dexuan',
    primaryNetworkId: 'pn1',
    confidence: 0.95,
    method: 'name',
    evidence: [{ kind: 'name', detail: '"龙湖华庭" ~ 龙湖华庭' }],
    candidates: [{ compoundId: 'longhu-huating', score: 0.95 }],
    spelling: '龙湖华庭',
    ...o.resolution,
  };
  return {
    ...input,
    id: ticketId(input.externalId),
    source: 'api',
    ingestedAt: T0 + 24 * H,
    contentHash: contentHashOf(input),
    category: o.category ?? 'heating-not-warm',
    classification: { category: o.category ?? 'heating-not-warm', evidence: [{ kind: 'cold', detail: '不热' }] },
    resolution,
    loop: { stage: 'received', at: { received: input.receivedAt } },
  };
}
