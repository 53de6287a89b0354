// Configuration for end-to-end runs of the composed app: free ports, a temp data dir, the mini
// network, the simulator off (tests publish their own readings).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config/config';

/** The seeded admin's password in end-to-end runs (the API needs a login). */
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-1';

/** A bearer token of the seeded admin, for fetch calls to the API. */
export async function adminToken(appUrl: string): Promise<string> {
  const r = await fetch(`${appUrl.replace(/\/$/, '')}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: E2E_ADMIN_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login as admin failed: HTTP ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

export const MINI_NETWORK = new URL('../../fixtures/networks/mini.json', import.meta.url).pathname;

export function e2eConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    HEAT_NETWORK: MINI_NETWORK,
    HEAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'heat-e2e-')),
    HEAT_MQTT_PORT: '0',
    HEAT_HTTP_PORT: '0',
    HEAT_HTTP_HOST: '127.0.0.1',
    HEAT_SIM: 'false',
    HEAT_FLUSH_MS: '50',
    LOG_LEVEL: 'warn',
    HEAT_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
    ...env,
  });
}
