// Who may use the embedded broker, and for what (the BrokerAuthorizer of ingest/embedded-broker.ts).
// The same rules ship for Mosquitto in deploy/mosquitto/ (acl file generated from the network).
//
//   service account  HEAT_MQTT_USERNAME / HEAT_MQTT_PASSWORD: the ingester. Subscribes to the
//                    telemetry topics (also as a shared subscription) and heat/v1/_rejected;
//                    publishes heat/v1/_rejected and the alert topic heat/v1/_alerts/{severity}/{station};
//                    with the demo simulator on, it also publishes
//                    telemetry (the simulated city uses this account).
//   gw-<stationId>   publishes heat/v1/station/<stationId> and heat/v1/compound/<each of its
//                    compounds>; subscribes to nothing.
//   wx-<siteId>      publishes heat/v1/weather/<siteId>.
// Anyone else, or a wrong password, is refused at CONNECT.

import { HeatError } from '../domain/errors';
import type { NetworkModel } from '../domain/network';
import type { BrokerAuthorizer } from '../ingest/embedded-broker';
import { REJECTED_TOPIC, TOPIC_PATTERNS } from '../ingest/payload-schema';
import { derivedPassword, fieldAccounts, sameSecret } from './mqtt-credentials';

export interface MqttAccessOptions {
  readonly network: NetworkModel;
  /** HEAT_MQTT_USERNAME / HEAT_MQTT_PASSWORD (required). */
  readonly serviceUsername: string;
  readonly servicePassword: string;
  /** HEAT_MQTT_GATEWAY_SECRET (required). */
  readonly gatewaySecret: string;
  /** HEAT_SIM: the simulated city publishes telemetry with the service account. */
  readonly servicePublishesTelemetry: boolean;
}

const SERVICE = 'service';
const TELEMETRY = /^heat\/v1\/(station|compound|weather)\/[A-Za-z0-9_-]{1,64}$/;
/** The rules engine's alert topic (rules/notify/mqtt-notifier.ts), published with the service account. */
const ALERTS = /^heat\/v1\/_alerts\/(advisory|low|high|critical)\/[A-Za-z0-9_-]{1,64}$/;
/** The ingester's filters, with or without a `$share/<group>/` prefix. */
const SERVICE_FILTERS = new Set<string>([...TOPIC_PATTERNS, REJECTED_TOPIC]);

export function createMqttAuthorizer(o: MqttAccessOptions): BrokerAuthorizer {
  if (!o.serviceUsername || !o.servicePassword) {
    throw new HeatError('CONFIG_INVALID', 'HEAT_MQTT_GATEWAY_SECRET is set, so the broker requires credentials: set HEAT_MQTT_USERNAME and HEAT_MQTT_PASSWORD for the ingester too');
  }
  if (o.gatewaySecret.length < 16) throw new HeatError('CONFIG_INVALID', 'HEAT_MQTT_GATEWAY_SECRET must be at least 16 characters');
  const accounts = fieldAccounts(o.network);
  return {
    authenticate(username, password) {
      if (typeof username !== 'string' || !password) return undefined;
      const pw = password.toString('utf8');
      if (username === o.serviceUsername) return sameSecret(pw, o.servicePassword) ? SERVICE : undefined;
      if (!accounts.has(username)) return undefined;
      return sameSecret(pw, derivedPassword(o.gatewaySecret, username)) ? username : undefined;
    },
    canPublish(identity, topic) {
      if (identity === SERVICE) return topic === REJECTED_TOPIC || ALERTS.test(topic) || (o.servicePublishesTelemetry && TELEMETRY.test(topic));
      return accounts.get(identity)?.has(topic) === true;
    },
    canSubscribe(identity, filter) {
      if (identity !== SERVICE) return false;
      const plain = filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter;
      return SERVICE_FILTERS.has(plain);
    },
  };
}
