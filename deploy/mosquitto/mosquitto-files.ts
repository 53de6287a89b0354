// The access files of the shipped Mosquitto configuration, generated from the network model:
// `acl` (who may publish or subscribe where; the same rules as auth/mqtt-authorizer.ts for the
// embedded broker) and `passwd` (Mosquitto $7$ hashes of the service account and of every field
// account, whose passwords derive from HEAT_MQTT_GATEWAY_SECRET: auth/mqtt-credentials.ts).

import type { NetworkModel } from '../../domain/network';
import { derivedPassword, fieldAccounts, gatewayUsername, mosquittoPasswordLine, weatherUsername } from '../../auth/mqtt-credentials';
import { REJECTED_TOPIC, TOPIC_PATTERNS } from '../../ingest/payload-schema';

export function mosquittoAcl(network: NetworkModel, serviceUsername: string, source: string): string {
  const out: string[] = [
    `# HeatWatch Mosquitto ACL, generated from ${source} by deploy/mosquitto/generate.ts. Do not edit: regenerate.`,
    '# Anonymous clients are refused (mosquitto.conf: allow_anonymous false); a user without a section may do nothing.',
    '',
    `# The ingest service (HEAT_MQTT_USERNAME): reads telemetry, reports rejections.`,
    `user ${serviceUsername}`,
    ...TOPIC_PATTERNS.map((t) => `topic read ${t}`),
    `topic readwrite ${REJECTED_TOPIC}`,
    '',
  ];
  const accounts = fieldAccounts(network);
  for (const s of network.stations) {
    const user = gatewayUsername(s.id);
    out.push(`# ${s.name} (${s.id}): station gateway, its station and its compounds`, `user ${user}`);
    for (const topic of [...(accounts.get(user) ?? [])].sort()) out.push(`topic write ${topic}`);
    out.push('');
  }
  for (const w of network.weatherSites) {
    const user = weatherUsername(w.id);
    out.push(`# ${w.name} (${w.id}): weather site`, `user ${user}`, `topic write heat/v1/weather/${w.id}`, '');
  }
  return out.join('\n');
}

export function mosquittoPasswd(network: NetworkModel, secret: string, serviceUsername: string, servicePassword: string): string {
  const lines = [mosquittoPasswordLine(serviceUsername, servicePassword)];
  for (const user of fieldAccounts(network).keys()) lines.push(mosquittoPasswordLine(user, derivedPassword(secret, user)));
  return `${lines.join('\n')}\n`;
}
