// The InfluxDB store (v1 API) on a real influxd 1.x: the contract suite, one fresh database per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../test/support/require-binary';
import { startInfluxd, type RunningInfluxd } from '../test/support/influxd';
import { InfluxHttp } from './influx-http';
import { InfluxStore } from './influx-store';
import { ident, literal } from './influxql';
import { describeTelemetryStoreContract } from './telemetry-store.contract';

const influxd = requireBinary('influxd', 'the InfluxDB store tests need a real influxd 1.x', ['/usr/bin/influxd']);
let server: RunningInfluxd;
let n = 0;

describe.runIf(influxd !== undefined)('influx v1 on a real influxd', () => {
  beforeAll(async () => {
    server = (await startInfluxd()) as RunningInfluxd;
  });
  afterAll(async () => server?.stop());

  describeTelemetryStoreContract('influx-v1', async (opts) => {
    const database = `heat_test_${n++}`;
    const drop = (): Promise<unknown> => new InfluxHttp({ api: 'v1', url: server.url, database }).query(`DROP DATABASE ${ident(database)}`, 'STORE_QUERY', false);
    return { store: new InfluxStore({ api: 'v1', url: server.url, database, ...opts }), cleanup: async () => void (await drop()) };
  });

  it('reports a field type conflict as STORE_REJECTED with the server message, not retryable', async () => {
    const store = new InfluxStore({ api: 'v1', url: server.url, database: 'heat_conflict' });
    await store.connect();
    await store.write([{ measurement: 'station', tags: { id: 'a' }, fields: { t1_supply: 1 }, time: 1_000 }]);
    const e = await store.write([{ measurement: 'station', tags: { id: 'a' }, fields: { t1_supply: 'hot' }, time: 2_000 }]).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'STORE_REJECTED' });
    expect(String((e as Error).message)).toMatch(/field type conflict/);
    expect((e as { canRetry(): boolean }).canRetry()).toBe(false);
    await store.close();
  });

  it("escapes InfluxQL literals as influxd's scanner reads them (backslash, quote)", async () => {
    const http = new InfluxHttp({ api: 'v1', url: server.url, database: 'heat_literal' });
    await http.query('CREATE DATABASE "heat_literal"', 'STORE_QUERY', false);
    await http.write("m,id=a\\b v=1 1\nm,id=q'x v=2 2\n"); // raw tags: a\b and q'x
    for (const [id, v] of [['a\\b', 1], ["q'x", 2]] as const) {
      const [r] = await http.query(`SELECT v FROM m WHERE id = ${literal(id)}`);
      expect(r?.series?.[0]?.values).toEqual([[v, v]]);
    }
  });
});
