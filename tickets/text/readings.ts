// Toneless pinyin readings of a character, every reading of a heteronym (露: lu, lou), cached.
// Operators type by pinyin without tones, so a wrong character usually shares one reading with
// the right one (龙湖华亭 for 龙湖华庭, 暖器 for 暖气); tones are not compared on purpose.

import { pinyin } from 'pinyin-pro';

const HAN = /^\p{Script=Han}$/u;
const cache = new Map<string, readonly string[]>();
const NONE: readonly string[] = [];

export function readingsOf(ch: string): readonly string[] {
  let r = cache.get(ch);
  if (r === undefined) {
    r = HAN.test(ch) ? [...new Set(pinyin(ch, { multiple: true, type: 'array', toneType: 'none' }))] : NONE;
    cache.set(ch, r);
  }
  return r;
}

/** Two different characters that an input method could confuse: they share a toneless reading. */
export function soundAlike(a: string, b: string): boolean {
  if (a === b) return true;
  const ra = readingsOf(a);
  if (ra.length === 0) return false;
  const rb = readingsOf(b);
  return ra.some((x) => rb.includes(x));
}

const soundIds = new Map<string, number>();

/** The readings of each character as small integers, for comparing many times (alignment loops). */
export function soundKeys(chars: readonly string[]): ReadonlyArray<readonly number[]> {
  return chars.map((c) =>
    readingsOf(c).map((r) => {
      let id = soundIds.get(r);
      if (id === undefined) {
        id = soundIds.size;
        soundIds.set(r, id);
      }
      return id;
    }),
  );
}

/** Whether two characters' sound keys share a reading. */
export function shareSound(a: readonly number[], b: readonly number[]): boolean {
  for (const x of a) for (const y of b) if (x === y) return true;
  return false;
}
