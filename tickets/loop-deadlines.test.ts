import { describe, expect, it } from 'vitest';
import { loopTimeliness, type LoopDeadlines } from './loop-deadlines';

const H = 3_600_000;
const D: LoopDeadlines = { dispatched: 0.5 * H, resolved: 24 * H, supervised: 48 * H, 'followed-up': 72 * H };
const T = Date.parse('2025-01-10T00:00:00Z');

describe('loopTimeliness', () => {
  it('gives each later stage its due time from receipt', () => {
    const r = loopTimeliness({ stage: 'received', at: { received: T } }, T, D, T);
    expect(r.dueAt).toEqual({ dispatched: T + 0.5 * H, resolved: T + 24 * H, supervised: T + 48 * H, 'followed-up': T + 72 * H });
    expect(r.overdue).toEqual([]);
    expect(r.late).toEqual([]);
  });

  it('flags stages not reached once their time is up, and stages reached late', () => {
    const loop = { stage: 'dispatched' as const, at: { received: T, dispatched: T + H } };
    const r = loopTimeliness(loop, T, D, T + 30 * H);
    expect(r.late).toEqual(['dispatched']);
    expect(r.overdue).toEqual(['resolved']);
    expect(loopTimeliness(loop, T, D, T + 50 * H).overdue).toEqual(['resolved', 'supervised']);
  });

  it('does not flag a stage the item went past (stages may be skipped)', () => {
    const loop = { stage: 'followed-up' as const, at: { received: T, resolved: T + 2 * H, 'followed-up': T + 80 * H } };
    const r = loopTimeliness(loop, T, D, T + 100 * H);
    expect(r.overdue).toEqual([]);
    expect(r.late).toEqual(['followed-up']);
  });

  it('takes an item\'s own deadline for a stage when given', () => {
    const loop = { stage: 'dispatched' as const, at: { received: T, dispatched: T + 0.1 * H } };
    expect(loopTimeliness(loop, T, D, T + 5 * H, { resolved: T + 4 * H }).overdue).toEqual(['resolved']);
    expect(loopTimeliness(loop, T, D, T + 3 * H, { resolved: T + 4 * H }).overdue).toEqual([]);
  });
});
