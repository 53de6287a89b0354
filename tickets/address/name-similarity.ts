// How well a compound name is found inside what a caller said: a weighted Damerau–Levenshtein
// alignment of the whole name against the best-fitting stretch of the spelling (extra words
// around it are free). Costs follow how hotline spellings go wrong:
//   same-sound character (龙湖华亭 for 龙湖华庭)   0.25   an input-method slip
//   two neighbours swapped (龙湖庭华)                0.5
//   character dropped or doubled (龙湖庭, 德轩轩)    0.6
//   any other character                             1
// The result also says how much of the spelling the name covers, so a two-character alias found
// inside a longer spelling counts for less than a full name that is the whole spelling.

import { shareSound, soundKeys } from '../text/readings';

export const COST = { sound: 0.25, swap: 0.5, gap: 0.6, other: 1 } as const;

export interface Alignment {
  /** Total edit cost of the name against its best stretch. */
  readonly cost: number;
  /** 1 − cost / name length, at least 0. */
  readonly similarity: number;
  /** Share of the spelling's characters inside the aligned stretch, in (0, 1]. */
  readonly coverage: number;
  /** Some substitution was by sound only. */
  readonly bySound: boolean;
}

/** A string prepared for alignment: its code points and their readings. */
export interface Spelled {
  readonly chars: readonly string[];
  readonly sounds: ReadonlyArray<readonly number[]>;
}

export function spelled(s: string | readonly string[]): Spelled {
  const chars = typeof s === 'string' ? [...s] : s;
  return { chars, sounds: soundKeys(chars) };
}

// Scratch tables reused by every call (alignment runs thousands of times per import).
let cost = new Float64Array(256);
let start = new Int32Array(256);
let sound = new Uint8Array(256);

/** Aligns `name` (all of it) with the best stretch of `spelling`. */
export function alignName(nameS: Spelled, spellingS: Spelled): Alignment {
  const name = nameS.chars;
  const spelling = spellingS.chars;
  const n = name.length;
  const m = spelling.length;
  if (n === 0 || m === 0) return { cost: n, similarity: 0, coverage: 0, bySound: false };
  const W = m + 1;
  const size = (n + 1) * W;
  if (size > cost.length) {
    cost = new Float64Array(size * 2);
    start = new Int32Array(size * 2);
    sound = new Uint8Array(size * 2);
  }
  // cost[i][j]: name[0..i) aligned ending at spelling[j); start[i][j]: where that stretch begins.
  for (let j = 0; j <= m; j++) {
    cost[j] = 0;
    start[j] = j; // a free start anywhere in the spelling
    sound[j] = 0;
  }
  for (let i = 1; i <= n; i++) {
    cost[i * W] = i * COST.gap;
    start[i * W] = 0;
    sound[i * W] = 0;
    for (let j = 1; j <= m; j++) {
      const a = name[i - 1] as string;
      const b = spelling[j - 1] as string;
      const k = i * W + j;
      let sub: number = COST.other;
      let bySound = 0;
      if (a === b) sub = 0;
      else if (shareSound(nameS.sounds[i - 1] as readonly number[], spellingS.sounds[j - 1] as readonly number[])) {
        sub = COST.sound;
        bySound = 1;
      }
      let best = (cost[(i - 1) * W + j - 1] as number) + sub;
      let from = (i - 1) * W + j - 1;
      let s = bySound;
      const del = (cost[(i - 1) * W + j] as number) + COST.gap; // name character missing in the spelling
      if (del < best) {
        best = del;
        from = (i - 1) * W + j;
        s = 0;
      }
      const ins = (cost[i * W + j - 1] as number) + COST.gap; // extra character in the spelling
      if (ins < best) {
        best = ins;
        from = i * W + j - 1;
        s = 0;
      }
      if (i >= 2 && j >= 2 && a === spelling[j - 2] && name[i - 2] === b && a !== b) {
        const tr = (cost[(i - 2) * W + j - 2] as number) + COST.swap;
        if (tr < best) {
          best = tr;
          from = (i - 2) * W + j - 2;
          s = 0;
        }
      }
      cost[k] = best;
      start[k] = start[from] as number;
      sound[k] = s | (sound[from] as number);
    }
  }
  // A free end: the best column of the last row; ties go to the longer stretch.
  let bestJ = 1;
  for (let j = 1; j <= m; j++) {
    const c = cost[n * W + j] as number;
    if (c < (cost[n * W + bestJ] as number) - 1e-9) bestJ = j;
  }
  const total = cost[n * W + bestJ] as number;
  const from = start[n * W + bestJ] as number;
  return {
    cost: total,
    similarity: Math.max(0, 1 - total / n),
    coverage: Math.max(1, bestJ - from) / m,
    bySound: (sound[n * W + bestJ] as number) === 1,
  };
}
