// GET /api/stations/:id — one station, its compounds in hydraulic order (tail end marked), and the
// latest values of the station, its compounds and its weather site.

import { Router } from 'express';
import { z } from 'zod';
import { HeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import type { LatestValue, TelemetryStore } from '../../store/telemetry-store';
import type { LatestDto, StationDetailDto } from '../dto';
import { stationSummaryDto } from '../network-dto';
import { parsePart } from '../parse-part';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a station id is 1–64 characters of A–Z, a–z, 0–9, _ and -') });

function latestDto(v: LatestValue): LatestDto {
  return { field: v.field, ...(v.sensor === undefined ? {} : { sensor: v.sensor }), value: v.value, time: v.time };
}

export function stationRoute(network: NetworkModel, store: TelemetryStore): Router {
  const r = Router();
  r.get('/api/stations/:id', async (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const station = network.station(id);
    if (station === undefined) throw new HeatError('NOT_FOUND', `params.id: no station "${id}" in the network model`);
    const compounds = network.compoundsOf(id);
    const net = network.primaryNetwork(station.primaryNetworkId);
    const site = network.weatherSites.find((w) => w.id === station.weatherSiteId);
    const [sLatest, cLatest, wLatest] = await Promise.all([
      store.latest('station', [id]),
      compounds.length > 0 ? store.latest('compound', compounds.map((c) => c.id)) : Promise.resolve([]),
      store.latest('weather', [station.weatherSiteId]),
    ]);
    const byCompound: Record<string, LatestDto[]> = Object.fromEntries(compounds.map((c) => [c.id, [] as LatestDto[]]));
    for (const v of cLatest) byCompound[v.id]?.push(latestDto(v));
    const body: StationDetailDto = {
      station: stationSummaryDto(network, station),
      primaryNetwork: { id: station.primaryNetworkId, name: net?.name ?? station.primaryNetworkId, ...(net?.nameEn === undefined ? {} : { nameEn: net.nameEn }) },
      weatherSite: { id: station.weatherSiteId, name: site?.name ?? station.weatherSiteId, ...(site?.nameEn === undefined ? {} : { nameEn: site.nameEn }) },
      latest: {
        station: sLatest.filter((v) => v.id === id).map(latestDto),
        compounds: byCompound,
        weather: wLatest.filter((v) => v.id === station.weatherSiteId).map(latestDto),
      },
    };
    res.json(body);
  });
  return r;
}
