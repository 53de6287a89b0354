import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, MAX_PASSWORD_CHARS, passwordProblem, verifyPassword } from './password';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, with a fresh salt per hash and the cost in the stored form', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('refuses malformed hashes, absurd costs and over-long passwords without throwing', async () => {
    const good = await hashPassword('p'.repeat(20), FAST);
    for (const bad of ['', 'scrypt$', 'bcrypt$1$2$3$4$5', good.replace('scrypt$1024', 'scrypt$4194304'), good.replace(/\$[^$]+$/, '$AAAA')]) {
      expect(await verifyPassword('p'.repeat(20), bad)).toBe(false);
    }
    expect(await verifyPassword('x'.repeat(MAX_PASSWORD_CHARS + 1), good)).toBe(false);
    await expect(hashPassword('x'.repeat(MAX_PASSWORD_CHARS + 1), FAST)).rejects.toThrow(RangeError);
  });

  it('generated passwords are long and distinct; short ones are refused with a reason', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(a);
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('long enough password')).toBeUndefined();
  });
});
