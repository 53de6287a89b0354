import { describe, expect, it } from 'vitest';
import { HYSTERESIS_SIGN, OPERAND_KIND, OPERATOR_NAMES, OPERATORS } from './operators';

describe('operator table', () => {
  it('has a predicate, a hysteresis direction and an operand kind for every operator', () => {
    for (const op of OPERATOR_NAMES) {
      expect(typeof OPERATORS[op]).toBe('function');
      expect([-1, 0, 1]).toContain(HYSTERESIS_SIGN[op]);
      expect(['number', 'scalar', 'list']).toContain(OPERAND_KIND[op]);
    }
  });

  it.each([
    ['lt', 17.9, 18, true],
    ['lt', 18, 18, false],
    ['lte', 18, 18, true],
    ['gt', 18.1, 18, true],
    ['gt', 18, 18, false],
    ['gte', 18, 18, true],
    ['eq', 'stop', 'stop', true],
    ['eq', 'run', 'stop', false],
    ['neq', 'run', 'stop', true],
  ] as const)('%s(%s, %s) is %s', (op, a, b, want) => {
    expect(OPERATORS[op](a, b)).toBe(want);
  });

  it('never compares a state with a number', () => {
    expect(OPERATORS.lt('stop', 18)).toBe(false);
    expect(OPERATORS.gt(5, 'x')).toBe(false);
  });

  it('tests membership for in / notIn and refuses a non-list', () => {
    expect(OPERATORS.in('fault', ['stop', 'fault'])).toBe(true);
    expect(OPERATORS.in('run', ['stop', 'fault'])).toBe(false);
    expect(OPERATORS.notIn('run', ['stop', 'fault'])).toBe(true);
    expect(OPERATORS.in('stop', 'stop')).toBe(false);
    expect(OPERATORS.eq('stop', ['stop'])).toBe(false);
  });

  it('moves thresholds towards normal while an alert is active', () => {
    expect(HYSTERESIS_SIGN.lt).toBe(1);
    expect(HYSTERESIS_SIGN.gt).toBe(-1);
    expect(HYSTERESIS_SIGN.in).toBe(0);
  });
});
