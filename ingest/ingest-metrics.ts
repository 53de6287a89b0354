// Self-metrics of the ingest path (Telegraf's added / written / dropped / write time), registered
// on the Registry the caller injects (the API serves it at /metrics). Loss is never silent: every
// rejection, drop and store error has a counter here.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ErrorCode } from '../domain/errors';

/** Where a rejection happened: the smallest unit that was refused. */
export type RejectionLevel = 'message' | 'reading' | 'field' | 'store';

export interface IngestMetrics {
  /** MQTT messages taken in. */
  readonly messagesReceived: Counter;
  /** Messages of which nothing could be used, by code. */
  readonly messagesRejected: Counter<'code'>;
  /** Readings refused (the whole reading), by code. */
  readonly readingsRejected: Counter<'code'>;
  /** Field values refused by the parser or the store, by code. */
  readonly fieldValuesRejected: Counter<'code'>;
  /** Rejections published to heat/v1/_rejected, by level. */
  readonly rejections: Counter<'level'>;
  readonly fieldValuesStored: Counter;
  readonly metricsStored: Counter;
  readonly bufferDepth: Gauge;
  /** Metrics dropped because the write buffer was full. */
  readonly bufferDropped: Counter;
  readonly writeDuration: Histogram;
  /** Flushes started, by what started them (batch full, in-flight window full, interval, retry, drain). */
  readonly flushes: Counter<'reason'>;
  readonly inflightMessages: Gauge;
  /** Failed store writes, by whether they may be retried. */
  readonly storeWriteErrors: Counter<'retryable'>;
}

export function createIngestMetrics(registry: Registry, prefix = 'heat_ingest_'): IngestMetrics {
  const registers = [registry];
  return {
    messagesReceived: new Counter({ name: `${prefix}messages_received_total`, help: 'MQTT messages taken in', registers }),
    messagesRejected: new Counter({
      name: `${prefix}messages_rejected_total`,
      help: 'Messages rejected as a whole (nothing stored), by error code',
      labelNames: ['code'],
      registers,
    }),
    readingsRejected: new Counter({ name: `${prefix}readings_rejected_total`, help: 'Readings rejected, by error code', labelNames: ['code'], registers }),
    fieldValuesRejected: new Counter({
      name: `${prefix}field_values_rejected_total`,
      help: 'Field values rejected by the parser or the store, by error code',
      labelNames: ['code'],
      registers,
    }),
    rejections: new Counter({ name: `${prefix}rejections_total`, help: 'Rejections reported on heat/v1/_rejected, by level', labelNames: ['level'], registers }),
    fieldValuesStored: new Counter({ name: `${prefix}field_values_stored_total`, help: 'Field values durably stored', registers }),
    metricsStored: new Counter({ name: `${prefix}metrics_stored_total`, help: 'Metrics (points with tags) durably stored', registers }),
    bufferDepth: new Gauge({ name: `${prefix}buffer_depth`, help: 'Metrics in the write buffer, including the batch being written', registers }),
    bufferDropped: new Counter({ name: `${prefix}buffer_dropped_total`, help: 'Metrics dropped because the write buffer was full', registers }),
    writeDuration: new Histogram({
      name: `${prefix}write_duration_seconds`,
      help: 'Duration of store writes (successful or not)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    flushes: new Counter({ name: `${prefix}flushes_total`, help: 'Flushes started, by reason', labelNames: ['reason'], registers }),
    inflightMessages: new Gauge({ name: `${prefix}inflight_messages`, help: 'MQTT messages taken in and not yet stored and acknowledged', registers }),
    storeWriteErrors: new Counter({
      name: `${prefix}store_write_errors_total`,
      help: 'Failed store writes, by whether they are retried',
      labelNames: ['retryable'],
      registers,
    }),
  };
}

/** Count one rejection on the counters of its level; `fieldValues` is how many values it refused. */
export function countRejection(m: IngestMetrics, level: RejectionLevel, code: ErrorCode, fieldValues = 1): void {
  m.rejections.inc({ level });
  switch (level) {
    case 'message':
      m.messagesRejected.inc({ code });
      return;
    case 'reading':
      m.readingsRejected.inc({ code });
      return;
    case 'field':
    case 'store':
      m.fieldValuesRejected.inc({ code }, fieldValues);
      return;
    default: {
      const never: never = level;
      throw new Error(`unknown rejection level ${String(never)}`);
    }
  }
}
