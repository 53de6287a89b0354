// Repair candidates (冬病夏治): compounds ranked by how much their residents suffered, each with
// a cause decided by a rule table (first match wins) and the reason in words and numbers.
//
//  | rule | cause                |
//  | few data (< 50 % of hours) and no indoor sensors          | sensor coverage      |
//  | station pump stopped or valve saturated ≥ 25 % of the cold hours, or equipment alert hours ≥ that | station equipment |
//  | cold-snap flow < 75 % of design, or tail end with flow < 85 % | hydraulic imbalance |
//  | otherwise (supply reaches it, rooms still cold)           | building side        |

import type { NetworkModel } from '../domain/network';
import { CAUSE_LABELS, type Cause, type CompoundRow, type RepairCandidate, type StationRow } from './season-model';

export const HYDRAULIC_FLOW_RATIO = 0.75;
export const TAIL_FLOW_RATIO = 0.85;
export const EQUIPMENT_SHARE = 0.25;
export const MIN_COVERAGE = 0.5;
/** Weight of a ticket per 1,000 households against one degree-hour per household. */
export const TICKET_WEIGHT = 3;
/** Below this score a compound is not a candidate. */
export const MIN_SCORE = 5;

export function causeOf(c: CompoundRow): Cause {
  if (c.indoorSensors === 0 && c.dataCoverage < MIN_COVERAGE) return 'sensor-coverage';
  const cold = Math.max(1, c.hoursBelow18);
  const equipHours = Math.max(c.pumpStopHours, c.alertHours['equipment'] ?? 0);
  if (equipHours >= EQUIPMENT_SHARE * cold && equipHours > 0 && !(c.coldFlowRatio !== undefined && c.coldFlowRatio < HYDRAULIC_FLOW_RATIO && c.pumpStopHours < EQUIPMENT_SHARE * cold)) return 'station-equipment';
  if (c.valveSaturatedHours >= EQUIPMENT_SHARE * cold && c.valveSaturatedHours > 0 && !c.tailEnd) return 'station-equipment';
  if (c.coldFlowRatio !== undefined && (c.coldFlowRatio < HYDRAULIC_FLOW_RATIO || (c.tailEnd && c.coldFlowRatio < TAIL_FLOW_RATIO))) return 'hydraulic-imbalance';
  return 'building-side';
}

export function scoreOf(c: CompoundRow): number {
  return Math.round((c.underheatingDegreeHoursPerHousehold + TICKET_WEIGHT * c.ticketsPer1000Households) * 100) / 100;
}

const ACTIONS: Record<Cause, { readonly zh: string; readonly en: string }> = {
  'hydraulic-imbalance': { zh: '水力平衡调节或新建换热站', en: 'hydraulic rebalancing or a new station' },
  'station-equipment': { zh: '检修换热站循环泵/调节阀', en: 'overhaul the station pump / control valve' },
  'building-side': { zh: '入户排查楼内系统与保温', en: 'inspect the building system and insulation' },
  'sensor-coverage': { zh: '加装室温与小区计量监测', en: 'install indoor and compound metering' },
};

function pct(x: number | undefined): string {
  return x === undefined ? '—' : `${Math.round(x * 100)} %`;
}

export function rankCandidates(network: NetworkModel, compounds: readonly CompoundRow[], _stations: readonly StationRow[]): RepairCandidate[] {
  void network;
  return compounds
    .map((c) => ({ c, score: scoreOf(c) }))
    .filter((x) => x.score >= MIN_SCORE || x.c.indoorMethod === 'none')
    .sort((a, b) => b.score - a.score || a.c.id.localeCompare(b.c.id))
    .map(({ c, score }, i) => {
      const cause = causeOf(c);
      const a = ACTIONS[cause];
      const where = c.tailEnd ? `${c.stationName}末端` : c.stationName;
      const whereEn = c.tailEnd ? `tail end of ${c.stationName}` : `fed by ${c.stationName}`;
      const est = c.indoorMethod === 'estimated' ? '（估算）' : '';
      const estEn = c.indoorMethod === 'estimated' ? ' (estimated)' : '';
      const zh: string[] = [`${where}，每户低于18 °C ${Math.round(c.underheatingDegreeHoursPerHousehold)} 度时${est}`, `每千户 ${Math.round(c.ticketsPer1000Households)} 件工单`];
      const en: string[] = [whereEn, `${Math.round(c.underheatingDegreeHoursPerHousehold)} degree-hours below 18 °C per household${estEn}`, `${Math.round(c.ticketsPer1000Households)} tickets per 1,000 households`];
      if (c.coldFlowRatio !== undefined) {
        zh.push(`寒冷时段流量为设计值的 ${pct(c.coldFlowRatio)}`);
        en.push(`flow ${pct(c.coldFlowRatio)} of design in the coldest hours`);
      }
      if (cause === 'station-equipment') {
        zh.push(`循环泵停运 ${c.pumpStopHours} 小时，阀门全开 ${c.valveSaturatedHours} 小时`);
        en.push(`pump stopped ${c.pumpStopHours} h, valve saturated ${c.valveSaturatedHours} h`);
      }
      if (cause === 'sensor-coverage') {
        zh.push(`无室温传感器，数据覆盖 ${pct(c.dataCoverage)}`);
        en.push(`no indoor sensors, data for ${pct(c.dataCoverage)} of hours`);
      }
      return {
        rank: i + 1,
        compoundId: c.id,
        name: c.name,
        stationId: c.stationId,
        cause,
        score,
        reasonZh: `${c.name}：${zh.join('，')} → ${a.zh}（${CAUSE_LABELS[cause].zh}）`,
        reasonEn: `${c.name}: ${en.join(', ')} → ${a.en} (${CAUSE_LABELS[cause].en})`,
        actionZh: a.zh,
        actionEn: a.en,
      };
    });
}
