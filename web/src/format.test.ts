import { describe, expect, it } from 'vitest';
import { dateTime, monthDay, startOfDay, zoneOffsetMs } from './format';

describe('format in Asia/Shanghai', () => {
  const t = Date.parse('2025-01-15T17:30:00Z'); // 01:30 on the 16th in Shanghai
  it('knows the zone offset and local midnight', () => {
    expect(zoneOffsetMs(t)).toBe(8 * 3_600_000);
    expect(startOfDay(t)).toBe(Date.parse('2025-01-15T16:00:00Z'));
    expect(dateTime(startOfDay(t))).toBe('01-16 00:00');
  });
  it('formats month and day locally', () => {
    expect(monthDay(t)).toBe('01-16');
  });
});
