// Node-RED's end-to-end throughput on the same workload (or an every-k-th sample of it: same mix,
// smaller burst), broker and InfluxDB: the clock runs from the publisher's first publish until
// influxd's shards hold as many points as were published (its own counter, polled every 50 ms,
// so the end is seen when it happens, without queries). A flow that loses points ends when the
// count stops growing; the loss is reported.

import { startChild } from './child';
import { cpuAccount } from './cpu-account';
import { createDatabase, influxFieldValueCount, waitForPoints } from './influx-admin';
import { startNodeRed } from './node-red';
import { sampleRss } from './rss-sampler';
import { publisherConfig, rates, type RunContext, type ThroughputResult } from './throughput';
import { sampleCounts } from './workload';

export async function nodeRedThroughput(ctx: RunContext, influxUrl: string, db: string, stride: number): Promise<ThroughputResult> {
  const part = sampleCounts(ctx.workload, stride);
  await createDatabase(influxUrl, db);
  const mq = new URL(ctx.mqttUrl);
  const ix = new URL(influxUrl);
  const red = await startNodeRed({ mqttHost: mq.hostname, mqttPort: Number(mq.port), influxHost: ix.hostname, influxPort: Number(ix.port), database: db });
  const pub = startChild('./publisher.ts', { ...publisherConfig(ctx), stride });
  try {
    await pub.next('ready', 120_000);
    const rss = sampleRss(red.pid);
    const cpu = cpuAccount({ 'node-red': red.pid, publisher: pub.pid, ...ctx.serverPids });
    pub.send({ type: 'go' });
    const started = await pub.next<{ type: string; at: number }>('started', 30_000);
    const end = await waitForPoints(influxUrl, db, part.metrics, { deadline: Date.now() + ctx.deadlineMs, settleMs: 10_000 });
    const cpuS = cpu.stop();
    const r = rss.stop();
    if (!end.complete) ctx.log(`  node-red: ${end.seen} of ${part.metrics} points stored, then nothing more for 10 s (or the deadline passed)`);
    const verified = await influxFieldValueCount(influxUrl, db);
    const fraction = Math.min(1, end.seen / part.metrics);
    const errors = red.errors().filter((l) => /\[error\]/.test(l));
    return rates('node-red', end.lastGrowthAt - started.at, Math.round(part.messages * fraction), verified, {
      complete: end.complete,
      stored: verified,
      verified,
      rss: r,
      cpuS,
      extra: {
        nodeRed: red.version,
        published: { ...part, stride },
        lostFieldValues: part.fieldValues - verified,
        errorsLogged: errors.length,
        firstErrors: errors.slice(0, 3),
      },
    });
  } finally {
    await pub.stop(5000);
    await red.stop();
  }
}
