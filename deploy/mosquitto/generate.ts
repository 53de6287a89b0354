// Writes the access files of the shipped Mosquitto configuration for a network:
//
//   HEAT_MQTT_GATEWAY_SECRET=… HEAT_MQTT_USERNAME=heat-ingest HEAT_MQTT_PASSWORD=… \
//     npx tsx deploy/mosquitto/generate.ts fixtures/networks/jiayuguan.json /etc/mosquitto/heatwatch
//
// → <out>/acl and <out>/passwd (mode 0600). A gateway's password is printed with
//   npx tsx deploy/mosquitto/generate.ts --password gw-<stationId>
// (the same secret in the environment). Without the secret only the acl is written.

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNetwork } from '../../domain/network-loader';
import { derivedPassword } from '../../auth/mqtt-credentials';
import { mosquittoAcl, mosquittoPasswd } from './mosquitto-files';

function fail(msg: string): never {
  process.stderr.write(`${msg}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const secret = process.env.HEAT_MQTT_GATEWAY_SECRET ?? '';
const service = process.env.HEAT_MQTT_USERNAME || 'heat-ingest';
if (args[0] === '--password') {
  if (!secret) fail('HEAT_MQTT_GATEWAY_SECRET is not set');
  if (!args[1]) fail('usage: generate.ts --password gw-<stationId> | wx-<siteId>');
  process.stdout.write(`${derivedPassword(secret, args[1])}\n`);
  process.exit(0);
}
const [networkFile, outDir] = args;
if (!networkFile || !outDir) fail('usage: generate.ts <network file> <output folder>');
const network = loadNetwork(networkFile);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'acl'), mosquittoAcl(network, service, networkFile));
process.stdout.write(`wrote ${join(outDir, 'acl')} (${network.stations.length} station gateways, ${network.weatherSites.length} weather sites)\n`);
if (secret) {
  const pw = process.env.HEAT_MQTT_PASSWORD ?? '';
  if (!pw) fail('HEAT_MQTT_PASSWORD (the ingest service account) is not set');
  const file = join(outDir, 'passwd');
  writeFileSync(file, mosquittoPasswd(network, secret, service, pw), { mode: 0o600 });
  chmodSync(file, 0o600);
  process.stdout.write(`wrote ${file}\n`);
} else {
  process.stdout.write('HEAT_MQTT_GATEWAY_SECRET not set: no passwd written\n');
}
