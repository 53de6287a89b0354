// Starts test/chaos/ingest-child.ts as a separate Node process (tsx) and talks to it over IPC.
// kill() is SIGKILL (kill -9) and resolves only once the process is gone, so that the DuckDB
// file lock is free before the next process opens the file.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildToParent, ParentToChild } from '../ingest-child';

export interface IngestProcess {
  readonly pid: number;
  /** Metrics this process has stored so far (from its bus). */
  readonly stored: number;
  ready(timeoutMs: number): Promise<void>;
  /** Rows the store holds for the query (asked through the process's own store). */
  count(q: Extract<ParentToChild, { type: 'count' }>, timeoutMs: number): Promise<number>;
  /** kill -9; resolves when the process has exited. */
  kill(): Promise<void>;
  /** Graceful: drains, closes the store, exits. */
  stop(timeoutMs: number): Promise<number | null>;
}

const CHILD = fileURLToPath(new URL('../ingest-child.ts', import.meta.url));

export function startIngestProcess(env: Record<string, string>): IngestProcess {
  const proc: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  if (proc.pid === undefined) throw new Error('could not fork the ingest child');
  let stored = 0;
  let readySeen = false;
  let failure: string | undefined;
  const listeners = new Set<(m: ChildToParent) => void>();
  proc.on('message', (raw) => {
    const m = raw as ChildToParent;
    if (m.type === 'stored') stored = m.metrics;
    if (m.type === 'ready') readySeen = true;
    if (m.type === 'error') failure = m.message;
    for (const l of listeners) l(m);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const next = <T extends ChildToParent['type']>(type: T, timeoutMs: number): Promise<Extract<ChildToParent, { type: T }>> =>
    new Promise((resolve, reject) => {
      const done = (f: () => void): void => {
        clearTimeout(timer);
        listeners.delete(on);
        f();
      };
      const on = (m: ChildToParent): void => {
        if (m.type === type) done(() => resolve(m as Extract<ChildToParent, { type: T }>));
        else if (m.type === 'error') done(() => reject(new Error(`ingest child: ${m.message}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`ingest child ${proc.pid}: no "${type}" within ${timeoutMs} ms${failure ? `: ${failure}` : ''}`))), timeoutMs);
      listeners.add(on);
      void exited.then((code) => done(() => reject(new Error(`ingest child ${proc.pid} exited (${code}) while waiting for "${type}"${failure ? `: ${failure}` : ''}`))));
    });

  return {
    pid: proc.pid,
    get stored() {
      return stored;
    },
    async ready(timeoutMs) {
      if (!readySeen) await next('ready', timeoutMs);
    },
    async count(q, timeoutMs) {
      const answer = next('count', timeoutMs);
      proc.send(q);
      return (await answer).rows;
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async stop(timeoutMs) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.send({ type: 'stop' } satisfies ParentToChild);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
