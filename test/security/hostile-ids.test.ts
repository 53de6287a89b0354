// Issue 9, item 5: ids and field names from a request can never inject into SQL (DuckDB) or
// InfluxQL (a real InfluxDB 1.6). Hostile values go through the HTTP API as an operator would send
// them; every one is refused with a 4xx naming the part, never a 500, and the stored data is
// unchanged afterwards (the stores' own tests cover hostile ids at the port).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { T0 } from '../../api/testing/api-harness';
import { DuckDBStore } from '../../store/duckdb-store';
import { InfluxStore } from '../../store/influx-store';
import type { TelemetryStore } from '../../store/telemetry-store';
import { startInfluxd } from '../support/influxd';
import { READINGS, startSecureApi } from './support/secure-api';

const HOSTILE = [
  "dexuan' OR '1'='1",
  "dexuan'; DROP TABLE readings; --",
  'dexuan"; DROP MEASUREMENT station; --',
  "dexuan' OR id =~ /.*/ --",
  'dexuan\\',
  'dexuan\n',
  'dexuan%00',
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '德轩换热站',
  'x'.repeat(5000),
  '*',
  '/.*/',
  'dexuan,sensor=x',
  'dexuan id=1',
];

const influxd = await startInfluxd();
const stores: Array<[string, () => Promise<TelemetryStore>, (() => void) | undefined]> = [];
const duckDir = mkdtempSync(join(tmpdir(), 'heat-hostile-'));
stores.push(['DuckDB', async () => new DuckDBStore({ dataDir: duckDir }), () => rmSync(duckDir, { recursive: true, force: true })]);
if (influxd) stores.push(['InfluxDB 1.6', async () => new InfluxStore({ api: 'v1', url: influxd.url, database: 'heat_hostile' }), undefined]);

afterAll(async () => {
  await influxd?.stop();
});

describe.each(stores)('hostile ids through the HTTP API on %s', (_name, makeStore, cleanup) => {
  it('are refused with 4xx naming the part; nothing is read from elsewhere or destroyed', async () => {
    const store = await makeStore();
    const s = await startSecureApi({ store });
    try {
      const auth = { authorization: await s.bearer('admin') };
      const before = await s.store.latest('station');
      const range = `from=${T0 - 3_600_000}&to=${T0}`;
      let checked = 0;
      for (const h of HOSTILE) {
        const e = encodeURIComponent(h);
        const urls = [
          `/api/stations/${e}`,
          `/api/series?entity=station:${e}&fields=t2_supply&${range}`,
          `/api/series?entity=${e}&fields=t2_supply&${range}`,
          `/api/series?entity=station:dexuan&fields=${e}&${range}`,
          `/api/series?entity=compound:longhu-huating&fields=t_indoor&sensor=${e}&${range}`,
          `/api/series?entity=station:dexuan&fields=t2_supply&from=${e}&to=${T0}`,
        ];
        for (const u of urls) {
          const r = await fetch(`${s.base}${u}`, { headers: auth });
          const body = (await r.json()) as { code?: string; detail?: string; series?: Array<{ points: unknown[] }> };
          // 404 is an unknown but well-formed id; a malformed one is 400. Never data, never 500.
          expect({ u: u.slice(0, 120), status: r.status }).toMatchObject({ status: expect.toSatisfy((x: number) => x === 400 || x === 404) });
          expect(body.code).toMatch(/^(BAD_REQUEST|NOT_FOUND|UNKNOWN_ENTITY|UNKNOWN_FIELD|TIMESTAMP_INVALID)$/);
          expect(body.series).toBeUndefined();
          checked++;
        }
      }
      expect(checked).toBe(HOSTILE.length * 6);
      // Everything is still there and readable.
      const after = await s.store.latest('station');
      expect(after).toEqual(before);
      expect(after.map((v) => v.id).sort()).toEqual(READINGS.filter((m) => m.measurement === 'station').map((m) => m.tags.id).sort());
      const ok = await fetch(`${s.base}/api/series?entity=station:dexuan&fields=t2_supply&${range}&every=raw`, { headers: auth });
      expect(((await ok.json()) as { series: Array<{ points: unknown[] }> }).series[0]?.points).toHaveLength(1);
    } finally {
      await s.close();
      cleanup?.();
    }
  }, 120_000);
});
