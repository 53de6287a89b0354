// Long run of scenario 2 (`npm run test:chaos`): InfluxDB down for several minutes under
// 300 msgs/s of QoS 1 load (CHAOS_OUTAGE_S, default 180 s); then the same with a disk buffer of
// 1 MiB, far smaller than the outage (policy block: the overflow waits at the broker).
import { afterAll, describe, expect, it } from 'vitest';
import { startInfluxd } from '../support/influxd';
import { startMosquitto } from '../support/mosquitto';
import { runDbOutage } from './scenarios/db-outage';

const outageS = Number(process.env.CHAOS_OUTAGE_S ?? 180);
const rate = 300;
const outageReadings = outageS * rate;
const total = outageReadings + 12_000;
const mq = await startMosquitto({ maxQueuedMessages: 1_000_000 });
const influxd = mq ? await startInfluxd() : undefined;

describe.skipIf(!mq || !influxd)('chaos (long): InfluxDB outage under load', () => {
  afterAll(async () => {
    await mq?.stop();
    await influxd?.stop();
  });

  it(`an outage of ${outageS} s: every reading spilled to disk, acknowledged, replayed in order; nothing lost`, async () => {
    const r = await runDbOutage(mq!, influxd!, { total, rate, outageReadings, diskMaxBytes: 512 * 1024 * 1024, diskSegmentBytes: 1024 * 1024 });
    console.log(r.line);
    expect(r.spilledDuringOutage).toBeGreaterThanOrEqual(outageReadings * 0.9);
    expect(r.unackedAtResume).toBeLessThan(1_000);
    expect(r.replayed).toBe(r.spilled);
    expect(r.refusedFull).toBe(0);
    expect(r.droppedAnywhere).toBe(0);
    expect(r.inOrder).toBe(true);
    expect(r.diskFilesLeft).toBe(0);
    expect(r.check).toMatchObject({ expected: 2 * total, distinct: 2 * total, lost: 0, duplicated: 0, changed: 0, unexpected: 0 });
  });

  it(`an outage of ${outageS} s with a 1 MiB disk buffer (block): counted refusals, nothing lost`, async () => {
    const r = await runDbOutage(mq!, influxd!, { total, rate, outageReadings, diskMaxBytes: 1024 * 1024, diskSegmentBytes: 64 * 1024 });
    console.log(r.line);
    expect(r.refusedFull).toBeGreaterThan(0);
    expect(r.fullLogLines).toBeGreaterThanOrEqual(1);
    expect(r.peakDiskBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(r.unackedAtResume).toBeGreaterThan(0); // the overflow waited, unacknowledged
    expect(r.droppedAnywhere).toBe(0);
    expect(r.inOrder).toBe(true);
    expect(r.check).toMatchObject({ expected: 2 * total, distinct: 2 * total, lost: 0, duplicated: 0, changed: 0, unexpected: 0 });
  });
});
