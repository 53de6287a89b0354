// Password hashing with node:crypto scrypt (memory-hard; no native dependency). Stored form:
//   scrypt$<N>$<r>$<p>$<salt, base64url>$<key, base64url>
// so that the cost can be raised later and old hashes still verify. Comparison in constant time.

import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** About 32 MiB and tens of milliseconds per hash on a server core. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Longer passwords are refused before hashing: hashing cost must not be the attacker's choice. */
export const MAX_PASSWORD_CHARS = 256;
export const MIN_PASSWORD_CHARS = 12;

function scrypt(password: string, salt: Buffer, keylen: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keylen, o, (e, key) => (e ? reject(e) : resolve(key))));
}

const maxmem = (q: ScryptParams): number => 128 * q.N * q.r * q.p * 2 + 1024 * 1024;

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (password.length > MAX_PASSWORD_CHARS) throw new RangeError(`password longer than ${MAX_PASSWORD_CHARS} characters`);
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { ...params, maxmem: maxmem(params) });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** False for a wrong password and for a malformed stored hash; never throws for bad input. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== 'string' || password.length > MAX_PASSWORD_CHARS) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((x) => Number.isInteger(x) && x > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const want = Buffer.from(parts[5] as string, 'base64url');
  if (want.length < 16) return false;
  let got: Buffer;
  try {
    got = await scrypt(password, salt, want.length, { N, r, p, maxmem: maxmem({ N, r, p }) });
  } catch {
    return false;
  }
  return timingSafeEqual(got, want);
}

/** A password for a seeded account: 24 characters of base64url (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Why a new password is not acceptable, or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_CHARS) return `must be at least ${MIN_PASSWORD_CHARS} characters`;
  if (password.length > MAX_PASSWORD_CHARS) return `must be at most ${MAX_PASSWORD_CHARS} characters`;
  return undefined;
}
