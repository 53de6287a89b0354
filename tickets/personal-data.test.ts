import { describe, expect, it } from 'vitest';
import { canSeePersonalData, maskPhone, normalizePhone, ROLES } from './personal-data';

describe('personal data', () => {
  it('normalises mainland mobiles and landlines, refuses the rest', () => {
    expect(normalizePhone('138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+86-138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('0086 13812345678')).toBe('13812345678');
    expect(normalizePhone('0937-6221234')).toBe('09376221234');
    for (const bad of ['12345', '1381234567', '23812345678', '138123456789', 'abc', '']) expect(normalizePhone(bad)).toBeUndefined();
  });

  it('masks all but the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('09376221234')).toBe('093****1234');
    expect(maskPhone('1234567')).toBe('*******');
  });

  it('lets only the hotline, dispatchers and crews see numbers', () => {
    expect(ROLES.filter(canSeePersonalData)).toEqual(['dispatcher', 'crew', 'hotline']);
  });
});
