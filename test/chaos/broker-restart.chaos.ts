// Long run of scenario 3 (`npm run test:chaos`): 8 Mosquitto restarts under 300 msgs/s of QoS 1
// load, then 5,000 readings queued while the ingester is away across one more restart.
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { runBrokerRestart } from './scenarios/broker-restart';

const total = 30_000;
const mq = await startMosquitto();

describe.skipIf(!mq)('chaos (long): Mosquitto restarted under load', () => {
  afterAll(async () => {
    await mq?.stop();
  });

  it('reconnects and resumes after every restart; queued readings arrive; nothing lost or duplicated', async () => {
    const r = await runBrokerRestart(mq!, { total, rate: 300, restarts: 8, whileAway: 5_000 });
    console.log(r.line);
    expect(r.restarts).toBe(9);
    expect(r.publishErrors).toBe(0);
    expect(r.queuedStored).toBe(r.queued);
    expect(r.check).toMatchObject({ expected: 2 * total, distinct: 2 * total, lost: 0, duplicated: 0, changed: 0, unexpected: 0 });
  });
});
