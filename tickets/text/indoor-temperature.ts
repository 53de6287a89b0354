// Indoor temperatures quoted in a ticket: "室温只有15度", "屋里才十四五度", "家中室温不到17℃",
// "屋里快三十度了". A number counts only in a clause that is about the flat (室温, 屋里, 家中,
// 温度计 …) and not about the weather (零下, 室外, 气温): "外面零下二十度，家里才十五度" gives 15.

import { parseZhNumber, ZH_NUMERAL_CHARS } from './chinese-numbers';

const NUMBER = `(\\d{1,2}(?:\\.\\d)?|[${ZH_NUMERAL_CHARS}]{1,4})`;
/** A number then a degree unit; NFKC has turned ℃ into °c. */
const TEMPERATURE = new RegExp(`${NUMBER}\\s*(?:多|来)?\\s*(?:摄氏度|度|°c|°|c(?![a-z]))`, 'gu');
const INDOOR = /室温|室内|屋里|屋内|屋子|家里|家中|房间|卧室|客厅|温度计|自测|测量|测了|量了/u;
const OUTDOOR = /零下|室外|外面|气温|户外|最低温|最高温|天气/u;
/** Clause breaks; a full stop between digits is a decimal point, not a break. */
const CLAUSE = /[,，。;；!！?？\n]+|(?<!\d)\.|\.(?!\d)/u;

export interface IndoorTemperature {
  readonly celsius: number;
  /** The words it was read from. */
  readonly found: string;
}

export function indoorTemperatures(text: string): IndoorTemperature[] {
  const out: IndoorTemperature[] = [];
  for (const clause of text.split(CLAUSE)) {
    if (!INDOOR.test(clause) || OUTDOOR.test(clause)) continue;
    for (const m of clause.matchAll(TEMPERATURE)) {
      const raw = m[1] as string;
      const c = /^\d/.test(raw) ? Number(raw) : parseZhNumber(raw);
      if (c !== undefined && Number.isFinite(c) && c > 0 && c < 45) out.push({ celsius: c, found: m[0] });
    }
  }
  return out;
}
