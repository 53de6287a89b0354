// One catalogue of errors with stable codes (Fastify's lib/errors.js is the model).
// Every error the product reports to a user, a publisher or a log carries one of these codes;
// the HTTP status says how the API answers, `retryable` whether trying again can help.

export const ERRORS = {
  CONFIG_INVALID: { status: 500, retryable: false, message: 'configuration is invalid' },
  NETWORK_INVALID: { status: 500, retryable: false, message: 'network model file is invalid' },
  SCENARIO_INVALID: { status: 500, retryable: false, message: 'simulator scenario file is invalid' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, message: 'payload exceeds the size limit' },
  PAYLOAD_NOT_JSON: { status: 400, retryable: false, message: 'payload is not valid JSON' },
  PAYLOAD_SCHEMA: { status: 400, retryable: false, message: 'payload does not match telemetry contract v1' },
  TOPIC_INVALID: { status: 400, retryable: false, message: 'topic is not a telemetry v1 topic' },
  UNKNOWN_ENTITY: { status: 404, retryable: false, message: 'entity is not in the network model' },
  UNKNOWN_FIELD: { status: 400, retryable: false, message: 'field is not a canonical field for this entity kind' },
  FIELD_TYPE: { status: 400, retryable: false, message: 'field value has the wrong type' },
  NON_FINITE: { status: 400, retryable: false, message: 'numeric value is not finite' },
  TIMESTAMP_RANGE: { status: 400, retryable: false, message: 'timestamp is too far from now' },
  TIMESTAMP_INVALID: { status: 400, retryable: false, message: 'timestamp cannot be parsed' },
  BUFFER_FULL: { status: 503, retryable: true, message: 'write buffer is full' },
  STORE_UNAVAILABLE: { status: 503, retryable: true, message: 'store is unavailable' },
  STORE_REJECTED: { status: 500, retryable: false, message: 'store rejected the write' },
  STORE_QUERY: { status: 500, retryable: false, message: 'store query failed' },
  BAD_REQUEST: { status: 400, retryable: false, message: 'request is invalid' },
  NOT_FOUND: { status: 404, retryable: false, message: 'not found' },
  CONFLICT: { status: 409, retryable: false, message: 'request conflicts with what is already stored' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, message: 'content type is not accepted here' },
  UNAUTHENTICATED: { status: 401, retryable: false, message: 'login required' },
  FORBIDDEN: { status: 403, retryable: false, message: 'not allowed for this user' },
  TOO_MANY_REQUESTS: { status: 429, retryable: true, message: 'too many attempts; try again later' },
  INTERNAL: { status: 500, retryable: false, message: 'internal error' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The product's one error type. `detail` names the key, field or entity at fault. */
export class HeatError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, detail: string, opts: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(`${code}: ${ERRORS[code].message}: ${detail}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HeatError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = detail;
    this.retryAfterMs = opts.retryAfterMs;
  }

  /** Whether the same operation may succeed later (influxdb-client's HttpError.canRetry). */
  canRetry(): boolean {
    return ERRORS[this.code].retryable;
  }

  /** Suggested delay before retrying, when the failing side said so (e.g. Retry-After). */
  retryAfter(): number | undefined {
    return this.retryAfterMs;
  }

  toJSON(): { code: ErrorCode; message: string; detail: string } {
    return { code: this.code, message: ERRORS[this.code].message, detail: this.detail };
  }
}

export function isHeatError(e: unknown): e is HeatError {
  return e instanceof HeatError;
}
