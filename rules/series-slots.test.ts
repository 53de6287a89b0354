import { describe, expect, it } from 'vitest';
import { FIELD_NAMES, FIELD_SLOTS, SlotValues } from './series-slots';

describe('SlotValues', () => {
  it('reads a slot never written as absent, then its newest value and time', () => {
    const s = new SlotValues(2);
    expect(s.value(1)).toBeUndefined();
    expect(s.time(1)).toBe(Number.NEGATIVE_INFINITY);
    s.set(1, 41.5, 1000);
    s.set(1, 42.25, 2000);
    expect(s.value(1)).toBe(42.25);
    expect(s.time(1)).toBe(2000);
    expect(s.value(0)).toBeUndefined();
  });

  it('keeps values that are not numbers beside the numbers, and forgets a cleared slot', () => {
    const s = new SlotValues(1);
    s.set(0, 'stop', 10);
    expect(s.value(0)).toBe('stop');
    s.set(0, false, 11);
    expect(s.value(0)).toBe(false);
    s.set(0, 3, 12);
    expect(s.value(0)).toBe(3);
    s.clear(0);
    expect(s.value(0)).toBeUndefined();
    expect(s.time(0)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('grows past its first slots (indoor sensors come after the fields) without losing values', () => {
    const s = new SlotValues(FIELD_NAMES.compound.length);
    const first = FIELD_SLOTS.compound.get('t_supply') as number;
    s.set(first, 55, 1);
    for (let k = 0; k < 9; k++) s.set(FIELD_NAMES.compound.length + k, 20 + k, 2);
    expect(s.value(first)).toBe(55);
    expect(s.value(FIELD_NAMES.compound.length + 8)).toBe(28);
    expect(s.slots).toBeGreaterThanOrEqual(FIELD_NAMES.compound.length + 9);
  });
});
