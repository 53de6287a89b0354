// The season report's data (issue 7): per compound, station and primary network over a range,
// the ranked repair candidates, and season-over-season comparison. Plain JSON (the API returns it).

export const CAUSES = ['hydraulic-imbalance', 'station-equipment', 'building-side', 'sensor-coverage'] as const;
export type Cause = (typeof CAUSES)[number];

export const CAUSE_LABELS: Record<Cause, { readonly zh: string; readonly en: string }> = {
  'hydraulic-imbalance': { zh: '水力失调', en: 'hydraulic imbalance' },
  'station-equipment': { zh: '换热站设备', en: 'station equipment' },
  'building-side': { zh: '楼内/用户侧', en: 'building side' },
  'sensor-coverage': { zh: '监测覆盖不足', en: 'sensor coverage' },
};

/** How the indoor temperature behind the degree-hours was obtained. */
export type IndoorMethod = 'measured' | 'estimated' | 'none';

/** Figures shared by compound, station and network rows. Hours are counts of hourly buckets. */
export interface SeasonFigures {
  readonly households: number;
  readonly areaM2: number;
  /** Σ over hours of max(0, 18 − T_in), the average household's view, K·h. */
  readonly underheatingDegreeHoursPerHousehold: number;
  /** Hours with T_in below 18 °C. */
  readonly hoursBelow18: number;
  /** Alert hours per rule category (underheating, equipment, hydraulic …). */
  readonly alertHours: Readonly<Record<string, number>>;
  readonly heatingTickets: number;
  readonly ticketsPer1000Households: number;
  /** Callers (by phone) with two or more heating tickets; undefined when no ticket carries a phone. */
  readonly repeatCallers?: number;
  /** Heating tickets with a correlation verdict (explained or unexplained). */
  readonly correlatedTickets: number;
  /** Share of correlated heating tickets explained by a network alert, 0..1; undefined without correlated tickets. */
  readonly explainedShare?: number;
  /** Proactive visits issued in the range; undefined when no visit store is wired. */
  readonly proactiveVisits?: number;
  readonly pumpStopHours: number;
  readonly valveSaturatedHours: number;
  readonly smallDeltaTHours: number;
  readonly makeupWaterM3: number;
  readonly heatGjPerM2: number;
}

export interface CompoundRow extends SeasonFigures {
  readonly id: string;
  readonly name: string;
  readonly stationId: string;
  readonly stationName: string;
  readonly primaryNetworkId: string;
  readonly tailEnd: boolean;
  readonly indoorMethod: IndoorMethod;
  readonly indoorSensors: number;
  /** Share of the range's hours with compound readings, 0..1. */
  readonly dataCoverage: number;
  /** Mean flow / design flow in the coldest quarter of the range's hours; undefined without flow data. */
  readonly coldFlowRatio?: number;
  /** Mean compound supply minus station secondary supply in the same hours, K (pipe loss + imbalance). */
  readonly supplyDropK?: number;
  readonly meanIndoorC?: number;
}

export interface StationRow extends SeasonFigures {
  readonly id: string;
  readonly name: string;
  readonly primaryNetworkId: string;
  readonly compounds: number;
}

export interface NetworkRow extends SeasonFigures {
  readonly id: string;
  readonly name: string;
  readonly stations: number;
}

export interface RepairCandidate {
  readonly rank: number;
  readonly compoundId: string;
  readonly name: string;
  readonly stationId: string;
  readonly cause: Cause;
  readonly score: number;
  readonly reasonZh: string;
  readonly reasonEn: string;
  readonly actionZh: string;
  readonly actionEn: string;
}

export interface SeasonReport {
  readonly from: number;
  readonly to: number;
  readonly generatedAt: number;
  readonly hours: number;
  /** Heating degree-days, base 18 °C, from the weather sites' hourly outdoor temperature. */
  readonly heatingDegreeDays: number;
  readonly meanOutdoorC?: number;
  readonly compounds: readonly CompoundRow[];
  readonly stations: readonly StationRow[];
  readonly networks: readonly NetworkRow[];
  readonly candidates: readonly RepairCandidate[];
  /** What the report could not measure (e.g. no caller phone, no visit store), in words. */
  readonly notes: readonly string[];
}

export interface CompareRow {
  readonly compoundId: string;
  readonly name: string;
  /** Degree-hours below 18 °C per household per heating degree-day, before and after. */
  readonly beforeDhPerHdd: number;
  readonly afterDhPerHdd: number;
  readonly beforeTicketsPer1000PerHdd: number;
  readonly afterTicketsPer1000PerHdd: number;
  /** Relative change of the weather-normalised degree-hours (−0.8 = 80 % fewer); undefined when before is 0. */
  readonly change?: number;
}

export interface SeasonComparison {
  readonly before: { readonly from: number; readonly to: number; readonly heatingDegreeDays: number };
  readonly after: { readonly from: number; readonly to: number; readonly heatingDegreeDays: number };
  readonly rows: readonly CompareRow[];
}
