// The read pool's exclusive turn (the cache trim's): taken only when no query runs, queries asked
// for meanwhile wait for it, then run, and the connections come back whatever the turn does.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DuckDBReadPool } from './duckdb-pool';

const fakeInstance = (): DuckDBInstance => {
  let n = 0;
  return { connect: () => Promise.resolve({ id: n++, closeSync: () => {} } as unknown as DuckDBConnection) } as unknown as DuckDBInstance;
};

/** A promise and its resolver: the test decides when a query or the exclusive turn ends. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('DuckDB read pool: exclusive turn', () => {
  it('is refused while a query runs, and taken once none does', async () => {
    const pool = await DuckDBReadPool.open(fakeInstance(), 2);
    const q = gate();
    const running = pool.use(() => q.promise);
    expect(pool.tryExclusive(() => Promise.resolve('ran'))).toBeUndefined();
    q.open();
    await running;
    await expect(pool.tryExclusive(() => Promise.resolve('ran'))).resolves.toBe('ran');
  });

  it('makes queries asked for during it wait, then runs them all, and frees every connection after a failure', async () => {
    const pool = await DuckDBReadPool.open(fakeInstance(), 2);
    const turn = gate();
    const order: string[] = [];
    const exclusive = pool.tryExclusive(async () => {
      await turn.promise;
      order.push('exclusive');
      throw new Error('refused');
    });
    expect(exclusive).toBeDefined();
    const a = pool.use(async () => void order.push('a'));
    const b = pool.use(async () => void order.push('b'));
    const c = pool.use(async () => void order.push('c'));
    expect(order).toEqual([]);
    turn.open();
    await expect(exclusive).rejects.toThrow('refused');
    await Promise.all([a, b, c]);
    expect(order).toEqual(['exclusive', 'a', 'b', 'c']);
    // Both connections back: another exclusive turn is granted, and close does not wait.
    await expect(pool.tryExclusive(() => Promise.resolve(1))).resolves.toBe(1);
    await pool.close();
  });

  it('gives every connection back when its function throws before it returns a promise', async () => {
    const pool = await DuckDBReadPool.open(fakeInstance(), 2);
    await expect(
      pool.tryExclusive(() => {
        throw new Error('at once');
      }),
    ).rejects.toThrow('at once');
    await expect(pool.use(() => Promise.resolve('read'))).resolves.toBe('read');
    await expect(pool.tryExclusive(() => Promise.resolve('again'))).resolves.toBe('again');
    await pool.close();
  });
});
