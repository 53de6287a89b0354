// Chinese numerals as callers say them: 十五, 二十三, 两, 一百零一 (up to 999), digit by digit
// (五零一), and the spoken range "十四五" (fourteen or fifteen: the lower is taken).

// 几 ("十几度": some ten-odd) is read as 5, the middle of its range.
const DIGIT: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 几: 5 };

export const ZH_NUMERAL_CHARS = '零〇一二两三四五六七八九十百几';

/** The value of a Chinese numeral string, or undefined when it is not one. */
export function parseZhNumber(s: string): number | undefined {
  if (s.length === 0) return undefined;
  // "十四五" / "二十七八": a range said as one word; drop the last digit.
  const range = /^(.*[十])?([一二三四五六七八九])([一二三四五六七八九])$/.exec(s);
  if (range && range[1] !== undefined && DIGIT[range[3] as string] === (DIGIT[range[2] as string] ?? -9) + 1) {
    return parseZhNumber(`${range[1]}${range[2]}`);
  }
  let total = 0;
  let digit: number | undefined;
  let seenUnit = false;
  for (const ch of s) {
    if (ch === '百') {
      total += (digit ?? 1) * 100;
      digit = undefined;
      seenUnit = true;
    } else if (ch === '十') {
      total += (digit ?? 1) * 10;
      digit = undefined;
      seenUnit = true;
    } else {
      const d = DIGIT[ch];
      if (d === undefined) return undefined;
      if (digit !== undefined && !seenUnit) {
        // Digit by digit ("五零一" = 501), as rooms are read out.
        digit = digit * 10 + d;
        continue;
      }
      digit = d;
    }
  }
  return total + (digit ?? 0);
}
