// Every name a compound is known by — its name, with or without 小区, its aliases from the network
// model, and spellings people taught by confirming tickets — and a scored lookup of a caller's
// spelling against them: exact, abbreviated (龙湖 for 龙湖华庭), same-sound (龙湖华亭), slipped
// (龙湖庭, 龙湖庭华). Candidates are found through an index of pinyin syllables, so a spelling is
// aligned only with names that share enough of its sounds, not with all of them.

import type { NetworkModel } from '../../domain/network';
import { normalizeCompact } from '../text/normalize';
import { readingsOf } from '../text/readings';
import type { MatchMethod } from '../ticket-model';
import { alignName, spelled, type Spelled } from './name-similarity';

export type VariantKind = 'name' | 'alias' | 'learned';

interface Variant {
  readonly compoundId: string;
  readonly text: string;
  readonly chars: readonly string[];
  readonly spelled: Spelled;
  /** Without a trailing 小区; what abbreviations are taken from. */
  readonly core: readonly string[];
  readonly kind: VariantKind;
  readonly weight: number;
  /** Distinct syllables of its core: a spelling must share enough of them to be aligned at all. */
  readonly syllableCount: number;
  /** For a learned spelling: which lesson it came from (a later lesson for the same spelling replaces it). */
  readonly lesson?: number;
}

export interface NameMatch {
  readonly compoundId: string;
  readonly score: number;
  readonly method: MatchMethod;
  /** The known name it matched. */
  readonly name: string;
}

/**
 * A listed name counts fully; an alias of one compound nearly as much; an alias the network gives
 * to several compounds (钢花 for five of them) is weak evidence for each, and loses to a compound
 * whose own name it is (阳光 → 阳光小区 rather than 阳光家园).
 */
const WEIGHT = { name: 1, alias: 0.97, sharedAlias: 0.88, learned: 0.99 } as const;
const SUFFIX = '小区';

export class NameIndex {
  private readonly variants: Variant[] = [];
  private readonly bySyllable = new Map<string, Set<number>>();
  /** Learned spelling → its current lesson. */
  private readonly learned = new Map<string, { compoundId: string; lesson: number }>();
  private lessons = 0;
  /** Short forms (without 小区) that several compounds answer to. */
  private readonly sharedForms: ReadonlySet<string>;

  constructor(network: NetworkModel) {
    // Who answers to each short form: aliases, and names said without 小区 (西城 is 西城小区's name
    // and also an alias of four other 西城 compounds: said alone, it fits all five equally).
    const owners = new Map<string, Set<string>>();
    for (const c of network.compounds) {
      for (const n of [c.name, ...c.aliases]) {
        const k = stripSuffix(normalizeCompact(n));
        owners.set(k, (owners.get(k) ?? new Set<string>()).add(c.id));
      }
    }
    this.sharedForms = new Set([...owners].filter(([, ids]) => ids.size > 1).map(([k]) => k));
    for (const c of network.compounds) {
      this.add(c.id, c.name, 'name', WEIGHT.name);
      for (const a of c.aliases) this.add(c.id, a, 'alias', WEIGHT.alias);
    }
  }

  /** Teach a spelling (replaces an earlier lesson for the same spelling). */
  learn(spelling: string, compoundId: string): void {
    const text = stripSuffix(normalizeCompact(spelling));
    if (text.length === 0 || this.learned.get(text)?.compoundId === compoundId) return;
    const lesson = ++this.lessons;
    this.learned.set(text, { compoundId, lesson });
    this.add(compoundId, text, 'learned', WEIGHT.learned, lesson);
  }

  /** The compound a spelling was taught for, if any. */
  learnedFor(spelling: string): string | undefined {
    return this.learned.get(stripSuffix(normalizeCompact(spelling)))?.compoundId;
  }

  /** Whether the spelling is exactly a listed name or alias of some compound. */
  isListedName(spelling: string): string[] {
    const text = stripSuffix(normalizeCompact(spelling));
    return [...new Set(this.variants.filter((v) => v.kind !== 'learned' && stripSuffix(v.text) === text).map((v) => v.compoundId))];
  }

  /** Best match per compound, best first. */
  match(spelling: string): NameMatch[] {
    const chars = [...spelling];
    if (chars.length === 0) return [];
    const core = [...stripSuffix(spelling)];
    const spell = spelled(chars);
    const best = new Map<string, NameMatch>();
    const consider = (m: NameMatch): void => {
      const old = best.get(m.compoundId);
      if (old === undefined || m.score > old.score) best.set(m.compoundId, m);
    };
    for (const i of this.candidates(core)) {
      const v = this.variants[i] as Variant;
      if (v.lesson !== undefined && this.learned.get(stripSuffix(v.text))?.lesson !== v.lesson) continue; // replaced by a later lesson
      const a = alignName(v.spelled, spell);
      if (a.similarity > 0) {
        const score = a.similarity * (0.7 + 0.3 * a.coverage) * v.weight;
        const method: MatchMethod = a.cost === 0 ? (v.kind === 'learned' ? 'learned' : v.kind) : a.bySound && a.cost <= 0.25 * v.chars.length ? 'homophone' : 'typo';
        consider({ compoundId: v.compoundId, score, method, name: v.text });
      }
      // An abbreviation: the first characters of the name ("龙湖" for 龙湖华庭), or its first
      // character and some later ones in order ("龙庭").
      if (core.length >= 2 && core.length < v.core.length && core[0] === v.core[0]) {
        const prefix = core.every((c, k) => v.core[k] === c);
        // An abbreviation that several compounds answer to is no better than that shared form.
        const w = this.sharedForms.has(core.join('')) ? Math.min(v.weight, WEIGHT.sharedAlias) : v.weight;
        if (prefix || isSubsequence(core, v.core)) consider({ compoundId: v.compoundId, score: (prefix ? 0.9 : 0.7) * w, method: 'abbrev', name: v.text });
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || (a.compoundId < b.compoundId ? -1 : 1));
  }

  private add(compoundId: string, name: string, kind: VariantKind, weight: number, lesson?: number): void {
    const text = normalizeCompact(name);
    const base = stripSuffix(text);
    const sounds = syllables([...base]);
    const syllableCount = sounds.size;
    // Callers add or drop 小区 after a name freely: keep both spellings. Not after an alias: "阳光小区"
    // is a compound's name, not 阳光家园 (alias 阳光) with 小区 added.
    const spellings = kind === 'alias' ? [text, base] : [text, base, `${base}${SUFFIX}`];
    for (const t of new Set(spellings)) {
      if (t.length === 0) continue;
      const i = this.variants.length;
      // A form several compounds answer to is weak evidence for each; a name said in full is not.
      const w = kind !== 'learned' && this.sharedForms.has(t) ? WEIGHT.sharedAlias : weight;
      this.variants.push({ compoundId, text: t, chars: [...t], spelled: spelled(t), core: [...base], kind, weight: w, syllableCount, ...(lesson === undefined ? {} : { lesson }) });
      for (const syl of sounds) {
        const set = this.bySyllable.get(syl) ?? new Set<number>();
        set.add(i);
        this.bySyllable.set(syl, set);
      }
    }
  }

  /**
   * Variants sharing enough syllables with the spelling's core (小区 says nothing): all but one of
   * the shorter of the two, and at least two (an abbreviation or an alias shares all of its own).
   */
  private candidates(core: readonly string[]): number[] {
    const mine = syllables(core);
    const counts = new Map<number, number>();
    for (const syl of mine) {
      for (const i of this.bySyllable.get(syl) ?? []) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const out: number[] = [];
    for (const [i, n] of counts) {
      const shorter = Math.min((this.variants[i] as Variant).syllableCount, mine.size);
      if (n >= Math.min(shorter, Math.max(2, shorter - 1))) out.push(i);
    }
    return out;
  }
}

export function stripSuffix(s: string): string {
  return s.endsWith(SUFFIX) && s.length > SUFFIX.length ? s.slice(0, -SUFFIX.length) : s;
}

/** Distinct syllables of the characters; a character without a reading stands for itself. */
function syllables(chars: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const c of chars) {
    const r = readingsOf(c);
    if (r.length === 0) out.add(c);
    else for (const x of r) out.add(x);
  }
  return out;
}

function isSubsequence(short: readonly string[], long: readonly string[]): boolean {
  let k = 0;
  for (const c of long) if (c === short[k]) k++;
  return k === short.length;
}
