// Address resolution on the full Jiayuguan network, with hand-written addresses in the forms
// residents and operators use (not produced by the simulated hotline).
import { beforeAll, describe, expect, it } from 'vitest';
import { jiayuguan } from './testing/ticket-api-harness';
import { AddressResolver, AUTO_THRESHOLD, type AddressResolution } from './resolve-address';

let r: AddressResolver;
beforeAll(() => {
  r = new AddressResolver(jiayuguan());
});

function auto(res: AddressResolution): boolean {
  return res.compoundId !== undefined && res.confidence >= AUTO_THRESHOLD;
}

describe('AddressResolver', () => {
  it.each([
    ['嘉峪关市钢城街道龙湖华庭小区3号楼2单元501室', 'name'],
    ['甘肃省嘉峪关市前进路1223号龙湖华庭三号楼二单元501', 'name'],
    ['龙湖3-2-501', 'alias'],
    ['龍湖華庭3號樓2單元501', 'name'],
    ['龙湖华亭3号楼2单元501', 'homophone'],
    ['龙湖庭3栋2单元501', 'alias'], // the alias 龙湖 inside it is the strongest clue
    ['龙华湖庭3-2-501', 'typo'],
  ])('resolves %s to 龙湖华庭 3号楼 2单元 501 (%s)', (address, method) => {
    const res = r.resolve(address);
    expect(res.compoundId).toBe('longhu-huating');
    expect(res.buildingId).toBe('longhu-huating-b3');
    expect(res.unit).toBe(2);
    expect(res.room).toBe('501');
    expect(res.method).toBe(method);
    expect(auto(res)).toBe(true);
  });

  it('reads building words said many ways', () => {
    expect(r.resolve('东湖益园二号楼一单元').buildingId).toBe('donghu-yiyuan-b2');
    expect(r.resolve('东湖怡园2#楼1单元302').unit).toBe(1);
    expect(r.resolve('东湖怡园4幢1单元201号').room).toBe('201');
    expect(r.resolve('东湖怡园小区').buildingId).toBeUndefined();
  });

  it('gives a whole name said with 小区 to its compound, not to those sharing the short form', () => {
    const res = r.resolve('西城小区3号楼');
    expect(res.compoundId).toBe('xicheng-xq');
    expect(auto(res)).toBe(true);
  });

  it('leaves a short form shared by several compounds to a person, with the candidates', () => {
    const res = r.resolve('钢花3号楼');
    expect(auto(res)).toBe(false);
    expect(res.candidates.length).toBeGreaterThanOrEqual(3);
    expect(res.candidates.every((c) => c.compoundId.startsWith('ganghua-'))).toBe(true);
    expect(res.evidence.some((e) => e.kind === 'ambiguous')).toBe(true);
  });

  it('lets the building number or the road settle a shared short form', () => {
    // Only 钢花西区 has a 12th building.
    const byBuilding = r.resolve('钢花12号楼');
    expect(byBuilding.compoundId).toBe('ganghua-xiqu');
    expect(auto(byBuilding)).toBe(true);
    // 钢花佳园 is on 前进路.
    const byRoad = r.resolve('嘉峪关市前进路钢花3号楼');
    expect(byRoad.compoundId).toBe('ganghua-jiayuan-2');
    expect(auto(byRoad)).toBe(true);
  });

  it('keeps a road from reading as a compound: street-only addresses get candidates and a low confidence', () => {
    for (const a of ['雄关西路附近', '嘉峪关市钢城街道雄关西路', '雄关西路与新华中路交叉口附近']) {
      const res = r.resolve(a);
      expect(auto(res)).toBe(false);
      expect(res.method).toBe('street');
      expect(res.candidates.map((c) => c.compoundId)).toContain('dexuan-xq'); // 雄关西路541号
      expect(res.candidates.map((c) => c.compoundId)).not.toContain('xiongguan-xq');
    }
  });

  it('finds nothing in an unknown name, and says so', () => {
    const res = r.resolve('万达广场5号楼');
    expect(auto(res)).toBe(false);
    expect(res.evidence.length).toBeGreaterThan(0);
  });

  it('falls back on a compound named in the ticket text when the address has none', () => {
    const res = r.resolve('嘉峪关市', '来电人反映其家住东湖怡园3号楼，暖气不热');
    expect(res.compoundId).toBe('donghu-yiyuan');
    expect(res.method).toBe('text');
  });

  it('uses the road the caller names as evidence', () => {
    const res = r.resolve('嘉峪关市雄关西路541号德轩小区4号楼');
    expect(res.compoundId).toBe('dexuan-xq');
    expect(res.evidence.some((e) => e.kind === 'place')).toBe(true);
  });

  it('learns a spelling a person confirmed, and resolves it the next time', () => {
    const local = new AddressResolver(jiayuguan());
    expect(auto(local.resolve('水务局家属院5号楼'))).toBe(false);
    expect(local.spellingOf('水务局家属院5号楼')).toBe('水务局家属院');
    local.learn('水务局家属院', 'donghu-yiyuan');
    const after = local.resolve('水务局家属院小区5号楼');
    expect(after.compoundId).toBe('donghu-yiyuan');
    expect(after.method).toBe('learned');
    expect(auto(after)).toBe(true);
    // a later lesson replaces the earlier one
    local.learn('水务局家属院', 'longhu-huating');
    expect(local.resolve('水务局家属院5号楼').compoundId).toBe('longhu-huating');
  });

  it('knows which spellings are listed names or aliases', () => {
    expect(r.listedOwners('钢花').length).toBe(5);
    expect(r.listedOwners('龙湖华庭小区')).toEqual(['longhu-huating']);
    expect(r.listedOwners('水务局家属院')).toEqual([]);
  });
});
