// Alerts and incidents to the dashboard over the API's socket.io server: every event, as it
// happens, as event `alert` {type, reason, alert} or `incident` {type, incident}.
// Who receives what: sockets of crews (access control on) join their crew's room and get their
// own stations' alerts only — the API's scoping, on the push side; every other socket (operators,
// admins, bureau; everyone when access control is off) joins the room of all alerts.
//
// Lifecycle: attach once after createApi() (sockets are authenticated by then: the auth guard
// runs in io.use before `connection`); onEvent() for every rules event; nothing to stop (the
// API closes the server).

import type { Server, Socket } from 'socket.io';
import { principalOf } from '../../auth/principal';
import type { RulesEvent } from '../events';
import type { NotifyMetrics } from './notify-metrics';
import type { AlertPushEvent, IncidentPushEvent } from './push-events';

const ALL = 'alerts:all';
const crewRoom = (crew: string): string => `alerts:crew:${crew}`;

/** The subset of socket.io's Server used here (the API's server is typed with its own events). */
export type PushServer = Pick<Server, 'on' | 'to'>;

export interface SocketAlertPush {
  onEvent(e: RulesEvent): void;
}

export function attachSocketAlertPush(io: PushServer, metrics?: NotifyMetrics): SocketAlertPush {
  io.on('connection', (socket: Socket) => {
    const p = principalOf(socket.request);
    void socket.join(p?.role === 'crew' ? crewRoom(p.crewId ?? '') : ALL);
  });
  return {
    onEvent(e) {
      if ('incident' in e) {
        const payload: IncidentPushEvent = { type: e.type, incident: e.incident };
        io.to([ALL, ...e.incident.route.crews.map(crewRoom)]).emit('incident', payload);
      } else {
        const payload: AlertPushEvent = { type: e.type, reason: e.reason, alert: e.alert };
        const crew = e.alert.route.crew;
        io.to(crew === undefined ? [ALL] : [ALL, crewRoom(crew)]).emit('alert', payload);
      }
      metrics?.sent('socket', e.type);
    },
  };
}
