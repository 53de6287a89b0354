// Normalisation, readings, numbers, indoor temperatures and the phrase table.
import { describe, expect, it } from 'vitest';
import { parseZhNumber } from './chinese-numbers';
import { indoorTemperatures } from './indoor-temperature';
import { normalizeCompact, normalizeText } from './normalize';
import { PhraseTable } from './phrase-table';
import { readingsOf, soundAlike } from './readings';

describe('text', () => {
  it('normalises traditional characters and full-width forms', () => {
    expect(normalizeText('龍湖華庭３號樓 暖氣不熱')).toBe('龙湖华庭3号楼 暖气不热');
    expect(normalizeCompact(' 東湖 怡園 ')).toBe('东湖怡园');
  });

  it('knows every reading of a heteronym and compares by sound without tones', () => {
    expect(readingsOf('露')).toEqual(expect.arrayContaining(['lu', 'lou']));
    expect(soundAlike('庭', '亭')).toBe(true);
    expect(soundAlike('气', '器')).toBe(true);
    expect(soundAlike('气', '堵')).toBe(false);
    expect(readingsOf('3')).toEqual([]);
  });

  it.each([
    ['十五', 15],
    ['二十三', 23],
    ['两', 2],
    ['一百零一', 101],
    ['五零一', 501],
    ['十四五', 14],
    ['二十七八', 27],
    ['十几', 15],
    ['abc', undefined],
  ] as const)('reads %s', (s, n) => {
    expect(parseZhNumber(s)).toBe(n);
  });

  it('reads indoor temperatures, not the weather', () => {
    expect(indoorTemperatures('外面零下二十度，家里才十五度').map((t) => t.celsius)).toEqual([15]);
    expect(indoorTemperatures('室温只有14.5℃'.normalize('NFKC').toLowerCase()).map((t) => t.celsius)).toEqual([14.5]);
    expect(indoorTemperatures('屋里快三十度了').map((t) => t.celsius)).toEqual([30]);
    expect(indoorTemperatures('家中有八十多岁的老人，3号楼501')).toEqual([]);
  });

  it('matches leftmost-longest, tolerating one same-sound slip but not two', () => {
    const t = new PhraseTable([
      { phrase: '不热', tag: 'cold' },
      { phrase: '不太热', tag: 'cold' },
      { phrase: '太热', tag: 'hot' },
      { phrase: '气堵', tag: 'air' },
      { phrase: '楼道', tag: 'place', exact: true },
    ]);
    const m = (s: string) => t.match([...s]).map((x) => [x.found, x.tag, x.slip]);
    expect(m('暖气不太热')).toEqual([['不太热', 'cold', false]]);
    expect(m('暖气太热了')).toEqual([['太热', 'hot', false]]);
    expect(m('汽堵')).toEqual([['汽堵', 'air', true]]);
    expect(m('十七度')).toEqual([]);
    expect(m('漏到')).toEqual([]);
  });
});
