// The ticket intake body (POST /api/tickets, and each row of an import): one zod schema gives the
// validation and the static type. Sizes are bounded; the phone number is normalised and never
// echoed in an error (it is personal data). Times more than a day ahead of the clock are refused.

import { z } from 'zod';
import type { Clock } from '../domain/clock';
import { normalizePhone } from './personal-data';
import { parseReceivedAt } from './received-time';
import { CHANNELS } from './ticket-model';

export const TICKET_LIMITS = { externalId: 64, text: 4000, address: 300, phone: 32, receivedAt: 40 } as const;
/** A receipt time this far ahead of now is a clock or data error. */
export const MAX_FUTURE_MS = 86_400_000;

/** Control characters (C0 and DEL): an id is printable. */
const hasControl = (s: string): boolean => [...s].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f');

export function ticketIntakeSchema(clock: Clock) {
  return z
    .object({
      externalId: z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(TICKET_LIMITS.externalId, `at most ${TICKET_LIMITS.externalId} characters`)
        .refine((s) => !hasControl(s), 'must not contain control characters'),
      receivedAt: z.union([z.number(), z.string().max(TICKET_LIMITS.receivedAt)]).transform((v, ctx) => {
        const t = parseReceivedAt(v);
        if (t === undefined) {
          ctx.addIssue({ code: 'custom', message: 'not a time: use epoch ms, ISO-8601 with a zone, or "YYYY-MM-DD HH:mm:ss" (Shanghai)', params: { heat: 'TIMESTAMP_INVALID' } });
          return z.NEVER;
        }
        if (t > clock.now() + MAX_FUTURE_MS) {
          ctx.addIssue({ code: 'custom', message: 'is more than a day in the future', params: { heat: 'TIMESTAMP_RANGE' } });
          return z.NEVER;
        }
        return t;
      }),
      text: z.string().trim().min(1, 'must not be empty').max(TICKET_LIMITS.text, `at most ${TICKET_LIMITS.text} characters`),
      address: z.string().trim().max(TICKET_LIMITS.address, `at most ${TICKET_LIMITS.address} characters`),
      callerPhone: z
        .string()
        .max(TICKET_LIMITS.phone, 'too long for a phone number')
        .optional()
        .transform((v, ctx) => {
          if (v === undefined || v.trim() === '') return undefined;
          const p = normalizePhone(v);
          if (p === undefined) {
            ctx.addIssue({ code: 'custom', message: 'not a mainland mobile or landline number' });
            return z.NEVER;
          }
          return p;
        }),
      channel: z.enum(CHANNELS),
    })
    .strict();
}

export type TicketIntakeSchema = ReturnType<typeof ticketIntakeSchema>;
/** What a client sends. */
export type TicketIntakeBody = z.input<TicketIntakeSchema>;
/** What validation gives: receivedAt in epoch ms, phone normalised. */
export type TicketIntake = z.output<TicketIntakeSchema>;
