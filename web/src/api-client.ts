// Typed calls to the HTTP API. Errors carry the server's {code, message, detail}.

import type { ErrorBodyDto, NetworkDto, SeriesResponseDto, StationDetailDto } from '../../api/dto';
import { onSessionEnded } from './login';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBodyDto | undefined,
  ) {
    super(body ? `${body.code}: ${body.detail}` : `HTTP ${status}`);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
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
  return (await res.json()) as T;
}

export function fetchNetwork(): Promise<NetworkDto> {
  return getJson<NetworkDto>('/api/network');
}

export function fetchStation(id: string, signal?: AbortSignal): Promise<StationDetailDto> {
  return getJson<StationDetailDto>(`/api/stations/${encodeURIComponent(id)}`, signal);
}

export function fetchSeries(entity: string, fields: readonly string[], signal?: AbortSignal): Promise<SeriesResponseDto> {
  const q = new URLSearchParams({ entity, fields: fields.join(',') });
  return getJson<SeriesResponseDto>(`/api/series?${q.toString()}`, signal);
}
