// The MQTT side of ingest: subscribes (QoS 1, persistent session) to the three topic patterns of
// contract v1, parses each message, hands its metrics to the writer, and acknowledges the message
// only when the writer says they are stored (or it was rejected). Rejections are published to
// heat/v1/_rejected, counted and logged (rate-limited).
//
// Backpressure (Telegraf's max_undelivered_messages): at most `maxInflight` messages are taken in
// and not yet stored. With MQTT 5 the broker is told so (Receive Maximum) and stops sending; with
// MQTT 3.1.1 (aedes speaks only 3.1.1) a message beyond the cap is held, which stops mqtt.js from
// reading the socket until a slot frees. Unacknowledged messages occupy the broker's in-flight
// window, so the writer flushes as soon as that window is full instead of waiting for its timer.

import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import { writeToStream } from 'mqtt-packet';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../domain/clock';
import type { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import type { Metric } from '../domain/telemetry';
import { AckQueue, type AckEntry } from './ack-queue';
import { countRejection, type IngestMetrics, type RejectionLevel } from './ingest-metrics';
import { LogLimiter } from './log-limiter';
import { parseMessage, type Rejection } from './parse-message';
import { REJECTED_TOPIC, TOPIC_PATTERNS, type PayloadLimits } from './payload-schema';
import { PubackBatcher, type AckStream } from './puback';
import type { Delivery, DeliveryTicket, IngestWriter } from './writer';

// mqtt-packet (mqtt.js's and aedes's encoder) otherwise builds, on its first packet, a 2-byte
// Buffer for each of the 65,536 packet ids: 7.4 MB of heap for the process's life (measured in a
// heap snapshot at city load). The ingester writes its PUBACKs itself (puback.ts); the few packets
// left to mqtt-packet can allocate their id.
writeToStream.cacheNumbers = false;

/**
 * Lifecycle of an ingester. The app calls start() once after the store is connected and the
 * writer started, and stop() once at shutdown, before stopping the writer and closing the store.
 */
export interface Ingester {
  /** Connects, subscribes and starts taking messages in; rejects if the first connection fails. */
  start(): Promise<void>;
  /**
   * Stops taking messages in, drains the writer (stores what is buffered and acknowledges it),
   * then disconnects. Messages not stored within `drainTimeoutMs` stay unacknowledged: the broker
   * redelivers them to the next ingester with the same client id (or group).
   */
  stop(opts?: { drainTimeoutMs?: number }): Promise<void>;
}

export interface MqttIngesterOptions {
  /** HEAT_MQTT_URL (or the embedded broker's URL). */
  readonly url: string;
  /** HEAT_MQTT_CLIENT_ID: the persistent session is keyed by it. */
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly network: NetworkModel;
  readonly writer: IngestWriter;
  readonly logger: Logger;
  readonly metrics?: IngestMetrics;
  /** Real time, for log rate limits. */
  readonly clock?: Clock;
  /**
   * The application's "now" against which reading timestamps are judged (too far ahead or
   * behind). Simulated event time while the demo city runs; the real clock otherwise.
   */
  readonly eventClock?: Clock;
  readonly limits: PayloadLimits;
  /** HEAT_MAX_INFLIGHT: messages taken in and not yet stored (at most 65535 with MQTT 5). */
  readonly maxInflight: number;
  /** 5 (default; Receive Maximum tells the broker the cap) or 4 = MQTT 3.1.1 (aedes). */
  readonly protocolVersion?: 4 | 5;
  /** Subscribe as `$share/<group>/heat/v1/...` so that several ingesters share the load. */
  readonly sharedGroup?: string;
  /** MQTT 5: how long the broker keeps the session (and queues messages) while we are away. */
  readonly sessionExpirySec?: number;
  /**
   * MQTT 3.1.1 only: the broker's per-client outgoing in-flight window (mosquitto's
   * max_inflight_messages, default 20). The writer flushes as soon as this many messages wait.
   * For a broker without a window (aedes), pass maxInflight.
   */
  readonly brokerInflightWindow?: number;
  readonly keepaliveSec?: number;
  readonly reconnectPeriodMs?: number;
  readonly connectTimeoutMs?: number;
  /** Client factory, for tests; default mqtt.connect. */
  readonly connect?: (url: string, opts: IClientOptions) => MqttClient;
}

/** Sent as handleMessage's error: mqtt.js then sends no PUBACK and goes on with the next packet. */
const DEFER_ACK = new Error('acknowledgement deferred until the readings are stored');

const PREVIEW_CHARS = 200;
const DEFAULT_SESSION_EXPIRY_SEC = 7 * 86_400;

interface Incoming {
  readonly packet: IPublishPacket;
  readonly stream: AckStream;
  /** mqtt.js's handleMessage callback: it reads no further packet until this is called (release()). */
  readonly callback: (e?: Error) => void;
  readonly receivedAt: number;
  readonly metrics: Metric[];
  readonly rejections: Rejection[];
}

interface AckItem {
  readonly messageId: number | undefined;
  readonly qos: number;
  readonly stream: AckStream;
}

export class MqttIngester implements Ingester {
  private client: MqttClient | undefined;
  private readonly clock: Clock;
  private readonly eventClock: Clock;
  private readonly log: Logger;
  private readonly limiter: LogLimiter;
  private readonly acks: AckQueue<AckItem>;
  /** PUBACKs released together go out in one socket write. */
  private readonly pubacks = new PubackBatcher();
  private readonly held: Incoming[] = [];
  private readonly window: number;
  private admitted = 0;
  /** QoS 1/2 messages of the current connection not yet acknowledged: the broker's window in use. */
  private unacked = 0;
  private stopping = false;
  private currentStream: AckStream | undefined;

  constructor(private readonly opts: MqttIngesterOptions) {
    const version = opts.protocolVersion ?? 5;
    if (!Number.isInteger(opts.maxInflight) || opts.maxInflight < 1 || (version === 5 && opts.maxInflight > 65535)) {
      throw new RangeError(`maxInflight (HEAT_MAX_INFLIGHT) must be an integer in 1..65535, got ${opts.maxInflight}`);
    }
    if (opts.sharedGroup !== undefined && !/^[^/+#]+$/.test(opts.sharedGroup)) {
      throw new RangeError(`sharedGroup must be a non-empty name without / + #, got ${JSON.stringify(opts.sharedGroup)}`);
    }
    this.clock = opts.clock ?? systemClock;
    this.eventClock = opts.eventClock ?? this.clock;
    this.log = opts.logger;
    this.window = version === 5 ? opts.maxInflight : Math.min(opts.maxInflight, opts.brokerInflightWindow ?? 20);
    this.limiter = new LogLimiter(this.clock, 20, 60_000, (n) => this.log.warn({ suppressed: n }, 'more telemetry rejections (logs suppressed; see heat_ingest_rejections_total)'));
    this.acks = new AckQueue<AckItem>((a) => this.sendAck(a));
  }

  /** Subscription filters, with the shared-subscription prefix when a group is set. */
  get topicFilters(): string[] {
    const g = this.opts.sharedGroup;
    return TOPIC_PATTERNS.map((t) => (g ? `$share/${g}/${t}` : t));
  }

  /** Messages taken in and not yet stored or rejected. */
  get inflight(): number {
    return this.admitted;
  }

  async start(): Promise<void> {
    if (this.client) throw new Error('ingester already started');
    if (this.stopping) throw new Error('ingester was stopped; create a new one');
    const o = this.opts;
    const version = o.protocolVersion ?? 5;
    const options: IClientOptions = {
      clientId: o.clientId,
      clean: false,
      protocolVersion: version,
      keepalive: o.keepaliveSec ?? 30,
      reconnectPeriod: o.reconnectPeriodMs ?? 1000,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      // We subscribe on every connect ourselves (see onConnect).
      resubscribe: false,
      ...(o.username ? { username: o.username } : {}),
      ...(o.password ? { password: o.password } : {}),
      ...(version === 5 ? { properties: { receiveMaximum: o.maxInflight, sessionExpiryInterval: o.sessionExpirySec ?? DEFAULT_SESSION_EXPIRY_SEC } } : {}),
    };
    this.opts.writer.setFlushAtInflight(this.window);
    const client = (o.connect ?? mqtt.connect)(o.url, options);
    this.client = client;
    client.handleMessage = (packet, callback) => this.onMessage(client, packet, callback);
    client.on('error', (e) => this.log.error({ err: e, url: redact(o.url) }, 'MQTT client error'));
    client.on('offline', () => this.log.warn({ url: redact(o.url) }, 'MQTT connection lost; reconnecting'));
    client.on('close', () => this.onClose());

    await new Promise<void>((resolve, reject) => {
      let first = true;
      const fail = (e: Error): void => {
        if (!first) return;
        first = false;
        client.end(true);
        this.client = undefined;
        reject(new Error(`MQTT broker ${redact(o.url)} (HEAT_MQTT_URL): cannot connect as ${o.clientId}: ${e.message}`, { cause: e }));
      };
      client.once('error', fail);
      client.on('connect', (connack) => {
        this.onConnect(client, connack)
          .then(() => {
            if (!first) return;
            first = false;
            client.off('error', fail);
            resolve();
          })
          .catch((e: unknown) => (first ? fail(e instanceof Error ? e : new Error(String(e))) : this.log.error({ err: e }, 'MQTT subscribe failed')));
      });
    });
  }

  async stop(opts: { drainTimeoutMs?: number } = {}): Promise<void> {
    const client = this.client;
    if (!client || this.stopping) return;
    this.stopping = true;
    const drained = await this.opts.writer.drain(opts.drainTimeoutMs ?? 10_000);
    if (!drained) {
      this.log.warn({ messages: this.admitted }, 'ingester stopped before all messages were stored; they stay unacknowledged and the broker will redeliver them');
    }
    this.pubacks.flush(); // what the drain released goes out before the connection ends
    // Held messages were never taken in: let mqtt.js finish with them; the broker redelivers.
    for (const h of this.held.splice(0)) release(h);
    this.limiter.flush();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => client.end(true, () => resolve()), 5000);
      client.end(false, () => {
        clearTimeout(force);
        resolve();
      });
    });
    this.client = undefined;
  }

  private async onConnect(client: MqttClient, connack: IConnackPacket): Promise<void> {
    this.currentStream = client.stream as unknown as AckStream;
    this.unacked = 0; // the old connection's messages no longer occupy a window
    const rm = connack.properties?.receiveMaximum;
    this.log.info({ url: redact(this.opts.url), clientId: this.opts.clientId, sessionPresent: connack.sessionPresent, brokerReceiveMaximum: rm }, 'MQTT connected');
    const v5 = (this.opts.protocolVersion ?? 5) === 5;
    // Retain handling 1 (MQTT 5): retained messages only for a new subscription, not on every resume.
    const granted = await client.subscribeAsync(this.topicFilters, v5 ? { qos: 1, rh: 1 } : { qos: 1 });
    const refused = granted.filter((g) => g.qos !== 0 && g.qos !== 1 && g.qos !== 2);
    if (refused.length > 0) throw new Error(`broker refused subscriptions: ${refused.map((g) => `${g.topic} (code ${g.qos})`).join(', ')}`);
    const downgraded = granted.filter((g) => g.qos === 0);
    if (downgraded.length > 0) this.log.warn({ topics: downgraded.map((g) => g.topic) }, 'broker granted QoS 0 only: messages can be lost');
  }

  private onClose(): void {
    // Messages held (not taken in) on the closed connection: the broker redelivers them.
    const stream = this.currentStream;
    for (let i = this.held.length - 1; i >= 0; i--) {
      const h = this.held[i] as Incoming;
      if (h.stream === stream || isClosed(h.stream)) {
        this.held.splice(i, 1);
        release(h);
      }
    }
  }

  private onMessage(client: MqttClient, packet: IPublishPacket, callback: (e?: Error) => void): void {
    const receivedAt = this.eventClock.now();
    const stream = client.stream as unknown as AckStream;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const parsed = parseMessage(packet.topic, payload, this.opts.network, receivedAt, this.opts.limits);
    const incoming: Incoming = {
      packet,
      stream,
      callback,
      receivedAt,
      metrics: parsed.metrics,
      rejections: parsed.rejections,
    };
    if (this.stopping || !this.canAdmit(incoming) || this.held.length > 0) {
      // mqtt.js reads no further packet until release(): this is the backpressure.
      this.held.push(incoming);
      return;
    }
    this.admit(incoming);
  }

  private canAdmit(m: Incoming): boolean {
    if (this.admitted === 0) return true; // a message larger than the whole buffer must still pass
    return this.admitted < this.opts.maxInflight && this.opts.writer.room() >= m.metrics.length;
  }

  private admit(m: Incoming): void {
    const metrics = this.opts.metrics;
    metrics?.messagesReceived.inc();
    this.admitted++;
    metrics?.inflightMessages.set(this.admitted);
    const ack = this.acks.enqueue({ messageId: m.packet.messageId, qos: m.packet.qos, stream: m.stream });
    if (m.packet.qos > 0 && m.stream === this.currentStream) this.unacked++;
    release(m);
    for (const r of m.rejections) {
      if (metrics) countRejection(metrics, levelOf(r), r.code);
      this.reportRejection(m, r);
    }
    const ticket = new MessageTicket(this, m, ack);
    if (m.metrics.length === 0) ticket.finish();
    else this.opts.writer.submit(m.metrics, ticket);
    // Unacknowledged messages fill the broker's window; once it is full nothing more arrives
    // until we write, so write now rather than at the next flush tick.
    if (this.unacked >= this.window) this.opts.writer.flush('inflight');
  }

  /** For MessageTicket: the message's metrics are stored, refused or dropped. */
  finishMessage(m: Incoming, ack: AckEntry<AckItem>, d?: Delivery): void {
    // The writer counted dropped metrics (buffer_dropped_total); here they are reported.
    if (d !== undefined && d.dropped > 0) {
      const reason = `${d.dropped} of this message's ${m.metrics.length} metrics were dropped because the write buffer was full`;
      this.reportRejection(m, { code: 'BUFFER_FULL', reason, topic: m.packet.topic });
    }
    this.admitted--;
    this.opts.metrics?.inflightMessages.set(this.admitted);
    this.acks.complete(ack);
    this.admitHeld();
  }

  private admitHeld(): void {
    while (this.held.length > 0 && !this.stopping) {
      const next = this.held[0] as Incoming;
      if (isClosed(next.stream)) {
        this.held.shift();
        release(next);
        continue;
      }
      if (!this.canAdmit(next)) return;
      this.held.shift();
      this.admit(next);
    }
  }

  private sendAck(a: AckItem): void {
    if (a.qos === 0 || a.messageId === undefined) return;
    // Only on the connection the message came in on; after a reconnect the broker redelivers.
    if (a.stream !== this.currentStream) return;
    this.unacked--;
    this.pubacks.add(a.stream, a.messageId);
  }

  /** The writer counted the refusal (field_values_rejected_total); here it is reported. For MessageTicket. */
  reportStoreRejection(m: Incoming, metric: Metric, error: HeatError): void {
    const r: Rejection = {
      code: error.code,
      reason: `the store refused ${metric.measurement} ${metric.tags.id}${metric.tags.sensor ? ` sensor ${metric.tags.sensor}` : ''} at ${new Date(metric.time).toISOString()}: ${error.detail}`,
      topic: m.packet.topic,
      entity: metric.tags.id,
      field: Object.keys(metric.fields).join(','),
    };
    this.reportRejection(m, r);
  }

  /** Logs (rate-limited) and publishes one rejection; counting is the caller's. */
  private reportRejection(m: Incoming, r: Rejection): void {
    if (this.limiter.allow()) this.log.warn({ topic: r.topic, code: r.code, field: r.field, reason: r.reason }, 'telemetry rejected');
    const client = this.client;
    if (!client?.connected) return; // counted and logged; the report itself is best effort
    const report = {
      topic: r.topic,
      code: r.code,
      reason: r.reason,
      ...(r.field !== undefined ? { field: r.field } : {}),
      ...(r.entity !== undefined ? { entity: r.entity } : {}),
      ...(r.reading !== undefined ? { reading: r.reading } : {}),
      receivedAt: new Date(m.receivedAt).toISOString(),
      payloadPreview: preview(m.packet.payload),
    };
    client.publish(REJECTED_TOPIC, JSON.stringify(report), { qos: 1 }, (e) => {
      if (e) this.log.debug({ err: e }, 'could not publish a rejection report');
    });
  }
}

/**
 * One admitted message's ticket with the writer. A class, not closures per message: one object
 * instead of three; and under tsx (esbuild keepNames, the tests and tools) every closure also got
 * a naming call, ≈ 5 % of the ingest profile. npm start's bundle (app/bundle.ts) keeps no names.
 */
class MessageTicket implements DeliveryTicket {
  constructor(
    private readonly owner: MqttIngester,
    private readonly m: Incoming,
    private readonly ack: AckEntry<AckItem>,
  ) {}

  rejected(metric: Metric, error: HeatError): void {
    this.owner.reportStoreRejection(this.m, metric, error);
  }

  done(d: Delivery): void {
    this.owner.finishMessage(this.m, this.ack, d);
  }

  finish(): void {
    this.owner.finishMessage(this.m, this.ack);
  }
}

/** Lets mqtt.js go on reading; QoS 0 needs no acknowledgement, and for QoS 1/2 the error keeps mqtt.js from sending one (we do, once stored). */
function release(m: Incoming): void {
  m.callback(m.packet.qos > 0 ? DEFER_ACK : undefined);
}

function levelOf(r: Rejection): RejectionLevel {
  if (r.field !== undefined) return 'field';
  if (r.reading !== undefined) return 'reading';
  return 'message';
}

function preview(payload: Buffer | string): string {
  const text = typeof payload === 'string' ? payload : payload.subarray(0, PREVIEW_CHARS * 4).toString('utf8');
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text;
}

function isClosed(s: AckStream): boolean {
  return s.destroyed === true || s.writable === false;
}

/** The URL without a password, for logs and errors. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
