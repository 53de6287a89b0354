// GET /api/network — the network model for the UI (built once: the model is immutable).
// Held gzipped: at city scale the JSON is ≈ 9 MB of heap for the process's life (a heap snapshot
// at 5,000 stations), gzipped ≈ a tenth; browsers take it as it is (Content-Encoding), and a client
// that does not accept gzip gets it inflated per request.

import { gunzipSync, gzipSync } from 'node:zlib';
import { Router } from 'express';
import type { NetworkModel } from '../../domain/network';
import { networkDto } from '../network-dto';

export function networkRoute(network: NetworkModel): Router {
  const gzipped = gzipSync(JSON.stringify(networkDto(network)));
  const r = Router();
  r.get('/api/network', (req, res) => {
    res.type('application/json').setHeader('Cache-Control', 'no-cache');
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip') === 'gzip') res.setHeader('Content-Encoding', 'gzip').send(gzipped);
    else res.send(gunzipSync(gzipped));
  });
  return r;
}
