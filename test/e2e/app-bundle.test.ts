// What `npm start` runs: the product bundled by app/bundle.ts, on plain Node. The bundle must find
// what its modules find beside their sources (the rule pack, the web page), serve the dashboard,
// log in the seeded admin, and stop cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle } from '../../app/bundle';
import { adminToken, E2E_ADMIN_PASSWORD, MINI_NETWORK } from './app-config';

// In the project tree: the bundle's packages resolve from node_modules.
const OUT = fileURLToPath(new URL('../../out/test-bundle/', import.meta.url));

describe('npm start (the bundled product on plain Node)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('starts from the bundle, serves the dashboard and the API, and stops on SIGTERM', async () => {
    mkdirSync(OUT, { recursive: true });
    const outDir = mkdtempSync(join(OUT, 'run-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'heat-bundle-'));
    dirs.push(outDir, dataDir);
    const file = join(outDir, 'heatwatch.mjs');
    await bundle(fileURLToPath(new URL('../../app/main.ts', import.meta.url)), file);

    const child = spawn(process.execPath, [file], {
      env: { ...process.env, HEAT_NETWORK: MINI_NETWORK, HEAT_DATA_DIR: dataDir, HEAT_MQTT_PORT: '0', HEAT_HTTP_PORT: '0', HEAT_HTTP_HOST: '127.0.0.1', HEAT_SIM: 'false', HEAT_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const m = /Dashboard[^\n]*?(http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      void exited.then((code) => reject(new Error(`the bundle exited with ${code} before it listened:\n${out}`)));
    });
    try {
      expect(out).toMatch(/"rules":\d+[^\n]*rules engine ready/); // the rule pack beside rules/ was found
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      const token = await adminToken(url);
      const net = await fetch(`${url.replace(/\/$/, '')}/api/network`, { headers: { authorization: `Bearer ${token}` } });
      expect(net.status).toBe(200);
      expect(((await net.json()) as { stations: { id: string }[] }).stations.map((s) => s.id)).toContain('dexuan');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toMatch(/"sig":"SIGTERM"[^\n]*shutting down/);
  }, 60_000);
});
