// Alerts on MQTT for other systems (SCADA, a dispatch board, a pager gateway):
//   topic   heat/v1/_alerts/{severity}/{stationId}   (a primary network's or weather site's id
//           when the alert has no station), QoS 1, not retained
//   payload {"type":"alert.opened","reason":"opened","alert":{…Alert}}
// Every alert event is published (opened, updated, acknowledged, shelved, cleared), so a
// subscriber can follow the whole lifecycle; subscribe to heat/v1/_alerts/critical/# for the worst.
// In flight is bounded; over it, or on a failed publish, the message is lost — counted and logged.
//
// Lifecycle: connectAlertPublisher() (own client on the app's broker) → new MqttAlertNotifier →
// onEvent() per rules event → close() at shutdown (waits for what is in flight, then disconnects).

import { connectAsync, type MqttClient } from 'mqtt';
import type { Alert } from '../alert';
import type { RulesLogger } from '../engine';
import type { RulesEvent } from '../events';
import type { NotifyMetrics } from './notify-metrics';
import type { AlertPushEvent } from './push-events';

export const ALERT_TOPIC_PREFIX = 'heat/v1/_alerts';

/** Port: publishes one message with QoS 1, not retained; resolves when the broker has it. */
export interface AlertPublisher {
  publish(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export function alertTopic(a: Alert): string {
  const where = a.route.stationId ?? a.entity.id;
  return `${ALERT_TOPIC_PREFIX}/${a.severity}/${where}`;
}

export async function connectAlertPublisher(url: string, opts: { clientId: string; username?: string; password?: string }): Promise<AlertPublisher> {
  const client: MqttClient = await connectAsync(url, {
    clientId: opts.clientId,
    ...(opts.username ? { username: opts.username, password: opts.password ?? '' } : {}),
    reconnectPeriod: 2_000,
  });
  return {
    async publish(topic, payload) {
      await client.publishAsync(topic, payload, { qos: 1, retain: false });
    },
    async close() {
      await client.endAsync();
    },
  };
}

export class MqttAlertNotifier {
  private inflight = 0;
  private lostLogged = 0;
  private idle: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(
    private readonly o: {
      readonly publisher: AlertPublisher;
      readonly metrics: NotifyMetrics;
      readonly logger?: RulesLogger;
      /** Publishes awaiting the broker at most (default 1000). */
      readonly maxInflight?: number;
    },
  ) {}

  onEvent(e: RulesEvent): void {
    if ('incident' in e) return;
    if (this.inflight >= (this.o.maxInflight ?? 1_000)) {
      this.lose('queue-full', e.alert.id, 'too many publishes awaiting the broker');
      return;
    }
    const payload: AlertPushEvent = { type: e.type, reason: e.reason, alert: e.alert };
    if (this.inflight === 0) this.idle = new Promise((r) => (this.release = r));
    this.inflight++;
    this.o.metrics.setQueued('mqtt', this.inflight);
    this.o.publisher
      .publish(alertTopic(e.alert), JSON.stringify(payload))
      .then(
        () => this.o.metrics.sent('mqtt', e.type),
        (err: unknown) => this.lose('publish-failed', e.alert.id, err instanceof Error ? err.message : String(err)),
      )
      .finally(() => {
        this.inflight--;
        this.o.metrics.setQueued('mqtt', this.inflight);
        if (this.inflight === 0) this.release?.();
      });
  }

  /** Waits for publishes in flight, then closes the publisher. */
  async close(): Promise<void> {
    await this.idle;
    await this.o.publisher.close();
  }

  private lose(reason: 'queue-full' | 'publish-failed', alertId: string, why: string): void {
    this.o.metrics.lost('mqtt', reason);
    // Logged once per loss while few; a dead broker would otherwise flood the log (the count goes on in /metrics).
    if (this.lostLogged++ < 20) this.o.logger?.warn({ alertId, reason, why }, 'MQTT alert notification lost');
  }
}
