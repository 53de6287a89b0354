import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Metric } from '../../domain/telemetry';
import type { ReadingEvent, TickEvent } from '../dto';
import { LiveCoalescer } from './live-coalescer';

const T0 = Date.parse('2025-01-15T04:00:00Z');

function metric(id: string, time: number, fields: Metric['fields'], sensor?: string, measurement: Metric['measurement'] = 'station'): Metric {
  return { measurement, tags: sensor === undefined ? { id } : { id, sensor }, fields, time };
}

function setup(listening: readonly string[], maxPerEntity = 3) {
  const emitted: { entity: string; readings: readonly ReadingEvent[] }[] = [];
  const ticks: TickEvent[] = [];
  const drops: { entity: string; n: number }[] = [];
  const c = new LiveCoalescer({
    windowMs: 250,
    maxPerEntity,
    hasListeners: (e) => listening.includes(e),
    emit: (entity, readings) => emitted.push({ entity, readings }),
    tick: (t) => ticks.push(t),
    onDrop: (entity, n) => drops.push({ entity, n }),
    now: () => T0 + 1,
  });
  return { c, emitted, ticks, drops };
}

describe('LiveCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands out readings once per window, only for entities someone listens to', () => {
    const { c, emitted, ticks } = setup(['station:dexuan']);
    c.add([metric('dexuan', T0, { t2_supply: 47.5 }), metric('xingfu', T0, { t2_supply: 40 })]);
    c.add([metric('dexuan', T0 + 60_000, { t2_supply: 47.7 })]);
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(249);
    expect(emitted).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(emitted).toEqual([
      {
        entity: 'station:dexuan',
        readings: [
          { entity: 'station:dexuan', time: T0, fields: { t2_supply: 47.5 } },
          { entity: 'station:dexuan', time: T0 + 60_000, fields: { t2_supply: 47.7 } },
        ],
      },
    ]);
    expect(ticks).toEqual([{ now: T0 + 1, metrics: 3, fieldValues: 3, entities: 2, newestTime: T0 + 60_000 }]);
  });

  it('merges fields of the same entity, sensor and time; keeps sensors apart', () => {
    const { c, emitted } = setup(['compound:longhu-huating']);
    c.add([
      metric('longhu-huating', T0, { t_supply: 44 }, undefined, 'compound'),
      metric('longhu-huating', T0, { t_return: 36 }, undefined, 'compound'),
      metric('longhu-huating', T0, { t_indoor: 17.2 }, 's1', 'compound'),
      metric('longhu-huating', T0, { t_indoor: 16.1 }, 's2', 'compound'),
    ]);
    c.flush();
    const readings = emitted[0]?.readings ?? [];
    expect(readings).toHaveLength(3);
    expect(readings.find((r) => r.sensor === undefined)?.fields).toEqual({ t_supply: 44, t_return: 36 });
    expect(readings.filter((r) => r.sensor !== undefined).map((r) => [r.sensor, r.fields.t_indoor])).toEqual(
      expect.arrayContaining([
        ['s1', 17.2],
        ['s2', 16.1],
      ]),
    );
  });

  it('caps readings per entity per window, keeping the newest and counting the rest', () => {
    const { c, emitted, drops } = setup(['station:dexuan'], 3);
    c.add([5, 1, 4, 2, 3].map((i) => metric('dexuan', T0 + i * 1000, { t2_supply: 40 + i })));
    c.flush();
    expect(emitted[0]?.readings.map((r) => r.time)).toEqual([T0 + 3000, T0 + 4000, T0 + 5000]);
    expect(drops).toEqual([{ entity: 'station:dexuan', n: 2 }]);
  });

  it('keeps no timer and emits nothing when idle, and nothing after close', () => {
    const { c, emitted, ticks } = setup(['station:dexuan']);
    vi.advanceTimersByTime(10_000);
    expect(ticks).toEqual([]);
    c.add([metric('dexuan', T0, { t2_supply: 47 })]);
    c.close();
    vi.advanceTimersByTime(1000);
    c.add([metric('dexuan', T0, { t2_supply: 47 })]);
    vi.advanceTimersByTime(1000);
    expect(emitted).toEqual([]);
    expect(ticks).toEqual([]);
  });
});
