// MQTT identities of the field: one gateway account per station (`gw-<stationId>`, publishes its
// station and that station's compounds) and per weather site (`wx-<siteId>`). Their passwords are
// derived from one secret (HEAT_MQTT_GATEWAY_SECRET) with HMAC-SHA256, so nothing per gateway has
// to be stored: the embedded broker recomputes them, and deploy/mosquitto/generate.ts writes them
// as a Mosquitto password file ($7$ = PBKDF2-SHA512, the format of mosquitto_passwd).
//
// Usernames carry no ':' (Mosquitto's password file separates user and hash with it); network ids
// match [A-Za-z0-9_-], so `gw-` + id is always a valid name.

import { createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NetworkModel } from '../domain/network';

export const GATEWAY_PREFIX = 'gw-';
export const WEATHER_PREFIX = 'wx-';

export function gatewayUsername(stationId: string): string {
  return `${GATEWAY_PREFIX}${stationId}`;
}

export function weatherUsername(siteId: string): string {
  return `${WEATHER_PREFIX}${siteId}`;
}

/** The password of a field account: 43 characters of base64url (256 bits). */
export function derivedPassword(secret: string, username: string): string {
  return createHmac('sha256', secret).update(`heat-mqtt-gateway:v1:${username}`).digest('base64url');
}

/** Topics each field account may publish to, from the network model. */
export function fieldAccounts(network: NetworkModel): Map<string, ReadonlySet<string>> {
  const out = new Map<string, ReadonlySet<string>>();
  for (const s of network.stations) {
    out.set(gatewayUsername(s.id), new Set([`heat/v1/station/${s.id}`, ...network.compoundsOf(s.id).map((c) => `heat/v1/compound/${c.id}`)]));
  }
  for (const w of network.weatherSites) out.set(weatherUsername(w.id), new Set([`heat/v1/weather/${w.id}`]));
  return out;
}

/** Equal strings, in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A Mosquitto 2 password-file line (`mosquitto_passwd` format $7$: PBKDF2-SHA512, 12-byte salt). */
export function mosquittoPasswordLine(username: string, password: string, iterations = 1000): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, iterations, 64, 'sha512');
  return `${username}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a Mosquitto $7$ hash (for tests of generated files). */
export function verifyMosquittoHash(password: string, hash: string): boolean {
  const m = /^\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (!m) return false;
  const want = Buffer.from(m[3] as string, 'base64');
  const got = pbkdf2Sync(password, Buffer.from(m[2] as string, 'base64'), Number(m[1]), want.length, 'sha512');
  return got.length === want.length && timingSafeEqual(got, want);
}
