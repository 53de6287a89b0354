// The bounded on-disk buffer between the ingest writer and a store that is down (issue 9, item 2).
// The writer spills a batch here when the store refuses it with a retryable error; the batch is
// appended to a segment file and fsynced, and only then are its MQTT messages acknowledged.
// When the store is back the writer replays the segments, oldest first, in append order; while
// anything waits on disk, new batches go behind it (spill), so the store sees arrival order.
// Disk is touched only on spill: with a healthy store the writer never calls this.
//
// Layout: <HEAT_DATA_DIR>/disk-buffer/<MQTT client id>/seg-<12-digit sequence>.log (the backlog
// belongs to the ingester's MQTT identity: one connected client per id), created on the first
// spill and removed when empty at close; append-only, one record per
// batch (disk-buffer-record.ts). A segment is sealed at `segmentBytes` (and at every start: a new
// process never appends to an old segment, so a record torn by a crash can only be a segment's
// last line) and deleted once every record in it is stored. Progress inside a segment is not
// persisted: after a crash the head segment is replayed from its start, which is harmless because
// store writes are idempotent (keyed by measurement, id, sensor, field and time).
//
// Full (total bytes would exceed `maxBytes`), by policy HEAT_DISK_BUFFER_FULL:
// - `block` (default): the batch is refused; the writer keeps it in memory, unacknowledged, and
//   once memory is full the ingester stops taking messages, so the broker keeps them (nothing is
//   deleted here; counted in refused_batches_total{reason="full"}, logged once per episode);
// - `drop-oldest`: whole oldest segments are deleted to make room (dropped_metrics_total, logged).
//
// Lifecycle: construct, open() once at ingest start, before the writer starts (recovers the
// segments of a previous run), then append / peek / commit from the writer's flush loop (one
// caller; calls are serialised anyway), close() after the writer stopped. Not safe for two
// processes on one directory (two ingesters with the same client id).

import { mkdir, open, readdir, readFile, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Metric } from '../domain/telemetry';
import type { DiskBufferMetrics } from './disk-buffer-metrics';
import { decodeRecord, encodeRecord } from './disk-buffer-record';

export const DISK_BUFFER_DIR = 'disk-buffer';
export const FULL_POLICIES = ['block', 'drop-oldest'] as const;
export type FullPolicy = (typeof FULL_POLICIES)[number];

/** Metrics read back from disk, to be stored and then committed. */
export interface SpillChunk {
  readonly metrics: readonly Metric[];
  /** Opaque position: segment and first record. */
  readonly segment: number;
  readonly first: number;
  readonly records: number;
}

/**
 * The writer's view of the buffer. `append` resolves 'spilled' once the batch is durable on disk
 * (the caller may acknowledge it then) or 'full' when nothing was written (the caller keeps the
 * batch); it rejects on a disk error (nothing acknowledged). `peek` returns the oldest records
 * without removing them; `commit` removes them once they are stored.
 */
export interface SpillBuffer {
  hasPending(): boolean;
  append(metrics: readonly Metric[]): Promise<'spilled' | 'full'>;
  peek(maxMetrics: number): Promise<SpillChunk | undefined>;
  commit(chunk: SpillChunk): Promise<void>;
}

export interface DiskBufferOptions {
  /** Folder of the segment files (created when missing). */
  readonly dir: string;
  /** HEAT_DISK_BUFFER_MAX_BYTES. */
  readonly maxBytes: number;
  /** HEAT_DISK_BUFFER_SEGMENT_BYTES. */
  readonly segmentBytes: number;
  /** HEAT_DISK_BUFFER_FULL. */
  readonly full: FullPolicy;
  readonly logger: Logger;
  readonly metrics?: DiskBufferMetrics;
}

interface Segment {
  readonly seq: number;
  readonly path: string;
  bytes: number;
  /** Metrics in the segment, when known (segments recovered from a previous run: unknown until read). */
  metrics: number | undefined;
}

const SEGMENT_NAME = /^seg-(\d{12})\.log$/;

export class DiskBuffer implements SpillBuffer {
  private readonly segments: Segment[] = [];
  private active: { seg: Segment; handle: FileHandle } | undefined;
  private head: { seg: Segment; records: Metric[][]; pos: number } | undefined;
  private totalBytes = 0;
  private nextSeq = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private fullEpisode = false;
  private closed = false;
  private readonly log: Logger;

  constructor(private readonly opts: DiskBufferOptions) {
    if (!Number.isInteger(opts.maxBytes) || opts.maxBytes < 1) throw new RangeError(`HEAT_DISK_BUFFER_MAX_BYTES must be a positive integer, got ${opts.maxBytes}`);
    if (!Number.isInteger(opts.segmentBytes) || opts.segmentBytes < 1) throw new RangeError(`HEAT_DISK_BUFFER_SEGMENT_BYTES must be a positive integer, got ${opts.segmentBytes}`);
    this.log = opts.logger;
  }

  /** Constructs and opens. */
  static async open(opts: DiskBufferOptions): Promise<DiskBuffer> {
    const b = new DiskBuffer(opts);
    await b.open();
    return b;
  }

  /** Recovers the segments a previous run left (none when the folder does not exist). */
  open(): Promise<void> {
    return this.serial(() => this.recover());
  }

  hasPending(): boolean {
    return this.segments.length > 0;
  }

  /** Bytes of all segment files. */
  get bytes(): number {
    return this.totalBytes;
  }

  append(metrics: readonly Metric[]): Promise<'spilled' | 'full'> {
    return this.serial(async () => {
      if (this.closed) throw new Error('disk buffer is closed');
      const rec = encodeRecord(metrics);
      if (rec.length > this.opts.maxBytes) return this.refuseFull(rec.length, metrics.length);
      while (this.totalBytes + rec.length > this.opts.maxBytes) {
        if (this.opts.full === 'block' || this.segments.length === 0) return this.refuseFull(rec.length, metrics.length);
        await this.dropOldest();
      }
      if (!this.active || this.active.seg.bytes >= this.opts.segmentBytes) await this.rotate();
      const a = this.active as { seg: Segment; handle: FileHandle };
      try {
        await writeAll(a.handle, rec);
        await a.handle.datasync();
      } catch (e) {
        // A partial record may be on disk: seal the segment so that it stays its last line (torn).
        await this.seal();
        a.seg.bytes = await stat(a.seg.path).then((s) => s.size, () => a.seg.bytes);
        this.recount();
        this.opts.metrics?.refused.inc({ reason: 'disk-error' });
        throw e;
      }
      a.seg.bytes += rec.length;
      a.seg.metrics = (a.seg.metrics ?? 0) + metrics.length;
      this.totalBytes += rec.length;
      this.fullEpisode = false;
      this.opts.metrics?.spilled.inc(metrics.length);
      this.updateGauges();
      return 'spilled';
    });
  }

  peek(maxMetrics: number): Promise<SpillChunk | undefined> {
    return this.serial(async () => {
      for (;;) {
        if (!this.head) {
          const seg = this.segments[0];
          if (!seg) return undefined;
          if (this.active?.seg === seg) await this.seal();
          this.head = { seg, records: await this.readSegment(seg), pos: 0 };
        }
        const h = this.head;
        if (h.pos < h.records.length) {
          const metrics: Metric[] = [];
          let n = 0;
          while (h.pos + n < h.records.length && (n === 0 || metrics.length + (h.records[h.pos + n] as Metric[]).length <= maxMetrics)) {
            metrics.push(...(h.records[h.pos + n] as Metric[]));
            n++;
          }
          return { metrics, segment: h.seg.seq, first: h.pos, records: n };
        }
        await this.removeHead(); // only damaged records, or all committed
      }
    });
  }

  commit(chunk: SpillChunk): Promise<void> {
    return this.serial(async () => {
      const h = this.head;
      // A chunk whose segment was dropped meanwhile (drop-oldest) has nothing left to remove.
      if (!h || h.seg.seq !== chunk.segment || h.pos !== chunk.first) return;
      h.pos += chunk.records;
      this.opts.metrics?.replayed.inc(chunk.metrics.length);
      if (h.pos >= h.records.length) await this.removeHead();
    });
  }

  /** Seals the active segment; what is on disk stays for the next start. */
  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.seal();
      if (this.segments.length === 0) await rmdir(this.opts.dir).catch(() => {}); // not empty: someone else's file; leave it
      if (this.totalBytes > 0) {
        this.log.info({ bytes: this.totalBytes, segments: this.segments.length, dir: this.opts.dir }, 'disk buffer closed with readings not yet stored; they are replayed at the next start');
      }
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op);
    this.chain = run.catch(() => {});
    return run;
  }

  private async recover(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.opts.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') names = [];
      else throw e;
    }
    names = names.filter((n) => SEGMENT_NAME.test(n)).sort();
    for (const name of names) {
      const seq = Number(SEGMENT_NAME.exec(name)?.[1]);
      const path = join(this.opts.dir, name);
      const size = (await stat(path)).size;
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      if (size === 0) {
        await unlink(path);
        continue;
      }
      this.segments.push({ seq, path, bytes: size, metrics: undefined });
      this.totalBytes += size;
    }
    this.opts.metrics?.capacityBytes.set(this.opts.maxBytes);
    this.updateGauges();
    if (this.totalBytes > 0) {
      this.log.warn(
        { bytes: this.totalBytes, segments: this.segments.length, dir: this.opts.dir },
        'disk buffer holds readings from a previous run; they are replayed into the store before new ones',
      );
    }
  }

  private refuseFull(bytes: number, metrics: number): 'full' {
    this.opts.metrics?.refused.inc({ reason: 'full' });
    if (!this.fullEpisode) {
      this.fullEpisode = true;
      this.log.error(
        { bufferedBytes: this.totalBytes, maxBytes: this.opts.maxBytes, batchBytes: bytes, metrics, policy: this.opts.full },
        'disk buffer full (HEAT_DISK_BUFFER_MAX_BYTES): new readings stay unacknowledged in memory and then at the broker until the store takes the backlog',
      );
    }
    return 'full';
  }

  private async rotate(): Promise<void> {
    await this.seal();
    const seq = this.nextSeq++;
    const path = join(this.opts.dir, `seg-${String(seq).padStart(12, '0')}.log`);
    await mkdir(this.opts.dir, { recursive: true });
    const handle = await open(path, 'ax');
    await syncDir(this.opts.dir);
    const seg: Segment = { seq, path, bytes: 0, metrics: 0 };
    this.segments.push(seg);
    this.active = { seg, handle };
    this.updateGauges();
  }

  private async seal(): Promise<void> {
    const a = this.active;
    this.active = undefined;
    if (!a) return;
    await a.handle.close();
    if (a.seg.bytes === 0) {
      // Never written: nothing to replay.
      await unlink(a.seg.path).catch(() => {});
      this.segments.splice(this.segments.indexOf(a.seg), 1);
      this.updateGauges();
    }
  }

  private async readSegment(seg: Segment): Promise<Metric[][]> {
    const text = await readFile(seg.path, 'utf8');
    const lines = text.split('\n');
    const tail = lines.pop() as string;
    if (tail !== '') {
      this.opts.metrics?.damaged.inc({ kind: 'torn' });
      this.log.warn({ segment: seg.path, bytes: Buffer.byteLength(tail) }, 'disk buffer: skipped a record torn by a crash while it was appended (it was never acknowledged; the broker redelivered it)');
    }
    const out: Metric[][] = [];
    for (let i = 0; i < lines.length; i++) {
      const r = decodeRecord(lines[i] as string);
      if (r.ok) {
        out.push(r.metrics);
        continue;
      }
      this.opts.metrics?.damaged.inc({ kind: 'corrupt' });
      this.log.error({ segment: seg.path, record: i, why: r.why }, 'disk buffer: a damaged record cannot be replayed; its readings are lost');
    }
    seg.metrics = out.reduce((a, m) => a + m.length, 0);
    return out;
  }

  private async removeHead(): Promise<void> {
    const h = this.head;
    this.head = undefined;
    const seg = h?.seg ?? this.segments[0];
    if (!seg) return;
    await unlink(seg.path).catch((e: unknown) => this.log.error({ err: e, segment: seg.path }, 'disk buffer: cannot delete a replayed segment'));
    this.segments.splice(this.segments.indexOf(seg), 1);
    this.totalBytes -= seg.bytes;
    this.updateGauges();
  }

  private async dropOldest(): Promise<void> {
    const seg = this.segments[0] as Segment;
    if (this.active?.seg === seg) await this.seal();
    if (!this.segments.includes(seg)) return; // it was empty and is gone
    let n: number;
    if (this.head?.seg === seg) n = this.head.records.slice(this.head.pos).reduce((a, m) => a + m.length, 0);
    else n = seg.metrics ?? (await this.readSegment(seg)).reduce((a, m) => a + m.length, 0);
    if (this.head?.seg !== seg) this.head = undefined;
    await this.removeHead();
    this.opts.metrics?.dropped.inc(n);
    this.log.error({ metrics: n, segment: seg.path, maxBytes: this.opts.maxBytes }, 'disk buffer full: deleted the oldest spilled readings (HEAT_DISK_BUFFER_FULL=drop-oldest)');
  }

  private recount(): void {
    this.totalBytes = this.segments.reduce((a, s) => a + s.bytes, 0);
    this.updateGauges();
  }

  private updateGauges(): void {
    this.opts.metrics?.bytes.set(this.totalBytes);
    this.opts.metrics?.segments.set(this.segments.length);
  }
}

async function writeAll(h: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await h.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** Makes a new file's directory entry durable (Linux: fsync on the directory). */
async function syncDir(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await open(dir, 'r');
    await h.sync();
  } catch {
    // Not supported on every platform; the data itself is fsynced.
  } finally {
    await h?.close();
  }
}
