import { describe, expect, it } from 'vitest';
import { ReorderBuffer } from './event-time';
import { station } from './test-fixtures';

describe('reorder buffer', () => {
  it('releases instants earliest first, series sorted within an instant', () => {
    const b = new ReorderBuffer();
    b.add(station('xingfu', 30, { flow2: 1 }));
    b.add(station('dexuan', 10, { flow2: 2 }));
    b.add(station('dexuan', 30, { flow2: 3 }));
    b.add(station('xiyu', 20, { flow2: 4 }));
    expect(b.size).toBe(4);
    const order: string[] = [];
    for (let x = b.takeEarliest(); x !== undefined; x = b.takeEarliest()) order.push(...x.metrics.map((m) => `${x.time}:${m.tags.id}`));
    expect(order).toEqual(['10:dexuan', '20:xiyu', '30:dexuan', '30:xingfu']);
    expect(b.size).toBe(0);
  });

  it('merges readings of one series at one instant', () => {
    const b = new ReorderBuffer();
    b.add(station('dexuan', 10, { flow2: 2, t2_supply: 50 }));
    b.add(station('dexuan', 10, { flow2: 3 }));
    expect(b.takeEarliest()?.metrics).toEqual([station('dexuan', 10, { flow2: 3, t2_supply: 50 })]);
  });
});
