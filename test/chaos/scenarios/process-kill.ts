// Scenario 1 (issue 9): under steady QoS 1 load on a real Mosquitto, the ingest process is killed
// with SIGKILL again and again and restarted (after the old one is gone: DuckDB's file lock).
// What must hold: every published reading is in the DuckDB file exactly once with its value.
// Why it holds: the ingester acknowledges a message only after store.write resolved (committed);
// an unacknowledged message stays in the persistent session and is redelivered to the next
// process; the store's writes are idempotent per (measurement, id, sensor, field, time).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DUCKDB_FILE } from '../../../store/duckdb-store';
import type { Mosquitto } from '../../support/mosquitto';
import { startIngestProcess, type IngestProcess } from '../support/ingest-process';
import { expectedRows, LOAD_FIELDS, startLoad } from '../support/load-publisher';
import { pollUntil } from '../support/poll';
import { compareRows, duckdbStationRows, figures, type RowCheck } from '../support/verify-rows';

export const MINI_NETWORK = new URL('../../../fixtures/networks/mini.json', import.meta.url).pathname;
export const MINI_STATIONS = ['dexuan', 'xingfu', 'xiyu'] as const;

export interface ProcessKillOptions {
  readonly total: number;
  readonly rate: number;
  readonly kills: number;
}

export interface ProcessKillResult {
  readonly check: RowCheck;
  readonly published: number;
  readonly kills: number;
  readonly publishErrors: number;
  readonly line: string;
}

export async function runProcessKill(mq: Mosquitto, o: ProcessKillOptions): Promise<ProcessKillResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heat-chaos-kill-'));
  const env = {
    HEAT_NETWORK: MINI_NETWORK,
    HEAT_DATA_DIR: dataDir,
    HEAT_STORE: 'duckdb',
    HEAT_MQTT_URL: mq.url,
    HEAT_MQTT_CLIENT_ID: `chaos-ingest-${process.pid}-${Date.now()}`,
    HEAT_SIM: 'false',
    HEAT_FLUSH_MS: '100',
    LOG_LEVEL: 'error',
  };
  const base = Date.now() - 3_600_000;
  let child: IngestProcess = startIngestProcess(env);
  let load: Awaited<ReturnType<typeof startLoad>> | undefined;
  let kills = 0;
  try {
    // The first process subscribes before the load starts: from then on the session queues.
    await child.ready(90_000);
    load = await startLoad({ url: mq.url, stations: MINI_STATIONS, total: o.total, rate: o.rate, base, clientId: `chaos-gw-kill-${process.pid}` });
    for (let k = 1; k <= o.kills; k++) {
      await load.sentAtLeast(Math.floor((o.total * k) / (o.kills + 1)));
      // Kill while it works, not while it starts: it has stored at least one batch.
      const c = child;
      await pollUntil(() => c.stored > 0, 60_000, `ingest process ${c.pid} to store something`);
      await c.kill();
      kills++;
      child = startIngestProcess(env);
      await child.ready(90_000);
    }
    await load.done();
    const expected = o.total * LOAD_FIELDS.length;
    const q = { type: 'count' as const, measurement: 'station' as const, ids: [...MINI_STATIONS], fields: [...LOAD_FIELDS], from: base, to: base + o.total };
    let rows = 0;
    const c = child;
    await pollUntil(async () => (rows = await c.count(q, 30_000)) >= expected, 180_000, () => `${expected} rows in the store (has ${rows})`, 250);
    const code = await child.stop(30_000);
    if (code !== 0) throw new Error(`the last ingest process exited with ${code}`);
    const check = compareRows(expectedRows(o.total, { stations: MINI_STATIONS, base }), await duckdbStationRows(join(dataDir, DUCKDB_FILE)));
    return {
      check,
      published: load.acked,
      kills,
      publishErrors: load.errors,
      line: figures('process kill -9', load.acked, check, { kills, rate: o.rate }),
    };
  } finally {
    await load?.stop();
    await child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
