// Issue 9, item 1 (short run for `npm test`; the long run is process-kill.chaos.ts): kill -9 the
// ingest process three times under ~300 msgs/s of QoS 1 load (4,500 readings) on a real Mosquitto, restart it each
// time: zero readings lost, zero duplicated, every value as published.
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { runProcessKill } from './scenarios/process-kill';

const mq = await startMosquitto();

describe.skipIf(!mq)('chaos: kill -9 the ingest process under load', () => {
  afterAll(async () => {
    await mq?.stop();
  });

  it('loses nothing and duplicates nothing across 3 kills', async () => {
    const r = await runProcessKill(mq!, { total: 4_500, rate: 300, kills: 3 });
    console.log(r.line);
    expect(r.kills).toBe(3);
    expect(r.publishErrors).toBe(0);
    expect(r.check).toMatchObject({ expected: 9_000, lost: 0, duplicated: 0, changed: 0, unexpected: 0, distinct: 9_000 });
  }, 300_000);
});
