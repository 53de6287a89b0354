// The report as flat tables (one header row, then rows) for CSV and XLSX: candidates, compounds,
// stations, networks. Headers carry Chinese and English names and units.

import { CAUSE_LABELS, type SeasonFigures, type SeasonReport } from './season-model';

export type Cell = string | number;
export interface Table {
  readonly name: string;
  readonly rows: Cell[][];
}

const FIGURE_HEADERS = [
  '户数 households',
  '面积 area (m²)',
  '每户低于18°C度时 degree-hours <18 °C per household',
  '低于18°C小时 hours <18 °C',
  '告警小时 alert hours (by category)',
  '供暖工单 heating tickets',
  '每千户工单 tickets per 1,000 households',
  '重复来电 repeat callers',
  '管网原因占比 share explained by network',
  '主动上门 proactive visits',
  '停泵小时 pump-stop hours',
  '阀门饱和小时 valve-saturated hours',
  '小温差小时 small-ΔT hours',
  '补水量 make-up water (m³)',
  '单位面积供热量 heat (GJ/m²)',
];

const opt = (x: number | undefined): Cell => (x === undefined ? '' : x);

function figureCells(f: SeasonFigures): Cell[] {
  const alerts = Object.entries(f.alertHours)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  return [
    f.households,
    f.areaM2,
    f.underheatingDegreeHoursPerHousehold,
    f.hoursBelow18,
    alerts,
    f.heatingTickets,
    f.ticketsPer1000Households,
    opt(f.repeatCallers),
    opt(f.explainedShare),
    opt(f.proactiveVisits),
    f.pumpStopHours,
    f.valveSaturatedHours,
    f.smallDeltaTHours,
    f.makeupWaterM3,
    f.heatGjPerM2,
  ];
}

export function seasonTables(r: SeasonReport): Table[] {
  return [
    {
      name: 'candidates',
      rows: [
        ['排名 rank', '小区 compound id', '名称 name', '换热站 station', '原因 cause', '原因（中文）', '得分 score', '理由 reason (zh)', 'reason (en)'],
        ...r.candidates.map((c) => [c.rank, c.compoundId, c.name, c.stationId, c.cause, CAUSE_LABELS[c.cause].zh, c.score, c.reasonZh, c.reasonEn]),
      ],
    },
    {
      name: 'compounds',
      rows: [
        ['小区 id', '名称 name', '换热站 station', '一次网 network', '末端 tail end', '室温来源 indoor (measured/estimated)', '室温传感器 sensors', '数据覆盖 coverage', '寒冷时段流量/设计 cold flow / design', '平均室温 mean indoor (°C)', ...FIGURE_HEADERS],
        ...r.compounds.map((c) => [c.id, c.name, c.stationId, c.primaryNetworkId, c.tailEnd ? 'yes' : 'no', c.indoorMethod, c.indoorSensors, c.dataCoverage, opt(c.coldFlowRatio), opt(c.meanIndoorC), ...figureCells(c)]),
      ],
    },
    {
      name: 'stations',
      rows: [['换热站 id', '名称 name', '一次网 network', '小区数 compounds', ...FIGURE_HEADERS], ...r.stations.map((s) => [s.id, s.name, s.primaryNetworkId, s.compounds, ...figureCells(s)])],
    },
    {
      name: 'networks',
      rows: [['一次网 id', '名称 name', '换热站数 stations', ...FIGURE_HEADERS], ...r.networks.map((n) => [n.id, n.name, n.stations, ...figureCells(n)])],
    },
  ];
}
