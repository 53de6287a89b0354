// Category of hand-written tickets, worded the way 12345 operators and residents write them —
// not produced by the simulated hotline, so they test the tables, not the generator's phrasing.
import { describe, expect, it } from 'vitest';
import { classifyTicket } from './classify';
import type { TicketCategory } from './ticket-model';

const CASES: ReadonlyArray<readonly [TicketCategory, string]> = [
  // not warm
  ['heating-not-warm', '我家暖气一点都不热，屋里才15度，老人孩子都冻感冒了'],
  ['heating-not-warm', '邻居家都热就我家不热'],
  ['heating-not-warm', '家里的暖气片温度很低，摸上去只是温的，室内温度计显示16.5℃'],
  ['heating-not-warm', '供暖以来室温一直在十六七度徘徊，达不到标准，要求退费'],
  ['heating-not-warm', '暖氣不熱，家裡很冷，請盡快處理'],
  ['heating-not-warm', '地暖不热，家里冷得很'],
  ['heating-not-warm', '开栓一周了暖气还是不热，物业说是主管线的问题'],
  ['heating-not-warm', '楼上邻居报停了，我家墙是冰的，暖气也不太热'],
  ['heating-not-warm', '暖器不惹，请派人看看'],
  ['heating-not-warm', '外面零下二十度，家里才十四度，冻得睡不着'],
  ['heating-not-warm', '卧室的暖气阀门拧不动，一直是关着的'],
  // no circulation / air lock / half warm
  ['heating-no-circulation', '暖气片上面热下面凉，应该是不循环'],
  ['heating-no-circulation', '暖气有空气，放了气还是不热'],
  ['heating-no-circulation', '回水管冰凉，进水管烫手'],
  ['heating-no-circulation', '暖气汽堵了，屋里温度上不去'],
  ['heating-no-circulation', '暖气不循还，整个屋子都冷'],
  // leak
  ['heating-leak', '卫生间暖气片接口漏水，水都流到楼下了，暖气也不热'],
  ['heating-leak', '厨房暖气管爆了，满地都是水'],
  ['heating-leak', '樓道裡暖氣管道滲水'],
  ['heating-leak', '暖气阀门在滴水，要求维修'],
  // other heating matters
  ['heating-other', '咨询一下今年的采暖费什么时候交，能不能网上缴费'],
  ['heating-other', '房子空着没人住，申请暖气报停'],
  ['heating-other', '暖气管子半夜一直咚咚响，吵得睡不着'],
  ['heating-other', '家里暖气太热了，室温26度，能不能调低一点'],
  ['heating-other', '表扬供热公司维修师傅服务好'],
  ['heating-other', '家里不冷，就是暖气管有异响'],
  // not heating at all
  ['non-heating', '小区门口的路灯坏了好几天'],
  ['non-heating', '楼上卫生间漏水渗到我家天花板'],
  ['non-heating', '热水器不热，燃气公司一直不上门'],
  ['non-heating', '天气太热了，公交站台没有遮阳棚'],
  ['non-heating', '楼下下水道堵塞，污水外溢'],
  ['non-heating', '小区停水了，请问什么时候恢复供水'],
  ['non-heating', '外面零下二十度，公交车半小时都不来'],
];

describe('classifyTicket', () => {
  it.each(CASES)('%s: %s', (category, text) => {
    expect(classifyTicket(text).category).toBe(category);
  });

  it('names the phrases that decided, slips shown with the word meant', () => {
    const c = classifyTicket('暖器片前面热后面不惹');
    expect(c.category).toBe('heating-no-circulation');
    expect(c.evidence.map((e) => e.detail)).toContain('暖器片 (= 暖气片)');
    expect(classifyTicket('小区路灯不亮').evidence).toEqual([]);
  });

  it('does not take two wrong characters for a slip (七度 is not 气堵)', () => {
    expect(classifyTicket('暖气不热，室温只有十七度').category).toBe('heating-not-warm');
  });

  it('treats markup as text', () => {
    expect(classifyTicket('<img src=x onerror=alert(1)> 暖气漏水').category).toBe('heating-leak');
  });
});
