// Issue 9, item 3 (short run for `npm test`; broker-restart.chaos.ts restarts more often):
// Mosquitto restarted twice under ~300 msgs/s of QoS 1 load, then once more while the ingester is
// away with readings queued for it in its persistent session.
import { afterAll, describe, expect, it } from 'vitest';
import { startMosquitto } from '../support/mosquitto';
import { runBrokerRestart } from './scenarios/broker-restart';

const mq = await startMosquitto();

describe.skipIf(!mq)('chaos: Mosquitto restarted under load', () => {
  afterAll(async () => {
    await mq?.stop();
  });

  it('the ingester reconnects and resumes; readings queued while it was away arrive; nothing lost or duplicated', async () => {
    const r = await runBrokerRestart(mq!, { total: 4_500, rate: 300, restarts: 2, whileAway: 1_000 });
    console.log(r.line);
    expect(r.restarts).toBe(3);
    expect(r.publishErrors).toBe(0);
    expect(r.queued).toBeGreaterThanOrEqual(1_000);
    expect(r.queuedStored).toBe(r.queued);
    expect(r.check).toMatchObject({ expected: 9_000, distinct: 9_000, lost: 0, duplicated: 0, changed: 0, unexpected: 0 });
  }, 300_000);
});
