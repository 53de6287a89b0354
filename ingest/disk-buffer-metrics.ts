// Self-metrics of the on-disk buffer: what went to disk, what came back, and every refusal, drop
// and damaged record (loss is never silent).

import { Counter, Gauge, type Registry } from 'prom-client';

export interface DiskBufferMetrics {
  readonly bytes: Gauge;
  readonly capacityBytes: Gauge;
  readonly segments: Gauge;
  /** Metrics written to disk because the store could not take them. */
  readonly spilled: Counter;
  /** Metrics read back from disk and stored. */
  readonly replayed: Counter;
  /** Batches the full buffer refused (policy `block`: they stay unacknowledged in memory). */
  readonly refused: Counter<'reason'>;
  /** Metrics dropped to make room (policy `drop-oldest`). */
  readonly dropped: Counter;
  /** Records found damaged when read back: `torn` (the process died while appending; never acknowledged) or `corrupt`. */
  readonly damaged: Counter<'kind'>;
}

export function createDiskBufferMetrics(registry: Registry, prefix = 'heat_ingest_disk_buffer_'): DiskBufferMetrics {
  const registers = [registry];
  return {
    bytes: new Gauge({ name: `${prefix}bytes`, help: 'Bytes of spilled metrics waiting on disk for the store', registers }),
    capacityBytes: new Gauge({ name: `${prefix}capacity_bytes`, help: 'Size limit of the on-disk buffer (HEAT_DISK_BUFFER_MAX_BYTES)', registers }),
    segments: new Gauge({ name: `${prefix}segments`, help: 'Segment files of the on-disk buffer', registers }),
    spilled: new Counter({ name: `${prefix}spilled_metrics_total`, help: 'Metrics written to the on-disk buffer while the store was unavailable', registers }),
    replayed: new Counter({ name: `${prefix}replayed_metrics_total`, help: 'Metrics replayed from the on-disk buffer into the store', registers }),
    refused: new Counter({
      name: `${prefix}refused_batches_total`,
      help: 'Batches the on-disk buffer did not take (full, or a disk error); they stay in memory, unacknowledged',
      labelNames: ['reason'],
      registers,
    }),
    dropped: new Counter({ name: `${prefix}dropped_metrics_total`, help: 'Metrics deleted from a full on-disk buffer (HEAT_DISK_BUFFER_FULL=drop-oldest)', registers }),
    damaged: new Counter({ name: `${prefix}damaged_records_total`, help: 'Damaged records skipped on replay, by kind (torn = never acknowledged)', labelNames: ['kind'], registers }),
  };
}
