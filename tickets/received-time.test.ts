import { describe, expect, it } from 'vitest';
import { excelSerialToMs, formatShanghai, parseReceivedAt } from './received-time';

const T = Date.parse('2024-12-03T00:15:00Z'); // 08:15 in Shanghai

describe('parseReceivedAt', () => {
  it.each([
    [T, T],
    [String(T), T],
    ['2024-12-03T08:15:00+08:00', T],
    ['2024-12-03T00:15:00Z', T],
    ['2024-12-03 08:15:00', T],
    ['2024-12-03 08:15', T],
    ['2024-12-03T08:15:00', T], // no zone: Shanghai wall time
    ['2024/12/3 8:15', T],
    ['2024.12.03 08:15:00', T],
    ['2024年12月3日 8时15分', T],
    ['2024-12-03', Date.parse('2024-12-02T16:00:00Z')],
  ] as const)('%s', (v, want) => {
    expect(parseReceivedAt(v)).toBe(want);
  });

  it.each(['yesterday', '2024-02-30 08:00:00', '2024-13-01', '2024-12-03 24:00', '', 1.5, -1, 1e20])('refuses %s', (v) => {
    expect(parseReceivedAt(v)).toBeUndefined();
  });

  it('reads Excel dates as Shanghai wall time, and formats it back', () => {
    expect(excelSerialToMs(45629 + (8 * 60 + 15) / 1440)).toBe(T);
    expect(excelSerialToMs(45629 - 1462 + (8 * 60 + 15) / 1440, true)).toBe(T);
    expect(formatShanghai(T)).toBe('2024-12-03 08:15:00');
  });
});
