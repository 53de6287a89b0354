// The network file format: one schema gives both validation and the static types.
// plant → primary network → heat-exchange station → compound (小区) → building (楼栋).

import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1–64 characters of A–Z, a–z, 0–9, _ and -');
const zhName = z.string().min(1).max(64);
const aliases = z.array(z.string().min(1).max(64)).default([]);

export const HeatingTypeSchema = z.enum(['radiator', 'floor']);
export type HeatingType = z.infer<typeof HeatingTypeSchema>;

export const PlantSchema = z.object({
  id,
  name: zhName,
  nameEn: z.string().optional(),
  aliases,
  /** Primary supply curve of the plant: supply °C at outdoor °C, linear between, clipped. */
  supplyCurve: z.object({ outdoorC: z.tuple([z.number(), z.number()]), supplyC: z.tuple([z.number(), z.number()]) }),
});

export const WeatherSiteSchema = z.object({ id, name: zhName, nameEn: z.string().optional() });

export const PrimaryNetworkSchema = z.object({
  id,
  name: zhName,
  nameEn: z.string().optional(),
  plantId: id,
  /** Trunk length from the plant to the farthest station, metres. */
  trunkLengthM: z.number().positive(),
});

/** Weather-compensation curve: a clipped linear curve, supply set-point °C against outdoor °C. */
export const CompensationCurveSchema = z
  .object({
    /** Outdoor temperatures (°C) of the two curve points, warm first. */
    outdoorC: z.tuple([z.number(), z.number()]),
    /** Secondary supply set-points (°C) at those outdoor temperatures. */
    supplyC: z.tuple([z.number(), z.number()]),
    minC: z.number(),
    maxC: z.number(),
  })
  .refine((c) => c.outdoorC[0] > c.outdoorC[1], { message: 'outdoorC must list the warmer point first' })
  .refine((c) => c.minC <= c.maxC, { message: 'minC must not exceed maxC' });

export const StationSchema = z.object({
  id,
  name: zhName,
  nameEn: z.string().optional(),
  aliases,
  primaryNetworkId: id,
  weatherSiteId: id,
  /** Crew (运行班组) responsible for this station; crews see only their own stations. */
  crew: z.string().min(1),
  address: z.string().optional(),
  /** Position on the primary trunk, metres from the plant (drives primary transport delay). */
  trunkDistanceM: z.number().nonnegative(),
  curve: CompensationCurveSchema,
  hydraulics: z.object({
    /** Design secondary flow, m³/h. */
    designFlow: z.number().positive(),
    /** Design heat load, kW. */
    designLoadKw: z.number().positive(),
    /** Circulation pump: rated head (kPa) at rated frequency (Hz), and rated flow (m³/h). */
    pumpRatedHeadKpa: z.number().positive(),
    pumpRatedHz: z.number().positive().default(50),
    pumpRatedFlow: z.number().positive(),
    /** Static (fill) pressure of the secondary network, MPa. */
    staticPressureMpa: z.number().positive(),
    /** Plate exchanger UA, kW/K. */
    exchangerUaKwPerK: z.number().positive(),
  }),
});

export const BuildingSchema = z.object({
  id,
  /** Building number as residents say it: "3号楼", "3栋". */
  name: zhName,
  units: z.number().int().positive(),
  floors: z.number().int().positive(),
  households: z.number().int().positive(),
});

export const CompoundSchema = z.object({
  id,
  name: zhName,
  nameEn: z.string().optional(),
  aliases,
  stationId: id,
  address: z.string().optional(),
  /** Hydraulic order on the station's secondary network: 1 = nearest the station. Unique per station. */
  order: z.number().int().positive(),
  households: z.number().int().positive(),
  /** Heated floor area, m². */
  areaM2: z.number().positive(),
  heating: HeatingTypeSchema,
  buildings: z.array(BuildingSchema).min(1),
  /** Indoor temperature sensor ids installed in this compound (may be none). */
  indoorSensors: z.array(id).default([]),
  hydraulics: z.object({
    /** Pipe length from the station to this compound's entry, metres. */
    pipeLengthM: z.number().positive(),
    /** Hydraulic impedance S of the branch, kPa/(m³/h)² (ΔP = S·G²). */
    impedanceS: z.number().positive(),
    /** Design flow, m³/h. */
    designFlow: z.number().positive(),
    /** Building heat-loss coefficient UA, kW/K. */
    heatLossKwPerK: z.number().positive(),
    /** Indoor temperature time constant, hours. */
    timeConstantH: z.number().positive(),
  }),
});

export const NetworkFileSchema = z.object({
  version: z.literal(1),
  city: zhName,
  timezone: z.string().default('Asia/Shanghai'),
  /** Design outdoor temperature for heating, °C (Jiayuguan about −15). */
  designOutdoorC: z.number(),
  plants: z.array(PlantSchema).min(1),
  weatherSites: z.array(WeatherSiteSchema).min(1),
  primaryNetworks: z.array(PrimaryNetworkSchema).min(1),
  stations: z.array(StationSchema).min(1),
  compounds: z.array(CompoundSchema).min(1),
});

export type NetworkFile = z.infer<typeof NetworkFileSchema>;
export type NetworkFileInput = z.input<typeof NetworkFileSchema>;
export type Plant = z.infer<typeof PlantSchema>;
export type WeatherSite = z.infer<typeof WeatherSiteSchema>;
export type PrimaryNetwork = z.infer<typeof PrimaryNetworkSchema>;
export type Station = z.infer<typeof StationSchema>;
export type CompensationCurve = z.infer<typeof CompensationCurveSchema>;
export type Compound = z.infer<typeof CompoundSchema>;
export type Building = z.infer<typeof BuildingSchema>;
