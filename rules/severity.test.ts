import { describe, expect, it } from 'vitest';
import { maxSeverity, severityFromBands, UNDERHEATING_BANDS } from './severity';

describe('severity', () => {
  it.each([
    [19.5, 'advisory'],
    [18, 'advisory'],
    [17.99, 'low'],
    [16, 'low'],
    [15.9, 'high'],
    [14, 'high'],
    [13.9, 'critical'],
    [5, 'critical'],
  ] as const)('indoor %s °C is %s (regulators’ refund bands)', (c, want) => {
    expect(severityFromBands(c, UNDERHEATING_BANDS)).toBe(want);
  });

  it('has no under-heating tier at 20 °C and above', () => {
    expect(severityFromBands(20, UNDERHEATING_BANDS)).toBeUndefined();
  });

  it('honours atLeast bands and picks the first band that holds', () => {
    const bands = [
      { atLeast: 5, level: 'critical' as const },
      { atLeast: 2, below: 5, level: 'high' as const },
    ];
    expect(severityFromBands(6, bands)).toBe('critical');
    expect(severityFromBands(3, bands)).toBe('high');
    expect(severityFromBands(1, bands)).toBeUndefined();
  });

  it('orders tiers', () => {
    expect(maxSeverity('low', 'critical')).toBe('critical');
    expect(maxSeverity('high', 'advisory')).toBe('high');
  });
});
