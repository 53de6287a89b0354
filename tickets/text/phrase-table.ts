// A table of phrases compiled once, matched leftmost-longest without overlaps, tolerant of one
// same-sound slip per phrase (暖器 → 暖气, 循还 → 循环, 不惹 → 不热): hotline operators type by
// pinyin, and a slip must not hide the meaning. Two or more wrong characters are not a slip
// (七度 is not 气堵). Phrases are indexed by their first and second character, so a text is
// scanned once per position, never with a regex built per phrase.

import { normalizeCompact } from './normalize';
import { soundAlike } from './readings';

export interface PhraseEntry<T> {
  readonly phrase: string;
  readonly tag: T;
  /** Match only exactly (short or easily confused phrases). */
  readonly exact?: boolean;
}

export interface PhraseMatch<T> {
  /** Character offsets (code points) in the matched text, end exclusive. */
  readonly start: number;
  readonly end: number;
  readonly phrase: string;
  /** What the text actually says there. */
  readonly found: string;
  readonly tag: T;
  /** True when one character differed by sound only. */
  readonly slip: boolean;
}

interface Compiled<T> {
  readonly chars: readonly string[];
  readonly entry: PhraseEntry<T>;
}

export class PhraseTable<T> {
  private readonly byFirst = new Map<string, Compiled<T>[]>();
  private readonly bySecond = new Map<string, Compiled<T>[]>();

  constructor(entries: readonly PhraseEntry<T>[]) {
    for (const entry of entries) {
      const chars = [...normalizeCompact(entry.phrase)];
      if (chars.length === 0) throw new Error(`phrase table: empty phrase for tag ${String(entry.tag)}`);
      const c: Compiled<T> = { chars, entry };
      push(this.byFirst, chars[0] as string, c);
      if (chars.length >= 2 && entry.exact !== true) push(this.bySecond, chars[1] as string, c);
    }
  }

  /** Matches in `chars` (a normalised text split into code points), leftmost-longest, no overlaps. */
  match(chars: readonly string[]): PhraseMatch<T>[] {
    const found: PhraseMatch<T>[] = [];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i] as string;
      for (const c of this.byFirst.get(ch) ?? []) {
        const slip = windowAt(chars, i, c, 1);
        if (slip !== undefined) found.push(toMatch(chars, i, c, slip));
      }
      if (i >= 1) {
        // The first character slipped: anchored on the second, compare the first by sound.
        for (const c of this.bySecond.get(ch) ?? []) {
          const first = chars[i - 1] as string;
          if (first === c.chars[0] || !soundAlike(first, c.chars[0] as string)) continue;
          if (windowAt(chars, i - 1, c, 1, true) !== undefined) found.push(toMatch(chars, i - 1, c, true));
        }
      }
    }
    found.sort((a, b) => b.end - b.start - (a.end - a.start) || Number(a.slip) - Number(b.slip) || a.start - b.start);
    const taken = new Uint8Array(chars.length);
    const out: PhraseMatch<T>[] = [];
    for (const m of found) {
      let free = true;
      for (let k = m.start; k < m.end && free; k++) free = taken[k] === 0;
      if (!free) continue;
      taken.fill(1, m.start, m.end);
      out.push(m);
    }
    return out.sort((a, b) => a.start - b.start);
  }
}

function push<T>(m: Map<string, Compiled<T>[]>, k: string, c: Compiled<T>): void {
  const list = m.get(k);
  if (list) list.push(c);
  else m.set(k, [c]);
}

/**
 * Whether phrase `c` sits at `i`, comparing from character `from` (earlier ones already checked):
 * undefined when not, else whether a slip was needed. `slipUsed` when the caller spent the one slip.
 */
function windowAt<T>(chars: readonly string[], i: number, c: Compiled<T>, from: number, slipUsed = false): boolean | undefined {
  const n = c.chars.length;
  if (i + n > chars.length) return undefined;
  let slip = slipUsed;
  for (let j = from; j < n; j++) {
    const t = chars[i + j] as string;
    const p = c.chars[j] as string;
    if (t === p) continue;
    if (slip || c.entry.exact === true || !soundAlike(t, p)) return undefined;
    slip = true;
  }
  return slip;
}

function toMatch<T>(chars: readonly string[], i: number, c: Compiled<T>, slip: boolean): PhraseMatch<T> {
  const end = i + c.chars.length;
  return { start: i, end, phrase: c.chars.join(''), found: chars.slice(i, end).join(''), tag: c.entry.tag, slip };
}
