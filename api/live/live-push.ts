// Live push over socket.io on the API's HTTP server. A page emits `subscribe` {entity: "station:dexuan"}
// (validated against the network model; optional ack) and joins that entity's room; `unsubscribe`
// leaves it. Readings published on the bus reach only the rooms of their own entity, through the
// bounded LiveCoalescer; everyone also gets a light `tick` per window for overviews.
// Lifecycle: attachLivePush() once after the HTTP server exists (subscribes to the bus);
// stop() once at shutdown (leaves the bus, clears the timer), then io.close() (sockets and HTTP server).

import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { HeatError, isHeatError } from '../../domain/errors';
import type { NetworkModel } from '../../domain/network';
import type { TelemetryBus } from '../../domain/telemetry-bus';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../dto';
import { entityRefSchema } from '../entity-ref';
import { parsePart } from '../parse-part';
import { LiveCoalescer } from './live-coalescer';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface LivePushOptions {
  /** Coalescing window, ms (default 250). */
  readonly windowMs?: number;
  /** Readings per entity per window that survive coalescing (default 32). */
  readonly maxPerEntity?: number;
  /** Rooms one connection may join (default 64: a station and its compounds fit easily). */
  readonly maxSubscriptions?: number;
}

export interface LivePush {
  readonly io: LiveServer;
  /** Stop taking readings from the bus. The owner of the HTTP server then calls `io.close()`. */
  stop(): void;
}

const ROOM_PREFIX = 'entity:';

function counter(registry: Registry, name: string, help: string, labelNames: string[] = []): Counter {
  return (registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export function attachLivePush(
  server: HttpServer,
  deps: { network: NetworkModel; bus: TelemetryBus; registry: Registry; logger: Logger; now: () => number },
  opts: LivePushOptions = {},
): LivePush {
  const maxSubs = opts.maxSubscriptions ?? 64;
  const io: LiveServer = new Server(server, { serveClient: false, maxHttpBufferSize: 16_384 });
  const Subscribe = z.object({ entity: entityRefSchema(deps.network) });

  const emitted = counter(deps.registry, 'heat_live_readings_emitted_total', 'Readings pushed to live-page rooms');
  const dropped = counter(deps.registry, 'heat_live_readings_dropped_total', 'Readings dropped by live-push coalescing (over the per-entity cap in one window)');
  const rejected = counter(deps.registry, 'heat_live_subscribe_rejected_total', 'Live subscriptions refused, by error code', ['code']);
  const clientsName = 'heat_live_clients';
  const clients =
    (deps.registry.getSingleMetric(clientsName) as Gauge | undefined) ??
    new Gauge({ name: clientsName, help: 'Connected live-page sockets', registers: [deps.registry] });

  const coalescer = new LiveCoalescer({
    windowMs: opts.windowMs ?? 250,
    maxPerEntity: opts.maxPerEntity ?? 32,
    now: deps.now,
    hasListeners: (entity) => (io.sockets.adapter.rooms.get(ROOM_PREFIX + entity)?.size ?? 0) > 0,
    emit: (entity, readings) => {
      const room = io.to(ROOM_PREFIX + entity);
      for (const r of readings) room.emit('reading', r);
      emitted.inc(readings.length);
    },
    tick: (t) => io.emit('tick', t),
    onDrop: (entity, n) => {
      dropped.inc(n);
      deps.logger.warn({ entity, dropped: n }, 'live push: readings over the per-window cap dropped');
    },
  });
  const unsubscribeBus = deps.bus.subscribe((batch) => coalescer.add(batch));

  const handle = (socket: LiveSocket, join: boolean, payload: unknown, ack: unknown): void => {
    let answer: SubscribeAck;
    try {
      const { entity } = parsePart('message', Subscribe, payload);
      const room = ROOM_PREFIX + entity.key;
      if (join && !socket.rooms.has(room)) {
        const current = [...socket.rooms].filter((r) => r.startsWith(ROOM_PREFIX)).length;
        if (current >= maxSubs) throw new HeatError('BAD_REQUEST', `message.entity: at most ${maxSubs} subscriptions per connection`);
        void socket.join(room);
      } else if (!join) {
        void socket.leave(room);
      }
      answer = { ok: true, entity: entity.key };
    } catch (e) {
      const he = isHeatError(e) ? e : new HeatError('INTERNAL', 'subscription failed');
      rejected.inc({ code: he.code });
      answer = { ok: false, error: he.toJSON() };
    }
    if (typeof ack === 'function') (ack as (a: SubscribeAck) => void)(answer);
  };

  io.on('connection', (socket) => {
    clients.inc();
    socket.on('subscribe', (payload, ack) => handle(socket, true, payload, ack));
    socket.on('unsubscribe', (payload, ack) => handle(socket, false, payload, ack));
    socket.on('disconnect', () => clients.dec());
  });

  return {
    io,
    stop() {
      unsubscribeBus();
      coalescer.close();
    },
  };
}
