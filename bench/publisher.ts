// Bench child: publishes the pre-generated workload over MQTT with QoS 1 from several mqtt.js
// clients (an entity always on the same client, so its readings stay in order), each with a window
// of unacknowledged publishes, as field gateways would.
//   burst: everything as fast as the broker acknowledges (throughput runs);
//   live:  paced like the city: each entity reports once per scan at its own phase within the scan,
//          with `ts` restamped to the publish time (latency runs).
// IPC: → ready {messages}; ← go; → started {at}; → published {at, messages} (every PUBACK back);
// ← stop ends a live run early.

import mqtt, { type MqttClient } from 'mqtt';
import { childConfig, nowMs, toParent } from './child';
import { entityOf, hash, planLive, restamp, type Planned } from './live-plan';
import { readWorkload, sample, type WorkloadMessage } from './workload-file';

export interface PublisherConfig {
  readonly url: string;
  readonly workload: string;
  readonly clients: number;
  /** Unacknowledged publishes per client. */
  readonly window: number;
  readonly mode: 'burst' | 'live';
  /** live: run this long, ms. */
  readonly durationMs?: number;
  /** live: scan period per kind, to spread entities over it. */
  readonly scanMs?: Readonly<Record<string, number>>;
  /** live: entities (topic ids) not to publish (the latency probe publishes those). */
  readonly exclude?: readonly string[];
  /** Publish every `stride`-th message only (a smaller burst of the same mix). */
  readonly stride?: number;
}

const cfg = childConfig<PublisherConfig>();

interface Lane {
  readonly client: MqttClient;
  readonly queue: WorkloadMessage[];
  next: number;
  inflight: number;
}

async function main(): Promise<void> {
  const all = readWorkload(cfg.workload);
  const messages = sample(all, cfg.stride ?? 1);
  const clients = await Promise.all(
    Array.from({ length: cfg.clients }, (_, i) =>
      mqtt.connectAsync(cfg.url, { clientId: `bench-pub-${process.pid}-${i}`, clean: true, protocolVersion: 4, reconnectPeriod: 0 }),
    ),
  );
  toParent({ type: 'ready', messages: messages.length });
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'go') {
      running = true;
      void (cfg.mode === 'burst' ? burst(clients, messages) : live(clients, messages)).catch(fail).finally(() => (running = false));
    }
    if (m.type === 'stop') {
      stopRequested = true;
      // A live run ends at its next tick and reports; otherwise there is nothing to finish.
      if (!running || cfg.mode === 'burst') process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

let stopRequested = false;
let running = false;

function fail(e: unknown): void {
  toParent({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) });
  process.exit(1);
}

async function burst(clients: MqttClient[], messages: readonly WorkloadMessage[]): Promise<void> {
  const lanes: Lane[] = clients.map((client) => ({ client, queue: [], next: 0, inflight: 0 }));
  for (const m of messages) (lanes[hash(entityOf(m.topic)) % lanes.length] as Lane).queue.push(m);
  let acked = 0;
  const total = messages.length;
  const started = nowMs();
  toParent({ type: 'started', at: started });
  await new Promise<void>((resolve, reject) => {
    const pump = (lane: Lane): void => {
      while (lane.inflight < cfg.window && lane.next < lane.queue.length) {
        const m = lane.queue[lane.next++] as WorkloadMessage;
        lane.inflight++;
        lane.client.publish(m.topic, m.payload, { qos: 1 }, (e) => {
          if (e) return reject(e);
          lane.inflight--;
          if (++acked === total) resolve();
          else pump(lane);
        });
      }
    };
    for (const lane of lanes) pump(lane);
  });
  toParent({ type: 'published', at: nowMs(), messages: acked, startedAt: started });
}

async function live(clients: MqttClient[], messages: readonly WorkloadMessage[]): Promise<void> {
  const durationMs = cfg.durationMs ?? 60_000;
  const plan: Planned[] = planLive(messages, { lanes: clients.length, durationMs, scanMs: cfg.scanMs ?? {}, exclude: new Set(cfg.exclude ?? []) });
  const t0 = nowMs();
  toParent({ type: 'started', at: t0, planned: plan.length });
  let i = 0;
  let sent = 0;
  let acked = 0;
  let behindMaxMs = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = nowMs();
      while (i < plan.length && plan[i]!.at <= now - t0 && !stopRequested) {
        const p = plan[i++]!;
        behindMaxMs = Math.max(behindMaxMs, now - t0 - p.at);
        const ts = Math.round(nowMs());
        sent++;
        (clients[p.lane] as MqttClient).publish(p.m.topic, restamp(p.m.payload, ts), { qos: 1 }, () => {
          acked++;
        });
      }
      if (i >= plan.length || stopRequested || now - t0 > durationMs) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  toParent({ type: 'published', at: nowMs(), messages: sent, acked, behindMaxMs: Math.round(behindMaxMs), startedAt: t0 });
}

main().catch(fail);
