// Shapes of the overview and station-detail helpers (api/routes/overview-route.ts,
// api/routes/station-detail-route.ts), shared by the server and the page (types only).

import type { FieldValue } from '../../domain/telemetry';

/** The few latest values of a station the overview colours and tooltips need. */
export interface StationGlanceDto {
  readonly t2_supply?: number;
  readonly t2_return?: number;
  readonly t2_supply_sp?: number;
  readonly flow2?: number;
  readonly pump_state?: FieldValue;
  /** Newest event time among them, epoch ms. */
  readonly time?: number;
}

export interface CompoundGlanceDto {
  readonly t_supply?: number;
  readonly t_return?: number;
  readonly dp?: number;
  /** Coldest and mean of the fresh indoor sensors, °C. */
  readonly indoorMin?: number;
  readonly indoorMean?: number;
  /** Fresh indoor sensors, and how many of them read below 18 °C. */
  readonly sensors: number;
  readonly sensorsBelow18: number;
  readonly time?: number;
}

export interface Below18EstimateDto {
  /** Households estimated below 18 °C: per compound, households × share of its fresh sensors below 18 °C. */
  readonly households: number;
  /** Compounds with at least one fresh sensor below 18 °C. */
  readonly compounds: number;
  /** Households in compounds with fresh indoor sensors: what the estimate can see. */
  readonly coveredHouseholds: number;
  readonly totalHouseholds: number;
  /** Readings older than this (before `now`) are not counted, ms. */
  readonly freshMs: number;
}

export interface OverviewDto {
  /** The server's clock (simulated time while the demo city runs), epoch ms. */
  readonly now: number;
  readonly stations: Readonly<Record<string, StationGlanceDto>>;
  readonly compounds: Readonly<Record<string, CompoundGlanceDto>>;
  readonly weather: Readonly<Record<string, { readonly t_outdoor?: number; readonly time?: number }>>;
  readonly below18: Below18EstimateDto;
}

/** GET /api/stations/:id/curve: the compensation curve and what the station actually did. */
export interface CurveDto {
  readonly stationId: string;
  /** The network model's clipped linear curve. */
  readonly curve: { readonly outdoorC: readonly [number, number]; readonly supplyC: readonly [number, number]; readonly minC: number; readonly maxC: number };
  /** The curve drawn as a polyline over the outdoor range shown: [outdoor °C, set-point °C]. */
  readonly line: readonly (readonly [number, number])[];
  /** Bucket means of the same instants: [outdoor °C, secondary supply °C, bucket start epoch ms]. */
  readonly points: readonly (readonly [number, number, number])[];
  readonly from: number;
  readonly to: number;
  /** Bucket used to pair outdoor and supply readings, ms. */
  readonly everyMs: number;
}

/** GET /api/signals: per rule scope, each signal's unit and names. */
export type SignalCatalogueDto = Readonly<Record<string, Readonly<Record<string, { readonly unit: string; readonly zh: string; readonly en: string }>>>>;
