// The one error handler: every failure reaches the client as {code, message, detail} from the
// HeatError catalogue with the catalogue's status; never a stack trace. Unexpected errors are
// logged once with their stack and answered as INTERNAL.

import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HeatError, isHeatError } from '../domain/errors';
import type { ErrorBodyDto } from './dto';

/** body-parser marks its errors with `type` and `status`; map them onto the catalogue. */
function fromBodyParser(e: unknown): HeatError | undefined {
  if (typeof e !== 'object' || e === null || !('type' in e)) return undefined;
  const t = (e as { type?: unknown }).type;
  if (t === 'entity.too.large') return new HeatError('PAYLOAD_TOO_LARGE', 'body: exceeds the JSON body limit');
  if (t === 'entity.parse.failed') return new HeatError('PAYLOAD_NOT_JSON', 'body: not valid JSON');
  if (typeof t === 'string' && t.startsWith('encoding.') ) return new HeatError('BAD_REQUEST', `body: ${t}`);
  return undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    let he = isHeatError(err) ? err : fromBodyParser(err);
    if (he === undefined) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in API request');
      he = new HeatError('INTERNAL', 'the server failed to answer; see its log');
    } else if (he.status >= 500) {
      logger.warn({ code: he.code, detail: he.detail, url: req.originalUrl }, 'API request failed');
    }
    const body: ErrorBodyDto = he.toJSON();
    const retry = he.retryAfter();
    if (retry !== undefined) res.setHeader('Retry-After', String(Math.ceil(retry / 1000)));
    res.status(he.status).json(body);
  };
}

/** Unknown /api paths get the catalogue's NOT_FOUND rather than express's HTML page. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HeatError('NOT_FOUND', `no route ${req.method} ${req.path}`));
};
