// Bench child: subscribes to heat/v1/# with QoS 1 and does nothing but count (mqtt.js acknowledges
// each message at once): the broker-path ceiling the ingest runs are compared with.
// IPC: → ready; → done {at, messages} when `expect` messages have arrived.

import mqtt from 'mqtt';
import { childConfig, nowMs, toParent } from './child';

interface NullSubscriberConfig {
  readonly url: string;
  readonly expect: number;
  readonly receiveMaximum: number;
}

const cfg = childConfig<NullSubscriberConfig>();

async function main(): Promise<void> {
  const client = await mqtt.connectAsync(cfg.url, {
    clientId: `bench-null-${process.pid}`,
    clean: true,
    protocolVersion: 5,
    properties: { receiveMaximum: cfg.receiveMaximum },
    reconnectPeriod: 0,
  });
  let n = 0;
  client.on('message', () => {
    if (++n === cfg.expect) toParent({ type: 'done', at: nowMs(), messages: n });
  });
  await client.subscribeAsync('heat/v1/#', { qos: 1 });
  toParent({ type: 'ready' });
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stop') void client.endAsync(true).then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}

main().catch((e: unknown) => {
  toParent({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
});
