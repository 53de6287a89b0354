// The words that decide a ticket's category, in one table compiled once (tickets/classify.ts).
// Each phrase gives a signal; `context` phrases also show that the ticket is about heating at all
// (暖气, 供暖, 室温, 报停 …): without one, "漏水" is a roof or a bathroom and "太热" is the weather.
// Negated forms are listed as longer phrases ("不太热" beats "太热", "不冷" is neutral), since
// the table matches leftmost-longest.

import type { PhraseEntry } from './text/phrase-table';

export type Signal = 'heat' | 'cold' | 'circulation' | 'leak' | 'fee' | 'stop' | 'noise' | 'hot' | 'other' | 'neutral';

export interface SignalTag {
  readonly signal: Signal;
  /** The phrase alone shows the ticket is about heating. */
  readonly context: boolean;
}

type Row = readonly [signal: Signal, context: boolean, phrases: readonly string[], exact?: boolean];

const ROWS: readonly Row[] = [
  // Heating itself.
  ['heat', true, ['暖气', '暖气片', '暖气管', '暖气管道', '供暖', '供热', '采暖', '取暖', '地暖', '暖通', '散热器', '热力公司', '供热公司', '供暖公司', '热网', '换热站', '壁挂炉', '集中供热', '供暖期', '暖气公司']],
  ['heat', true, ['室温', '室内温度']],
  // Not warm. Indoor cold is heating by itself; bare adjectives need a heating context.
  ['cold', true, ['室温低', '室温偏低', '室温太低', '室内温度低', '室内温度偏低', '不暖和', '冷得待不住', '冷得受不了', '冻得受不了', '冻得直哆嗦', '冻死人', '冻感冒', '冻病了', '受冻', '挨冻']],
  [
    'cold',
    false,
    [
      '不热', '不太热', '不怎么热', '不够热', '不是很热', '没有热', '没热', '不暖', '不烫', '冰凉', '冰冷', '凉的', '凉凉的', '发凉', '是凉',
      '温度低', '温度很低', '温度偏低', '温度太低', '温度不够', '温度不高', '上不来', '温乎', '温温的', '温吞', '不达标', '未达标', '没达标',
      '效果差', '效果不好', '供暖差', '供暖太差', '供暖很差', '暖气太差', '跟没开一样', '和没开一样', '像没开', '没有温度', '没温度', '太冷', '很冷',
      '好冷', '冷得', '冷死', '冻得', '冻的', '冻死', '穿羽绒服', '穿着羽绒服', '电暖气', '电暖器', '两床被子', '电热毯',
    ],
  ],
  // A valve that will not open means no heat reaches the radiator.
  ['cold', false, ['阀门打不开', '阀门拧不动', '阀门坏了', '阀门没开', '阀门未开', '阀门关着', '阀门开不了', '阀门打不开了']],
  ['neutral', false, ['不冷', '不太冷', '不算冷', '不凉']],
  // No circulation, air lock, half-warm radiator.
  ['circulation', true, ['不循环', '循环不好', '循环不畅', '循环差', '没有循环', '气堵', '堵了气', '暖气堵了', '暖气里有气', '暖气有气']],
  [
    'circulation',
    false,
    [
      '不走水', '不过水', '水不走', '回水凉', '回水管凉', '回水冰凉', '回水管冰凉', '回水是凉的', '回水管是凉的', '回水管是冰的', '回水不热', '回水管不热', '里有气', '里面有气', '有空气', '全是气', '进了气',
      '存气', '窝气', '排气', '放气', '放了气', '放过气', '咕噜', '咕嘟', '半截热', '一半热', '半边热', '上热下凉', '上热下不热', '只有进水管是热的',
      '只有进水管热', '堵塞',
    ],
  ],
  // Leaks (a heating context is needed: a roof or a bathroom leaks too).
  ['leak', false, ['漏水', '渗水', '滴水', '漏了', '在漏', '漏到', '渗了', '渗到', '爆管', '爆裂', '爆了', '跑水', '冒水', '喷水', '淹了', '被泡', '水流了一地']],
  // Other heating matters: fees, stopping and starting, noise, too hot.
  ['fee', true, ['暖气费', '取暖费', '采暖费', '供暖费', '供热费', '热费', '取暖补贴']],
  ['fee', false, ['收费', '缴费', '交费', '缴纳', '退费', '发票', '补贴', '减免', '欠费', '费用']],
  ['stop', true, ['报停', '停暖', '停供', '开栓', '启栓', '关栓', '供暖时间', '何时供暖', '开始供暖', '停止供暖', '延长供暖']],
  ['stop', false, ['办理', '手续']],
  ['noise', false, ['异响', '响声', '咚咚', '噪音', '流水声', '哗哗', '声音很大', '声音大', '有声音', '嗡嗡']],
  ['hot', false, ['太热', '过热', '热得', '温度过高', '温度太高', '调低', '调小', '开窗']],
  ['other', false, ['咨询', '询问', '表扬', '感谢', '维修', '检修']],
];

/**
 * Two-character phrases match exactly unless listed here: a same-sound slip in a two-character word
 * is too often another real word (漏到/楼道, 凉的/量的, 爆了/报了, 放气/放弃). These key words are
 * slipped often enough, and their sound-alikes are rare enough, to be worth the tolerance.
 */
const SLIP_TOLERANT_PAIRS = new Set(['暖气', '供暖', '供热', '采暖', '取暖', '地暖', '不热', '气堵', '漏水', '渗水', '冰凉', '爆管', '报停', '开栓']);

export const SIGNAL_PHRASES: readonly PhraseEntry<SignalTag>[] = ROWS.flatMap(([signal, context, phrases, exact]) =>
  phrases.map((phrase) => {
    const strict = exact === true || ([...phrase].length <= 2 && !SLIP_TOLERANT_PAIRS.has(phrase));
    return { phrase, tag: { signal, context }, ...(strict ? { exact: true } : {}) };
  }),
);

/** "上面热下面凉", "进水热回水凉", "前边一点热，下边冰凉": warm at one end, cold at the other. */
export const HALF_WARM = /(?:上面|上边|上头|上半|上部|前面|前边|前半|左边|进水)[^。；;!！?？]{0,8}?热[^。；;!！?？]{0,8}?(?:下面|下边|下头|下半|下部|后面|后边|后半|右边|回水)[^。；;!！?？]{0,4}?(?:凉|冷|冰|不热)/u;

/** The same, cold end first: "下面凉上面热", "回水管冰凉，进水管烫手". */
export const HALF_WARM_REVERSED = /(?:下面|下边|下头|下半|下部|后面|后边|后半|右边|回水)[^。；;!！?？]{0,6}?(?:凉|冷|冰|不热)[^。；;!！?？]{0,8}?(?:上面|上边|上头|上半|上部|前面|前边|前半|左边|进水)[^。；;!！?？]{0,6}?(?:热|烫)/u;

/** "家里太冷", "我家也跟着冷", "屋里冻得": the flat itself is cold (and so the ticket is about heating). */
export const FLAT_COLD = /(?:家里|家中|我家|自家|屋里|屋内|屋子|房间|室内|卧室|客厅)[^，。,；;!！?？]{0,4}?(?:冷|凉|冻)/u;

/** "我家不热", "家里也不太暖和": the flat is not warm (right after it: "我家热水器不热" is not this). */
export const FLAT_NOT_WARM = /(?:家里|家中|我家|自家|屋里|屋内|屋子|房间|室内|卧室|客厅)[都也还就却]?(?:一点)?都?不(?:太|怎么|够)?(?:热|暖)/u;

/** Indoor temperatures at or below this are a cold complaint; at or above HOT_C, too hot. */
export const COLD_C = 18;
export const HOT_C = 25;
