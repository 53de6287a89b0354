// Starts a real influxd 1.x for integration tests: a temp dir holding a generated config and the
// meta/data/wal dirs, HTTP and RPC on free random ports, quiet logs; resolves once GET /ping
// answers 204. Returns undefined (loud skip) when influxd is missing, unless CI=true (then it throws).
// Callers: `const s = await startInfluxd(); afterAll(() => s?.stop())`.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './require-binary';

export interface RunningInfluxd {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Kills the server and removes its temp dir. */
  stop(): Promise<void>;
  /** Stops the server (SIGTERM, or SIGKILL for a crash) and keeps its data and ports: an outage. */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same ports with the same data; resolves once /ping answers. */
  resume(): Promise<void>;
}

const READY_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 10_000;
const ATTEMPTS = 3;

/**
 * A port that was free a moment ago; a lost race is retried by the caller. Picked below Linux's
 * ephemeral range (32768+), where the OS hands out ports for outgoing connections and port-0
 * servers: halt() frees the ports for a while and resume() must get them back.
 */
async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function configText(dir: string, httpPort: number, rpcPort: number): string {
  // Keys as printed by `influxd config` for 1.6. inmem index and no monitor/CQ keep start-up fast.
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = ${JSON.stringify(join(dir, 'meta'))}
  logging-enabled = false

[data]
  dir = ${JSON.stringify(join(dir, 'data'))}
  wal-dir = ${JSON.stringify(join(dir, 'wal'))}
  index-version = "inmem"
  wal-fsync-delay = "0s"
  query-log-enabled = false

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  pprof-enabled = false

[logging]
  level = "error"
  suppress-logo = true
`;
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`influxd exited (${child.exitCode ?? child.signalCode}) before ready: ${output()}`);
    }
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 204) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`influxd at ${url} not ready within ${READY_DEADLINE_MS} ms: ${output()}`);
}

function stopChild(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

async function startOnce(bin: string): Promise<RunningInfluxd> {
  const dir = mkdtempSync(join(tmpdir(), 'heat-influxd-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const configPath = join(dir, 'influxdb.conf');
  writeFileSync(configPath, configText(dir, httpPort, rpcPort));
  let out = '';
  const keep = (b: Buffer): void => {
    out = (out + b.toString()).slice(-4_000); // the tail is enough to explain a failed start
  };
  const launch = (): ChildProcess => {
    const c = spawn(bin, ['-config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    return c;
  };
  let child = launch();
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    stop,
    halt: (signal) => stopChild(child, signal),
    async resume() {
      await stopChild(child);
      child = launch();
      await waitReady(url, child, () => out);
    },
  };
}

/** Starts influxd, or returns undefined after a loud skip notice when it is not installed. */
export async function startInfluxd(): Promise<RunningInfluxd | undefined> {
  const bin = requireBinary('influxd', 'InfluxDB store integration tests need a real influxd 1.x', ['/usr/bin/influxd']);
  if (bin === undefined) return undefined;
  let last: unknown;
  for (let i = 0; i < ATTEMPTS; i++) {
    try {
      return await startOnce(bin);
    } catch (e) {
      last = e; // most likely a port taken between freePort() and bind: try new ports
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}
