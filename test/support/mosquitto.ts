// A real mosquitto for integration tests: started from PATH on a free port, with its config,
// persistence and log in a temp dir. Persistence is on, so persistent sessions (and the QoS 1
// messages queued for them) survive restart(), which keeps the port.
//
//   const mq = await startMosquitto();   // undefined (after a loud notice) when not installed
//   ... mq.url ...
//   await mq.stop();                      // in afterAll
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { requireBinary } from './require-binary';

export interface MosquittoOptions {
  /**
   * Outgoing QoS 1/2 messages in flight per MQTT 3.1.1 client (mosquitto's default is 20;
   * MQTT 5 clients set their own window with Receive Maximum).
   */
  readonly maxInflightMessages?: number;
  /** Messages queued per client beyond the in-flight ones (mosquitto's default of 1000 drops bursts). */
  readonly maxQueuedMessages?: number;
  /** Extra config lines. */
  readonly extraConfig?: readonly string[];
}

export interface Mosquitto {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the broker (it saves its persistence file) and removes the temp dir. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port with the same persistence. */
  restart(): Promise<void>;
  /** The broker's log so far, for failure messages. */
  log(): string;
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto | undefined> {
  const bin = requireBinary('mosquitto', 'MQTT integration tests need a real broker', ['/usr/sbin/mosquitto']);
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'heat-mosquitto-'));
  const port = await freePort();
  const logFile = join(dir, 'mosquitto.log');
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      // As root, mosquitto would switch to user "mosquitto", who cannot write our temp dir.
      `user ${userInfo().username}`,
      'persistence true',
      `persistence_location ${dir}/`,
      `max_inflight_messages ${opts.maxInflightMessages ?? 20}`,
      `max_queued_messages ${opts.maxQueuedMessages ?? 100_000}`,
      `log_dest file ${logFile}`,
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'connection_messages true',
      ...(opts.extraConfig ?? []),
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const c = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child = c;
    await waitForPort(port, 10_000, () => (c.exitCode !== null ? `mosquitto exited with ${c.exitCode}: ${stderr}${readLog(logFile)}` : undefined));
  };
  const halt = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
    log: () => readLog(logFile),
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A port the OS just handed out; the broker binds it a moment later (a race we accept in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Polls until something accepts TCP connections on the port, or fails with `why()`'s answer. */
async function waitForPort(port: number, timeoutMs: number, why: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = why();
    if (reason) throw new Error(reason);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not accept connections on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
