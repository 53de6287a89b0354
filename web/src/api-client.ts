// Typed calls to the HTTP API. Errors carry the server's {code, message, detail}; a 404 on a whole
// endpoint (another part of the product not deployed yet) is an ApiError with `missing` true, so
// pages can say "not available yet" instead of failing.

import type { ErrorBodyDto, NetworkDto, SeriesResponseDto, StationDetailDto } from '../../api/dto';
import type { CurveDto, OverviewDto } from '../../api/routes/overview-dto';
import { onSessionEnded } from './login';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBodyDto | undefined,
  ) {
    super(body ? `${body.code}: ${body.detail}` : `HTTP ${status}`);
  }

  /** The endpoint itself does not exist on this server (not a missing record). */
  get missing(): boolean {
    return this.status === 404 && (this.body === undefined || /no route/i.test(this.body.detail));
  }
}

async function answer<T>(res: Response): Promise<T> {
  if (res.status === 401) onSessionEnded();
  if (!res.ok) {
    let body: ErrorBodyDto | undefined;
    try {
      body = (await res.json()) as ErrorBodyDto;
    } catch {
      body = undefined;
    }
    throw new ApiError(res.status, body);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return answer<T>(
    await fetch(path, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
}

/** `?a=1&b=2` from the defined entries. */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function fetchNetwork(): Promise<NetworkDto> {
  return getJson<NetworkDto>('/api/network');
}

export function fetchStation(id: string, signal?: AbortSignal): Promise<StationDetailDto> {
  return getJson<StationDetailDto>(`/api/stations/${encodeURIComponent(id)}`, signal);
}

export interface SeriesRequest {
  readonly fields: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly sensor?: string;
}

export function fetchSeries(entity: string, req: SeriesRequest | readonly string[], signal?: AbortSignal): Promise<SeriesResponseDto> {
  const r: SeriesRequest = Array.isArray(req) ? { fields: req } : (req as SeriesRequest);
  return getJson<SeriesResponseDto>(`/api/series${query({ entity, fields: r.fields.join(','), from: r.from, to: r.to, sensor: r.sensor })}`, signal);
}

export function fetchOverview(signal?: AbortSignal): Promise<OverviewDto> {
  return getJson<OverviewDto>('/api/overview', signal);
}

export function fetchCurve(stationId: string, from: number, to: number, signal?: AbortSignal): Promise<CurveDto> {
  return getJson<CurveDto>(`/api/stations/${encodeURIComponent(stationId)}/curve${query({ from, to })}`, signal);
}
