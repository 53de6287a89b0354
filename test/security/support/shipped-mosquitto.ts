// Starts a real Mosquitto with the configuration shipped in deploy/mosquitto/mosquitto.conf, only
// the machine-specific lines replaced (port, file locations, log, user): what is tested is what
// ships. The acl and passwd files are generated for the given network into a temp dir.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { NetworkModel } from '../../../domain/network';
import { mosquittoAcl, mosquittoPasswd } from '../../../deploy/mosquitto/mosquitto-files';
import { freePort } from '../../support/mosquitto';
import { requireBinary } from '../../support/require-binary';

export const SHIPPED_CONF = new URL('../../../deploy/mosquitto/mosquitto.conf', import.meta.url).pathname;

export interface ShippedMosquitto {
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startShippedMosquitto(network: NetworkModel, secret: string, service: { username: string; password: string }): Promise<ShippedMosquitto | undefined> {
  const bin = requireBinary('mosquitto', 'the shipped Mosquitto configuration is tested on a real broker', ['/usr/sbin/mosquitto']);
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'heat-shipped-mosquitto-'));
  const port = await freePort();
  writeFileSync(join(dir, 'acl'), mosquittoAcl(network, service.username, 'the test network'));
  writeFileSync(join(dir, 'passwd'), mosquittoPasswd(network, secret, service.username, service.password), { mode: 0o600 });
  const logFile = join(dir, 'mosquitto.log');
  const shipped = readFileSync(SHIPPED_CONF, 'utf8');
  const replaced = shipped
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^password_file .*$/m, `password_file ${join(dir, 'passwd')}`)
    .replace(/^acl_file .*$/m, `acl_file ${join(dir, 'acl')}`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    .replace(/^log_dest syslog$/m, `log_dest file ${logFile}\nlog_type information\nlog_type debug`);
  for (const line of [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `acl_file ${join(dir, 'acl')}`]) {
    if (!replaced.includes(line)) throw new Error(`deploy/mosquitto/mosquitto.conf changed shape: cannot find where to put "${line}"`);
  }
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `${replaced}\n# test only: as root, mosquitto would switch to user "mosquitto"\nuser ${userInfo().username}\n`);
  const child: ChildProcess = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const log = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${stderr}${log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`mosquitto not listening on ${port}: ${stderr}${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    log,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
