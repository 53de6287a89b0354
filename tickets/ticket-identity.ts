// A ticket's identity: our id is derived from the hotline's external id (so a re-import finds
// the same row, and the id is URL-safe whatever the hotline's ids look like), and a digest of
// its content tells a repeat of the same ticket from a changed one under the same external id.

import { createHash } from 'node:crypto';
import type { TicketInput } from './ticket-model';

/** "t" + 20 hex digits (80 bits) of SHA-256 of the external id. */
export function ticketId(externalId: string): string {
  return `t${createHash('sha256').update(externalId, 'utf8').digest('hex').slice(0, 20)}`;
}

export function contentHashOf(t: TicketInput): string {
  const canonical = JSON.stringify([t.externalId, t.receivedAt, t.text, t.address, t.callerPhone ?? null, t.channel]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}
