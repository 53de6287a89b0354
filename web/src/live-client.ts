// The page's socket.io connection: keeps the set of subscribed entities and re-subscribes after
// a reconnect (the server forgets rooms when a socket drops), reports connection state; alert and
// incident changes are broadcast to every socket and handed to the alert feed.

import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ReadingEvent, ServerToClientEvents, TickEvent } from '../../api/dto';
import type { AlertEvent, IncidentEvent } from './alert-types';

/** The core push plus the alert engine's broadcasts (`alert`, `incident`). */
type PushEvents = ServerToClientEvents & {
  alert: (e: AlertEvent) => void;
  incident: (e: IncidentEvent) => void;
};

export type LiveState = 'connecting' | 'live' | 'offline';

export interface LiveClient {
  subscribe(entity: string): void;
  unsubscribe(entity: string): void;
  onReading(f: (r: ReadingEvent) => void): () => void;
  onTick(f: (t: TickEvent) => void): () => void;
  onAlert(f: (e: AlertEvent) => void): () => void;
  onIncident(f: (e: IncidentEvent) => void): () => void;
  /** `reconnected` is true when the socket came back after a drop (data may have been missed). */
  onState(f: (s: LiveState, reconnected: boolean) => void): () => void;
}

export function connectLive(): LiveClient {
  const socket: Socket<PushEvents, ClientToServerEvents> = io({ transports: ['websocket', 'polling'] });
  const entities = new Set<string>();
  const readingFns = new Set<(r: ReadingEvent) => void>();
  const tickFns = new Set<(t: TickEvent) => void>();
  const stateFns = new Set<(s: LiveState, reconnected: boolean) => void>();
  const alertFns = new Set<(e: AlertEvent) => void>();
  const incidentFns = new Set<(e: IncidentEvent) => void>();
  let everConnected = false;

  const setState = (s: LiveState, reconnected = false): void => {
    for (const f of stateFns) f(s, reconnected);
  };
  socket.on('connect', () => {
    for (const e of entities) socket.emit('subscribe', { entity: e });
    setState('live', everConnected);
    everConnected = true;
  });
  socket.on('disconnect', () => setState('offline'));
  socket.io.on('reconnect_attempt', () => setState('connecting'));
  socket.on('reading', (r) => {
    for (const f of readingFns) f(r);
  });
  socket.on('tick', (t) => {
    for (const f of tickFns) f(t);
  });
  socket.on('alert', (e) => {
    for (const f of alertFns) f(e);
  });
  socket.on('incident', (e) => {
    for (const f of incidentFns) f(e);
  });

  const add = <F>(set: Set<F>, f: F): (() => void) => {
    set.add(f);
    return () => set.delete(f);
  };
  return {
    subscribe(entity) {
      if (entities.has(entity)) return;
      entities.add(entity);
      if (socket.connected) socket.emit('subscribe', { entity });
    },
    unsubscribe(entity) {
      if (!entities.delete(entity)) return;
      if (socket.connected) socket.emit('unsubscribe', { entity });
    },
    onReading: (f) => add(readingFns, f),
    onTick: (f) => add(tickFns, f),
    onAlert: (f) => add(alertFns, f),
    onIncident: (f) => add(incidentFns, f),
    onState: (f) => add(stateFns, f),
  };
}
