// Response shapes of the HTTP API and the socket.io live push: one definition shared by the
// server (api/) and the page (web/src/, which imports these types only, so nothing ships twice).

import type { AlertPushEvent, IncidentPushEvent } from '../rules/notify/push-events';
import type { EntityKind, FieldValue } from '../domain/telemetry';
import type { FieldType } from '../domain/fields';

export interface FieldDto {
  readonly type: FieldType;
  readonly unit: string;
  readonly zh: string;
  readonly en: string;
  readonly values?: readonly string[];
}

export type FieldCatalogueDto = Record<EntityKind, Record<string, FieldDto>>;

export interface NamedDto {
  readonly id: string;
  readonly name: string;
  readonly nameEn?: string;
}

export interface CompoundDto extends NamedDto {
  /** Hydraulic order on the station's secondary network, 1 = nearest the station. */
  readonly order: number;
  /** In the farthest part of the secondary network (末端). */
  readonly tailEnd: boolean;
  /** 1 = the very end. */
  readonly rankFromEnd: number;
  readonly households: number;
  readonly heating: 'radiator' | 'floor';
  readonly indoorSensors: readonly string[];
  /** Street address, for the crew's phone view. */
  readonly address?: string;
}

export interface StationSummaryDto extends NamedDto {
  readonly aliases: readonly string[];
  /** Lower-case pinyin (full and initials) of the name and aliases, for search boxes. */
  readonly pinyin: readonly string[];
  readonly primaryNetworkId: string;
  readonly weatherSiteId: string;
  readonly crew: string;
  readonly address?: string;
  readonly households: number;
  /** In hydraulic order, nearest the station first. */
  readonly compounds: readonly CompoundDto[];
}

export interface PrimaryNetworkDto extends NamedDto {
  readonly plantId: string;
  readonly stationIds: readonly string[];
}

export interface NetworkDto {
  readonly city: string;
  readonly timezone: string;
  readonly plants: readonly NamedDto[];
  readonly primaryNetworks: readonly PrimaryNetworkDto[];
  readonly stations: readonly StationSummaryDto[];
  readonly weatherSites: readonly NamedDto[];
  readonly fields: FieldCatalogueDto;
}

export interface LatestDto {
  readonly field: string;
  readonly sensor?: string;
  readonly value: FieldValue;
  /** Event time, epoch ms. */
  readonly time: number;
}

export interface StationDetailDto {
  readonly station: StationSummaryDto;
  readonly primaryNetwork: NamedDto;
  readonly weatherSite: NamedDto;
  readonly latest: {
    readonly station: readonly LatestDto[];
    readonly compounds: Readonly<Record<string, readonly LatestDto[]>>;
    readonly weather: readonly LatestDto[];
  };
}

/** `raw`: [t, value]; `mean-min-max`: [t, mean, min, max] per bucket; `changes`: [t, value] only where a state changed. */
export type SeriesMode = 'raw' | 'mean-min-max' | 'changes';

export type SeriesPointDto = readonly [number, FieldValue] | readonly [number, number, number, number];

export interface SeriesDto {
  readonly field: string;
  readonly sensor?: string;
  readonly unit: string;
  readonly mode: SeriesMode;
  readonly points: readonly SeriesPointDto[];
  /** True when points were cut at the per-series cap (only possible for `changes`). */
  readonly truncated?: boolean;
}

export interface SeriesResponseDto {
  /** `kind:id`, e.g. `station:dexuan`. */
  readonly entity: string;
  readonly from: number;
  readonly to: number;
  /** `raw` or the bucket used, e.g. `5m`; never finer than the request asked, coarser when capped. */
  readonly every: string;
  readonly everyMs: number | null;
  /** The `every` the client asked for, when the server had to coarsen it to stay under the point cap. */
  readonly requestedEvery?: string;
  readonly maxPoints: number;
  readonly series: readonly SeriesDto[];
}

export interface ErrorBodyDto {
  readonly code: string;
  readonly message: string;
  readonly detail: string;
}

export interface HealthDto {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly detail?: string }>>;
}

// ---- socket.io live push ----

/** Client → server. `entity` is `kind:id`. The optional ack reports success or the HeatError body. */
export interface SubscribeRequest {
  readonly entity: string;
}

export type SubscribeAck = { readonly ok: true; readonly entity: string } | { readonly ok: false; readonly error: ErrorBodyDto };

/** Server → the entity's room: one reading (fields of one entity, sensor and event time). */
export interface ReadingEvent {
  readonly entity: string;
  readonly time: number;
  readonly sensor?: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** Server → everyone, at most once per live window: what arrived since the previous tick. */
export interface TickEvent {
  /** Server clock, epoch ms. */
  readonly now: number;
  readonly metrics: number;
  readonly fieldValues: number;
  readonly entities: number;
  /** Newest event time seen in the window. */
  readonly newestTime: number;
}

export interface ServerToClientEvents {
  reading: (r: ReadingEvent) => void;
  tick: (t: TickEvent) => void;
  /** Every alert change (rules/notify/socket-notifier.ts); crews get their own stations' only. */
  alert: (e: AlertPushEvent) => void;
  incident: (e: IncidentPushEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack?: (a: SubscribeAck) => void) => void;
  unsubscribe: (req: SubscribeRequest, ack?: (a: SubscribeAck) => void) => void;
}
