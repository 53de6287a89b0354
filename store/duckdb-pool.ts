// A few DuckDB read connections handed out one query at a time: a connection runs one statement
// at a time, and readers must not queue behind the writer's connection.

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export class DuckDBReadPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private drained: (() => void) | undefined;

  static async open(instance: DuckDBInstance, size: number): Promise<DuckDBReadPool> {
    const pool = new DuckDBReadPool();
    for (let i = 0; i < size; i++) {
      const c = await instance.connect();
      pool.all.push(c);
      pool.idle.push(c);
    }
    return pool;
  }

  async use<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(c);
    } finally {
      const next = this.waiting.shift();
      if (next) next(c);
      else this.idle.push(c);
      if (this.idle.length === this.all.length) this.drained?.();
    }
  }

  /**
   * Runs `fn` with every connection held, so no query runs beside it, but only if none runs now
   * (then none waits either): undefined otherwise, so it never makes a reader wait for a query
   * already running. Queries asked for during `fn` wait for it.
   */
  tryExclusive<T>(fn: () => Promise<T>): Promise<T> | undefined {
    if (this.idle.length < this.all.length || this.all.length === 0) return undefined;
    const held = this.idle.splice(0);
    const release = (): void => {
      for (const c of held) {
        const next = this.waiting.shift();
        if (next) next(c);
        else this.idle.push(c);
      }
      if (this.idle.length === this.all.length) this.drained?.();
    };
    let run: Promise<T>;
    try {
      run = fn();
    } catch (e) {
      release();
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return run.finally(release);
  }

  /** Waits for running queries to finish, then closes every connection. */
  async close(): Promise<void> {
    if (this.idle.length < this.all.length) await new Promise<void>((r) => (this.drained = r));
    for (const c of this.all) c.closeSync();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
