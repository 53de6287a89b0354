// One normalisation for everything we match in Chinese tickets: Unicode compatibility forms
// folded (full-width digits and letters, ℃), traditional characters converted to simplified
// (OpenCC, Taiwan and Hong Kong variants), lower case. Converters are built once: they load dictionaries.

import * as OpenCC from 'opencc-js/t2cn';

const twToCn = OpenCC.Converter({ from: 'tw', to: 'cn' });
const hkToCn = OpenCC.Converter({ from: 'hk', to: 'cn' });

export function normalizeText(s: string): string {
  return twToCn(hkToCn(s.normalize('NFKC'))).toLowerCase();
}

/** Normalised and without any whitespace: for addresses and names, where spaces carry nothing. */
export function normalizeCompact(s: string): string {
  return normalizeText(s).replace(/\s+/g, '');
}
