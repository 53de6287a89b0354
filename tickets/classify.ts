// What a ticket is about, from its text (诉求内容): heating not warm, no circulation / air lock /
// half-warm radiator, a leak, another heating matter (fees, 报停, noise, too hot), or not heating.
//
// Steps: normalise (traditional → simplified, full-width → ASCII), find the signal phrases
// (tickets/classify-tables.ts, one same-sound slip tolerated), read quoted indoor temperatures,
// then decide by precedence: without any heating context it is not heating; a leak is urgent and
// wins; a circulation symptom explains "not warm" more precisely, so it beats plain cold; cold
// beats the other heating matters ("暖气不热，要求退还暖气费" is a cold complaint).
// Neighbours being warm does not make the caller warm: "邻居家都热就我家不热" is not warm, because
// "热" alone is no signal and "不热" is.

import { COLD_C, FLAT_COLD, FLAT_NOT_WARM, HALF_WARM, HALF_WARM_REVERSED, HOT_C, SIGNAL_PHRASES, type Signal, type SignalTag } from './classify-tables';
import { indoorTemperatures } from './text/indoor-temperature';
import { normalizeText } from './text/normalize';
import { PhraseTable } from './text/phrase-table';
import type { Classification, Evidence, TicketCategory } from './ticket-model';

const table = new PhraseTable<SignalTag>(SIGNAL_PHRASES);
const NEGATED_END = /[不没未]\S?$/u;

/** Which signal decides, in order, and the category it gives. */
const PRECEDENCE: ReadonlyArray<readonly [Signal, TicketCategory]> = [
  ['leak', 'heating-leak'],
  ['circulation', 'heating-no-circulation'],
  ['cold', 'heating-not-warm'],
  ['hot', 'heating-other'],
  ['fee', 'heating-other'],
  ['stop', 'heating-other'],
  ['noise', 'heating-other'],
  ['other', 'heating-other'],
];

export function classifyTicket(text: string): Classification {
  const chars = [...normalizeText(text).replace(/\s+/g, '')];
  const hits = new Map<Signal, Evidence[]>();
  const add = (s: Signal, e: Evidence): void => {
    const list = hits.get(s);
    if (list) list.push(e);
    else hits.set(s, [e]);
  };
  let context: Evidence | undefined;

  // The patterns below read the text with slips put right ("前面热后面不惹" → "…不热").
  const fixed = [...chars];
  for (const m of table.match(chars)) {
    const detail = m.slip ? `${m.found} (= ${m.phrase})` : m.found;
    if (m.tag.context && context === undefined) context = { kind: 'heating', detail };
    add(m.tag.signal, { kind: m.tag.signal, detail });
    if (m.slip) fixed.splice(m.start, m.end - m.start, ...m.phrase);
  }
  const norm = fixed.join('');
  const half = HALF_WARM.exec(norm) ?? HALF_WARM_REVERSED.exec(norm);
  if (half) {
    add('circulation', { kind: 'circulation', detail: half[0] });
    context ??= { kind: 'heating', detail: half[0] };
  }
  const flat = FLAT_COLD.exec(norm);
  const cold = flat && !NEGATED_END.test(flat[0].slice(0, -1)) ? flat : FLAT_NOT_WARM.exec(norm);
  if (cold) {
    add('cold', { kind: 'cold', detail: cold[0] });
    context ??= { kind: 'heating', detail: cold[0] };
  }
  for (const t of indoorTemperatures(norm)) {
    if (t.celsius < COLD_C) add('cold', { kind: 'indoor-temperature', detail: t.found });
    else if (t.celsius >= HOT_C) add('hot', { kind: 'indoor-temperature', detail: t.found });
    else continue;
    context ??= { kind: 'heating', detail: t.found };
  }

  if (context === undefined) return { category: 'non-heating', evidence: [] };
  for (const [signal, category] of PRECEDENCE) {
    const ev = hits.get(signal);
    if (ev !== undefined) return { category, evidence: dedupe([context, ...ev]) };
  }
  return { category: 'heating-other', evidence: [context] };
}

function dedupe(ev: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of ev) {
    const k = `${e.kind}\u0000${e.detail}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out.slice(0, 8);
}
