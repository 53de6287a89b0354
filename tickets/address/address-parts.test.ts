// Splitting addresses into places, the compound spelling and the flat.
import { describe, expect, it } from 'vitest';
import { jiayuguan } from '../testing/ticket-api-harness';
import { AddressParser, parseFlat } from './address-parts';
import { PlaceIndex } from './place-index';

describe('parseFlat', () => {
  it.each([
    ['3号楼2单元501室', { building: 3, unit: 2, room: '501', floor: 5 }],
    ['3-2-501', { building: 3, unit: 2, room: '501', floor: 5 }],
    ['3#501', { building: 3, room: '501', floor: 5 }],
    ['3栋', { building: 3 }],
    ['3#2单元', { building: 3, unit: 2 }],
    ['3-2', { building: 3, unit: 2 }],
    ['12号楼3单元1203', { building: 12, unit: 3, room: '1203', floor: 12 }],
    ['3号楼2单元5楼', { building: 3, unit: 2, floor: 5 }],
    ['4幢1单元201号', { building: 4, unit: 1, room: '201', floor: 2 }],
    ['', {}],
  ])('%s', (text, flat) => {
    expect(parseFlat(text)).toEqual(flat);
  });
});

describe('AddressParser', () => {
  const p = new AddressParser(new PlaceIndex(jiayuguan()));

  it('strips province, city, 街道 and roads, keeps the name, converts spoken numbers', () => {
    const a = p.parse('甘肃省嘉峪关市钢城街道雄关西路541号德轩小区十二号楼三单元602');
    expect(a.spelling).toBe('德轩小区');
    expect(a.subdistricts).toEqual(['钢城街道']);
    expect(a.roads).toEqual(['雄关西路']);
    expect(a.flat).toEqual({ building: 12, unit: 3, room: '602', floor: 6 });
  });

  it('keeps names that contain connector words or numerals (和平小区, 五一小区)', () => {
    expect(p.parse('和平小区1号楼').spelling).toBe('和平小区');
    expect(p.parse('五一小区3栋').spelling).toBe('五一小区');
    expect(p.parse('嘉和小区8号楼').spelling).toBe('嘉和小区');
  });

  it('recognises unknown roads by their ending and leaves no spelling for a street-only address', () => {
    const a = p.parse('园林路与祁连路交叉口附近');
    expect(a.spelling).toBe('');
    expect(a.roads).toEqual(['园林路', '祁连路']);
  });

  it('normalises traditional characters and full-width digits', () => {
    const a = p.parse('嘉峪關市龍湖華庭３號樓２單元５０１');
    expect(a.spelling).toBe('龙湖华庭');
    expect(a.flat).toEqual({ building: 3, unit: 2, room: '501', floor: 5 });
  });

  it('keeps a phase as evidence apart from the name', () => {
    const a = p.parse('龙湖华庭二期5号楼');
    expect(a.spelling).toBe('龙湖华庭');
    expect(a.phase).toBe('二期');
  });
});
