// Long run of scenario 1 (`npm run test:chaos`): 15 × kill -9 of the ingest process under
// 400 msgs/s of QoS 1 load, 40,000 distinct readings. CHAOS_KILLS overrides the number of kills.
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { runProcessKill } from './scenarios/process-kill';

const kills = Number(process.env.CHAOS_KILLS ?? 15);
const total = 40_000;
const mq = await startMosquitto();

describe.skipIf(!mq)('chaos (long): kill -9 the ingest process under load', () => {
  afterAll(async () => {
    await mq?.stop();
  });

  it(`loses nothing and duplicates nothing across ${kills} kills`, async () => {
    const r = await runProcessKill(mq!, { total, rate: 400, kills });
    console.log(r.line);
    expect(r.kills).toBe(kills);
    expect(r.publishErrors).toBe(0);
    expect(r.check).toMatchObject({ expected: 2 * total, distinct: 2 * total, lost: 0, duplicated: 0, changed: 0, unexpected: 0 });
  });
});
