// Runs a bench part (publisher, ingest process) as its own Node process, so that its CPU and memory
// are its own (RSS sampling, --cpu-prof) and the measured process does not share an event loop
// with the load generator. Messages go both ways over the IPC channel.
//
// Lifecycle: startChild() forks; next(type) waits for the child's next message of that type;
// stop() asks it to exit (message {type:'stop'}), then kills it after a grace period.

import { fork, type ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../app/bundle';
import { LAUNCH_ENV, NODE_FLAGS } from '../app/launch';

export interface ChildMessage {
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  send(m: ChildMessage): void;
  /** The next message of this type (or one already received and not yet taken). */
  next<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T>;
  /** Called for every message, in addition to next(). */
  onMessage(fn: (m: ChildMessage) => void): void;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<number | null>;
}

const bundled = new Map<string, string>();

/** In the project tree, wherever --out points: the bundles' packages resolve from its node_modules. */
const BUNDLE_DIR = fileURLToPath(new URL('../out/bench-bundle/', import.meta.url));

/**
 * Bundles these children (`file` as startChild takes it) as app/bundle.ts bundles the product, so
 * that startChild runs them on plain Node as `npm start` runs it: the process measured is the one
 * shipped. The others, and a child started with `source: true`, run through tsx.
 */
export async function bundleChildren(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const out = join(BUNDLE_DIR, basename(file).replace(/\.ts$/, '.mjs'));
    await bundle(fileURLToPath(new URL(file, import.meta.url)), out);
    bundled.set(file, out);
  }
}

/**
 * `file` relative to bench/; `config` is passed as JSON in argv[2]. `source`: run the TypeScript
 * through tsx even when a bundle was made (a CPU profile then names the source files). `product`:
 * with npm start's Node flags (app/launch.ts), for the process that runs HeatWatch itself.
 */
export function startChild(file: string, config: unknown, opts: { execArgv?: readonly string[]; env?: NodeJS.ProcessEnv; source?: boolean; product?: boolean } = {}): Child {
  const bundlePath = opts.source === true ? undefined : bundled.get(file);
  const path = bundlePath ?? fileURLToPath(new URL(file, import.meta.url));
  const proc = fork(path, [JSON.stringify(config)], {
    // `product`: runs as `npm start` runs the product (app/launch.ts); every process gets its environment, baselines too.
    execArgv: [...(bundlePath === undefined ? ['--import', 'tsx'] : []), ...(opts.product === true ? NODE_FLAGS : []), ...(opts.execArgv ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...LAUNCH_ENV, ...process.env, ...opts.env },
  });
  if (proc.pid === undefined) throw new Error(`could not start ${file}`);
  const inbox: ChildMessage[] = [];
  const waiters: Array<{ type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void }> = [];
  const listeners: Array<(m: ChildMessage) => void> = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      exitCode = code;
      for (const w of waiters.splice(0)) w.reject(new Error(`${file} exited with ${code} while we waited for "${w.type}"`));
      resolve(code);
    });
  });
  proc.on('message', (raw) => {
    const m = raw as ChildMessage;
    for (const l of listeners) l(m);
    if (m.type === 'error') {
      const e = new Error(`${file}: ${String(m.message)}`);
      for (const w of waiters.splice(0)) w.reject(e);
      return;
    }
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(m);
    else inbox.push(m);
  });
  return {
    proc,
    pid: proc.pid,
    send: (m) => {
      if (proc.connected) proc.send(m);
    },
    next<T extends ChildMessage>(type: string, timeoutMs: number): Promise<T> {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as T);
      if (exitCode !== undefined) return Promise.reject(new Error(`${file} already exited with ${exitCode}`));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          const j = waiters.indexOf(w);
          if (j >= 0) waiters.splice(j, 1);
          reject(new Error(`${file}: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const w = {
          type,
          resolve: (m: ChildMessage) => {
            clearTimeout(timer);
            resolve(m as T);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiters.push(w);
      });
    },
    onMessage: (fn) => listeners.push(fn),
    exited,
    async stop(graceMs = 15_000) {
      if (exitCode !== undefined) return exitCode;
      if (proc.connected) proc.send({ type: 'stop' });
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** In a child: the config from argv[2], and a typed send to the parent. */
export function childConfig<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('this file is a bench child: run `npm run bench`');
  return JSON.parse(raw) as T;
}

export function toParent(m: ChildMessage): void {
  process.send?.(m);
}

/** Epoch ms with sub-ms resolution, comparable across the bench's processes (same system clock). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
