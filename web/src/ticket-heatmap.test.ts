import { describe, expect, it } from 'vitest';
import { ticketGrid } from './ticket-heatmap';
import type { Ticket } from './ticket-types';

const day0 = Date.parse('2025-01-10T16:00:00Z'); // 00:00 on the 11th in Shanghai
const tk = (at: number, compoundId?: string): Ticket => ({ receivedAt: at, resolution: { ...(compoundId ? { compoundId } : {}) } }) as unknown as Ticket;
const names: Record<string, { name: string; tailEnd: boolean }> = { a: { name: '龙湖华庭', tailEnd: true }, b: { name: '德轩小区', tailEnd: false } };

describe('ticket heat-map grid', () => {
  it('counts tickets per compound and Shanghai day, busiest compound first', () => {
    const g = ticketGrid(
      [tk(day0 + 3_600_000, 'a'), tk(day0 + 23 * 3_600_000, 'a'), tk(day0 + 25 * 3_600_000, 'a'), tk(day0 + 2 * 3_600_000, 'b'), tk(day0 + 5 * 3_600_000)],
      day0,
      3,
      (id) => names[id],
      10,
    );
    expect(g.days).toEqual(['2025-01-11', '2025-01-12', '2025-01-13']);
    expect(g.rows.map((r) => [r.name, r.counts, r.tailEnd])).toEqual([
      ['龙湖华庭', [2, 1, 0], true],
      ['德轩小区', [1, 0, 0], false],
    ]);
    expect(g.unplaced).toBe(1);
  });

  it('leaves out tickets outside the days and keeps at most maxRows rows', () => {
    const g = ticketGrid([tk(day0 - 1, 'a'), tk(day0 + 1, 'b')], day0, 1, (id) => names[id], 1);
    expect(g.rows.map((r) => r.compoundId)).toEqual(['b']);
  });
});
