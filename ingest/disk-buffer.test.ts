// The on-disk buffer on a real temp folder: order, rotation, recovery after a restart, torn and
// corrupt records, and both full policies (refuse, or drop the oldest), every loss counted.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { DiskBuffer, type DiskBufferOptions } from './disk-buffer';
import { createDiskBufferMetrics, type DiskBufferMetrics } from './disk-buffer-metrics';
import { decodeRecord, encodeRecord } from './disk-buffer-record';

const T0 = Date.UTC(2025, 0, 15);
const metric = (i: number): Metric => ({ measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 40 + (i % 7) / 8, pump_state: 'run', ok: true }, time: T0 + i * 1000 });
const batch = (from: number, n: number): Metric[] => Array.from({ length: n }, (_, k) => metric(from + k));

function capture(): { logger: Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  return { logger: pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) }), lines };
}

async function drainAll(b: DiskBuffer, max = 1000): Promise<Metric[]> {
  const out: Metric[] = [];
  for (let c = await b.peek(max); c; c = await b.peek(max)) {
    out.push(...c.metrics);
    await b.commit(c);
  }
  return out;
}

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const vs = (m?.values ?? []) as Array<{ value: number; labels: Record<string, string | number> }>;
  return vs.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((a, v) => a + v.value, 0);
}

describe('disk buffer record', () => {
  it('round-trips metrics with sensors, strings, booleans and exact doubles', () => {
    const ms: Metric[] = [
      { measurement: 'compound', tags: { id: 'longhu-huating', sensor: 'longhu-huating-s1' }, fields: { t_indoor: 0.1 + 0.2 }, time: T0 },
      { measurement: 'station', tags: { id: 'dexuan' }, fields: { pump_state: 'fault\n"quoted"', on: false, t2_supply: -1e-300 }, time: T0 + 1 },
    ];
    const line = encodeRecord(ms).toString('utf8');
    expect(line.endsWith('\n')).toBe(true);
    expect(decodeRecord(line.slice(0, -1))).toEqual({ ok: true, metrics: ms });
  });

  it('refuses a record whose bytes changed, or that was cut short', () => {
    const line = encodeRecord(batch(0, 3)).toString('utf8').slice(0, -1);
    expect(decodeRecord(line.replace('40.125', '40.25'))).toEqual({ ok: false, why: 'CRC mismatch' });
    expect(decodeRecord(line.slice(0, 40)).ok).toBe(false);
    expect(decodeRecord('garbage').ok).toBe(false);
  });
});

describe('DiskBuffer', () => {
  let dir: string;
  let registry: Registry;
  let metrics: DiskBufferMetrics;
  const open = (o: Partial<DiskBufferOptions> = {}) =>
    DiskBuffer.open({ dir, maxBytes: 10_000_000, segmentBytes: 4096, full: 'block', logger: pino({ level: 'silent' }), metrics, ...o });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'heat-diskbuf-'));
    registry = new Registry();
    metrics = createDiskBufferMetrics(registry);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives batches back in append order across segments and deletes each replayed segment', async () => {
    const b = await open();
    expect(b.hasPending()).toBe(false);
    for (let i = 0; i < 40; i++) expect(await b.append(batch(i * 10, 10))).toBe('spilled');
    expect(b.hasPending()).toBe(true);
    const segments = readdirSync(dir).length;
    expect(segments).toBeGreaterThan(3); // rotated at 4 KiB
    const back = await drainAll(b, 25);
    expect(back).toEqual(batch(0, 400));
    expect(b.hasPending()).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(await value(registry, 'heat_ingest_disk_buffer_spilled_metrics_total')).toBe(400);
    expect(await value(registry, 'heat_ingest_disk_buffer_replayed_metrics_total')).toBe(400);
    expect(await value(registry, 'heat_ingest_disk_buffer_bytes')).toBe(0);
    await b.close();
  });

  it('peek without commit gives the same records again (a failed store write loses nothing)', async () => {
    const b = await open();
    await b.append(batch(0, 5));
    await b.append(batch(5, 5));
    const c1 = await b.peek(5);
    const c2 = await b.peek(5);
    expect(c2).toEqual(c1);
    expect(c1?.metrics).toEqual(batch(0, 5));
    await b.commit(c1 as NonNullable<typeof c1>);
    expect((await b.peek(100))?.metrics).toEqual(batch(5, 5));
    await b.close();
  });

  it('survives a restart: a new instance replays what the old one left, and appends after it', async () => {
    const a = await open();
    await a.append(batch(0, 10));
    const c = await a.peek(3);
    expect(c?.records).toBe(1);
    // no commit, no close: as if the process was killed
    const b = await open();
    expect(b.hasPending()).toBe(true);
    await b.append(batch(10, 10));
    expect(await drainAll(b)).toEqual(batch(0, 20));
    await b.close();
    await a.close();
  });

  it('skips a record torn by a crash (counted as torn) and keeps every complete one', async () => {
    const a = await open();
    await a.append(batch(0, 4));
    await a.append(batch(4, 4));
    await a.close();
    const [seg] = readdirSync(dir);
    const torn = encodeRecord(batch(8, 4)).subarray(0, 30);
    appendFileSync(join(dir, seg as string), torn);
    const { logger, lines } = capture();
    const b = await open({ logger });
    expect(await drainAll(b)).toEqual(batch(0, 8));
    expect(await value(registry, 'heat_ingest_disk_buffer_damaged_records_total', { kind: 'torn' })).toBe(1);
    expect(lines.some((l) => l.level === 40 && /torn/.test(l.msg))).toBe(true);
    await b.close();
  });

  it('a corrupt record in the middle is counted and logged as lost; the records around it are kept', async () => {
    const a = await open();
    for (let i = 0; i < 3; i++) await a.append(batch(i * 4, 4));
    await a.close();
    const [seg] = readdirSync(dir);
    const path = join(dir, seg as string);
    const text = readFileSync(path, 'utf8').split('\n');
    text[1] = (text[1] as string).replace('"dexuan"', '"dexuaN"');
    writeFileSync(path, text.join('\n'));
    const { logger, lines } = capture();
    const b = await open({ logger });
    expect(await drainAll(b)).toEqual([...batch(0, 4), ...batch(8, 4)]);
    expect(await value(registry, 'heat_ingest_disk_buffer_damaged_records_total', { kind: 'corrupt' })).toBe(1);
    expect(lines.some((l) => l.level === 50 && /lost/.test(l.msg))).toBe(true);
    await b.close();
  });

  it('full with policy block: refuses (counted, logged once per episode), deletes nothing, takes more once room is made', async () => {
    const one = encodeRecord(batch(0, 10)).length;
    const { logger, lines } = capture();
    const b = await open({ maxBytes: one * 3 + 5, segmentBytes: one * 100, logger });
    for (let i = 0; i < 3; i++) expect(await b.append(batch(i * 10, 10))).toBe('spilled');
    expect(await b.append(batch(30, 10))).toBe('full');
    expect(await b.append(batch(30, 10))).toBe('full');
    expect(await value(registry, 'heat_ingest_disk_buffer_refused_batches_total', { reason: 'full' })).toBe(2);
    expect(lines.filter((l) => /disk buffer full/.test(l.msg))).toHaveLength(1);
    // replaying frees the space
    const c = await b.peek(10);
    await b.commit(c as NonNullable<typeof c>);
    // the first segment holds all three records and is deleted only when all are replayed
    expect(await b.append(batch(30, 10))).toBe('full');
    expect(await drainAll(b)).toEqual(batch(10, 20));
    expect(await b.append(batch(30, 10))).toBe('spilled');
    expect(await drainAll(b)).toEqual(batch(30, 10));
    expect(await value(registry, 'heat_ingest_disk_buffer_dropped_metrics_total')).toBe(0);
    await b.close();
  });

  it('full with policy drop-oldest: deletes whole oldest segments, counting the metrics dropped', async () => {
    const one = encodeRecord(batch(0, 10)).length;
    const b = await open({ maxBytes: one * 3 + 5, segmentBytes: one, full: 'drop-oldest' });
    for (let i = 0; i < 5; i++) expect(await b.append(batch(i * 10, 10))).toBe('spilled');
    expect(await value(registry, 'heat_ingest_disk_buffer_dropped_metrics_total')).toBe(20);
    expect(await drainAll(b)).toEqual(batch(20, 30));
    await b.close();
  });

  it('a batch larger than the whole buffer is refused without dropping anything', async () => {
    const b = await open({ maxBytes: 2000, segmentBytes: 1000, full: 'drop-oldest' });
    expect(await b.append(batch(0, 2))).toBe('spilled');
    expect(await b.append(batch(0, 100))).toBe('full');
    expect(await drainAll(b)).toEqual(batch(0, 2));
    await b.close();
  });
});
