// Self-metrics of the notification channels (socket.io, MQTT, webhooks), on the app's registry:
// what went out, what was retried, what was lost and why. Loss is never silent: every increment
// of `lost` is also logged by the channel that lost it.

import { Counter, Gauge, type Registry } from 'prom-client';

export const CHANNELS = ['socket', 'mqtt', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Why a notification was lost. */
export const LOSS_REASONS = ['retries-exhausted', 'rejected', 'queue-full', 'closed', 'publish-failed'] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

export interface NotifyMetrics {
  sent(channel: Channel, kind: string): void;
  retried(channel: Channel): void;
  lost(channel: Channel, reason: LossReason, n?: number): void;
  setQueued(channel: Channel, n: number): void;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createNotifyMetrics(registry: Registry): NotifyMetrics {
  const sent = metric(registry, 'heat_notify_sent_total', () => new Counter({ name: 'heat_notify_sent_total', help: 'Notifications delivered, by channel and kind', labelNames: ['channel', 'kind'], registers: [registry] }));
  const retried = metric(registry, 'heat_notify_retries_total', () => new Counter({ name: 'heat_notify_retries_total', help: 'Notification deliveries retried', labelNames: ['channel'], registers: [registry] }));
  const lost = metric(registry, 'heat_notify_lost_total', () => new Counter({ name: 'heat_notify_lost_total', help: 'Notifications lost, by channel and reason', labelNames: ['channel', 'reason'], registers: [registry] }));
  const queued = metric(registry, 'heat_notify_queued', () => new Gauge({ name: 'heat_notify_queued', help: 'Notifications waiting or in flight, by channel', labelNames: ['channel'], registers: [registry] }));
  return {
    sent: (channel, kind) => sent.inc({ channel, kind }),
    retried: (channel) => retried.inc({ channel }),
    lost: (channel, reason, n = 1) => lost.inc({ channel, reason }, n),
    setQueued: (channel, n) => queued.set({ channel }, n),
  };
}
