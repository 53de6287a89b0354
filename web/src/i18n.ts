// UI text, Chinese first, with an English switch remembered in localStorage.
// Field names and units come from the server's field catalogue (domain/fields.ts), not from here.

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const TEXT = {
  zh: {
    appTitle: '供热实时监测',
    switchTo: 'EN',
    switchToTitle: 'Switch to English',
    search: '搜索：名称 / 拼音 / 首字母',
    noMatch: '没有匹配的换热站',
    stationCount: '座换热站',
    live: '实时',
    simulated: '模拟时间',
    simulatedTitle: '演示：数据来自模拟城市，时钟为模拟时间',
    connecting: '连接中…',
    offline: '已断开',
    pickStation: '请在左侧选择一个换热站',
    loading: '加载中…',
    loadFailed: '加载失败',
    primaryNetwork: '一次网',
    crew: '班组',
    households: '户',
    compoundsCount: '个小区',
    outdoor: '室外',
    lastData: '最新数据',
    noData: '暂无数据',
    secondaryTemps: '二次网 供/回水温度',
    primaryTemps: '一次网 供/回水温度',
    flows: '流量',
    compounds: '所供小区（按水力顺序，近端 → 末端）',
    tailEnd: '末端',
    supply: '供水',
    return: '回水',
    dp: '压差',
    indoor: '室温',
    coldest: '最低',
    sensors: '个测点',
    noSensor: '无室温测点',
    granularity: '数据粒度',
    raw: '原始',
    pumpState: '循环泵',
    run: '运行',
    stop: '停止',
    fault: '故障',
    last24h: '最近24小时',
    navOverview: '总览',
    navAlerts: '告警',
    navStation: '换热站',
    navCompound: '小区',
    navTickets: '工单',
    navVisits: '走访',
    navCrew: '班组',
    navReport: '供暖季报告',
    navReportTitle: '供暖季分析与冬病夏治维修排序（可打印）',
    notAvailable: '暂无数据（接口尚未提供）',
  },
  en: {
    appTitle: 'District Heating Live',
    switchTo: '中文',
    switchToTitle: '切换到中文',
    search: 'Search: name / pinyin / initials',
    noMatch: 'No matching station',
    stationCount: 'stations',
    live: 'Live',
    simulated: 'Simulated time',
    simulatedTitle: 'Demo: data comes from the simulated city; the clock shows simulated time',
    connecting: 'Connecting…',
    offline: 'Disconnected',
    pickStation: 'Pick a station on the left',
    loading: 'Loading…',
    loadFailed: 'Failed to load',
    primaryNetwork: 'Primary network',
    crew: 'Crew',
    households: 'households',
    compoundsCount: 'compounds',
    outdoor: 'Outdoor',
    lastData: 'Latest data',
    noData: 'No data yet',
    secondaryTemps: 'Secondary supply / return temperature',
    primaryTemps: 'Primary supply / return temperature',
    flows: 'Flow',
    compounds: 'Compounds fed (hydraulic order, nearest → tail end)',
    tailEnd: 'Tail end',
    supply: 'Supply',
    return: 'Return',
    dp: 'Diff. pressure',
    indoor: 'Indoor',
    coldest: 'coldest',
    sensors: 'sensors',
    noSensor: 'No indoor sensor',
    granularity: 'Resolution',
    raw: 'raw',
    pumpState: 'Pump',
    run: 'running',
    stop: 'stopped',
    fault: 'fault',
    last24h: 'Last 24 h',
    navOverview: 'Overview',
    navAlerts: 'Alerts',
    navStation: 'Stations',
    navCompound: 'Compounds',
    navTickets: 'Tickets',
    navVisits: 'Visits',
    navCrew: 'Crew',
    navReport: 'Season report',
    navReportTitle: 'Heating-season analysis and summer repair ranking (printable)',
    notAvailable: 'No data (not available yet)',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type TextKey = keyof (typeof TEXT)['zh'];

const STORAGE_KEY = 'heatwatch.lang';
let current: Lang = readStored();
const listeners = new Set<(l: Lang) => void>();

function readStored(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function lang(): Lang {
  return current;
}

export function t(key: TextKey): string {
  return TEXT[current][key];
}

export function setLang(l: Lang): void {
  current = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const f of listeners) f(l);
}

export function onLangChange(f: (l: Lang) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** A name in the current language: the English name when there is one, the Chinese otherwise. */
export function localName(e: { name: string; nameEn?: string }): string {
  return current === 'en' && e.nameEn ? e.nameEn : e.name;
}

/** A page's own text table, in the current language (pages keep their words beside their code). */
export function tr<T extends Readonly<Record<Lang, unknown>>>(table: T): T[Lang] {
  return table[current];
}

/** A number with the current language's grouping (12,345). */
export function count(n: number): string {
  return n.toLocaleString(current === 'zh' ? 'zh-CN' : 'en');
}
