// GET /api/network — the network model for the UI (built once: the model is immutable).

import { Router } from 'express';
import type { NetworkModel } from '../../domain/network';
import { networkDto } from '../network-dto';

export function networkRoute(network: NetworkModel): Router {
  const body = JSON.stringify(networkDto(network));
  const r = Router();
  r.get('/api/network', (_req, res) => {
    res.type('application/json').setHeader('Cache-Control', 'no-cache');
    res.send(body);
  });
  return r;
}
