// One logger for the process (pino: fast structured JSON; pretty enough for a terminal via `| npx pino-pretty`).
// Personal data (callers' phone numbers) is redacted by path wherever it might be logged.
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name = 'heat'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['phone', '*.phone', 'ticket.phone', 'callerPhone', '*.callerPhone'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
