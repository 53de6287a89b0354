// The embedded MQTT broker (aedes) for `npm start` when HEAT_MQTT_URL is empty: the product runs
// with no external broker to install. aedes speaks MQTT 3.1.1 only, keeps sessions in memory
// (they survive ingester restarts, not broker restarts) and has no shared subscriptions; the
// ingester connects to it with protocolVersion 4. For production use an external broker.
//
// Lifecycle: start() once (resolves with the bound port; port 0 picks a free one), stop() once.
//
// Access: with an `authorizer` (auth/mqtt-authorizer.ts) every client must authenticate and may
// publish and subscribe only where its identity allows (aedes' authenticate / authorizePublish /
// authorizeSubscribe hooks). A refused publish closes the client's connection (aedes; MQTT 3.1.1
// has no way to refuse one), a refused subscription gets a failure return code (0x80).

import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { createServer, type Server, type Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';

/** Who may connect, and which topics each identity may use. */
export interface BrokerAuthorizer {
  /** The identity these credentials prove, or undefined to refuse the connection. */
  authenticate(username: string | undefined, password: Buffer | undefined): string | undefined;
  canPublish(identity: string, topic: string): boolean;
  canSubscribe(identity: string, topicFilter: string): boolean;
}

export interface EmbeddedBrokerOptions {
  /** HEAT_MQTT_PORT; 0 = a free port (tests). */
  readonly port: number;
  readonly host?: string;
  /** HEAT_MQTT_USERNAME / HEAT_MQTT_PASSWORD: when a username is set, clients must present both. */
  readonly username?: string;
  readonly password?: string;
  /** Replaces the single username/password check with per-identity access. */
  readonly authorizer?: BrokerAuthorizer;
  readonly logger: Logger;
}

export interface EmbeddedBrokerAddress {
  readonly port: number;
  /** mqtt://host:port, for the ingester and the simulator. */
  readonly url: string;
}

export class EmbeddedBroker {
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: EmbeddedBrokerOptions) {}

  async start(): Promise<EmbeddedBrokerAddress> {
    if (this.server) throw new Error('embedded broker already started');
    const o = this.opts;
    // aedes 1.x: the broker is created (and its persistence set up) asynchronously.
    const broker = await Aedes.createBroker({ id: 'heat-embedded' });
    if (o.authorizer) this.applyAuthorizer(broker, o.authorizer);
    else {
      if (o.username) broker.authenticate = this.authenticate(o.username, o.password ?? '');
      broker.authorizePublish = (client, packet, done) => {
        const why = refusedTopic(packet.topic);
        if (why === undefined) return done(null);
        o.logger.warn({ clientId: client?.id, topic: packet.topic.slice(0, 200), why }, 'embedded broker: publish refused');
        done(new Error(why));
      };
    }
    broker.on('clientError', (client, err) => o.logger.debug({ clientId: client.id, err: err.message }, 'embedded broker: client error'));
    broker.on('connectionError', (_client, err) => o.logger.debug({ err: err.message }, 'embedded broker: connection error'));
    this.broker = broker;

    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      broker.handle(socket);
    });
    const host = o.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) => reject(new Error(`embedded MQTT broker cannot listen on ${host}:${o.port} (HEAT_MQTT_PORT): ${e.message}`, { cause: e })));
      server.listen(o.port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : o.port;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    o.logger.info({ port, host }, 'embedded MQTT broker (aedes) listening');
    return { port, url: `mqtt://${urlHost}:${port}` };
  }

  async stop(): Promise<void> {
    const { server, broker } = this;
    this.server = undefined;
    this.broker = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
      await closed;
    }
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
  }

  private applyAuthorizer(broker: Aedes, a: BrokerAuthorizer): void {
    const identities = new WeakMap<Client, string>();
    const log = this.opts.logger;
    broker.authenticate = (client, user, pass, done) => {
      const who = a.authenticate(user, pass);
      if (who !== undefined) {
        identities.set(client, who);
        return done(null, true);
      }
      log.warn({ clientId: client.id, username: user }, 'embedded broker: bad username or password');
      const err = new Error('bad username or password') as AuthenticateError;
      err.returnCode = 4; // BAD_USERNAME_OR_PASSWORD
      done(err, null);
    };
    broker.authorizePublish = (client, packet, done) => {
      const who = client ? identities.get(client) : undefined;
      if (who !== undefined && refusedTopic(packet.topic) === undefined && a.canPublish(who, packet.topic)) return done(null);
      log.warn({ clientId: client?.id, identity: who, topic: packet.topic.slice(0, 200) }, 'embedded broker: publish refused (not this client\'s topic)');
      done(new Error(`not allowed to publish to ${packet.topic.slice(0, 200)}`));
    };
    broker.authorizeSubscribe = (client, sub, done) => {
      const who = identities.get(client);
      if (who !== undefined && a.canSubscribe(who, sub.topic)) return done(null, sub);
      log.warn({ clientId: client.id, identity: who, filter: sub.topic.slice(0, 200) }, 'embedded broker: subscription refused');
      done(null, null);
    };
  }

  private authenticate(username: string, password: string): Aedes['authenticate'] {
    const want = Buffer.from(`${username}\u0000${password}`);
    return (client, user, pass, done) => {
      const got = Buffer.from(`${user ?? ''}\u0000${pass ? pass.toString() : ''}`);
      const ok = got.length === want.length && timingSafeEqual(got, want);
      if (ok) return done(null, true);
      this.opts.logger.warn({ clientId: client.id, username: user }, 'embedded broker: bad username or password');
      const err = new Error('bad username or password') as AuthenticateError;
      err.returnCode = 4; // AuthErrorCode.BAD_USERNAME_OR_PASSWORD (a const enum we cannot import)
      done(err, null);
    };
  }
}

/**
 * Topics no client may publish to, whoever it is: `$SYS` (aedes' own default) and topics with an
 * empty level (`heat/v1/station/`, `a//b`). The latter are valid MQTT but never ours, and aedes 1.2
 * cannot queue a QoS 1 message on `heat/v1/station/` for a persistent-session subscriber of
 * `heat/v1/station/+`: it drops that subscriber's connection ("no such packet"), which any
 * publisher could repeat to keep the ingester reconnecting (found by test/fuzz).
 */
export function refusedTopic(topic: string): string | undefined {
  if (topic.startsWith('$SYS')) return '$SYS topics are reserved';
  if (topic === '' || topic.startsWith('/') || topic.endsWith('/') || topic.includes('//')) return 'topics with an empty level are not accepted';
  return undefined;
}
