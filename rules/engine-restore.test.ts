// Restart: live alerts come back from the DuckDB file, repeats update them (no duplicate), and
// their condition returning to normal still clears them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import type { Metric } from '../domain/telemetry';
import type { Alert } from './alert';
import { DuckDBAlertStore } from './alert-store-duckdb';
import { createRulesEngine, type RulesEngine } from './engine';
import type { RulesEvent } from './events';
import { MIN, miniNetwork, rule, station, T0 } from './test-fixtures';

const lowFlow = rule({ id: 'low-flow', scope: 'station', when: { signal: 'flow2', op: 'lt', value: 50 }, clearFor: '0s' });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function boot(dir: string, rules = [lowFlow]): Promise<{ engine: RulesEngine; store: DuckDBAlertStore; events: RulesEvent[]; clock: ManualClock }> {
  const store = new DuckDBAlertStore({ dataDir: dir });
  await store.open();
  const events: RulesEvent[] = [];
  const clock = new ManualClock(T0);
  const engine = createRulesEngine({ network: miniNetwork(), rules, alertStore: store, clock, onEvent: (e) => events.push(e), tuning: { allowedLatenessMs: 0 } });
  return { engine, store, events, clock };
}

const flows = (id: string, start: number, values: readonly number[]): Metric[] => values.map((v, i) => station(id, start + i * MIN, { flow2: v }));

describe('restore after restart', () => {
  it('reloads live alerts from alerts.duckdb, keeps one per rule and entity, and still clears them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-restore-'));
    dirs.push(dir);
    const first = await boot(dir);
    first.engine.ingest([...flows('dexuan', T0, [10, 10]), ...flows('xingfu', T0, [10, 90])]);
    first.engine.advanceWatermark(T0 + MIN);
    const before = first.engine.alerts();
    expect(before.map((a) => a.entity.id)).toEqual(['dexuan', 'xingfu']);
    expect(before[1]).toMatchObject({ active: false, state: 'open' });
    await first.engine.flush();
    await first.store.close();

    const second = await boot(dir);
    const live = (await second.store.listAlerts({ states: ['open', 'acknowledged', 'shelved', 'suppressed'] })).reverse();
    expect(second.engine.restore(live, await second.store.listIncidents({ states: ['open'] }))).toEqual({ restored: 2, retired: 0 });
    // What changed is stored; the newest value of a still-active condition is not (no write per scan).
    const gist = (a: Alert) => ({ id: a.id, state: a.state, active: a.active, count: a.count, version: a.version, history: a.history });
    expect(second.engine.alerts().map(gist)).toEqual(before.map(gist));

    // dexuan still low: the same alert, updated; then back to normal: it returns.
    second.engine.ingest(flows('dexuan', T0 + 2 * MIN, [20, 90]));
    second.engine.advanceWatermark(T0 + 3 * MIN);
    expect(second.events.filter((e) => e.type === 'alert.opened')).toHaveLength(0);
    const dexuan = second.engine.alerts().find((a) => a.entity.id === 'dexuan');
    expect(dexuan).toMatchObject({ id: before[0]?.id, active: false, value: 20 });
    // Acknowledging a returned alert completes it; the store follows.
    second.engine.acknowledge(before[0]?.id ?? '', 'op');
    await second.engine.flush();
    expect((await second.store.getAlert(before[0]?.id ?? ''))?.state).toBe('cleared');
    await second.store.close();
  });

  it('retires alerts of a rule that is no longer loaded, and refuses restore after ingest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-restore-'));
    dirs.push(dir);
    const first = await boot(dir);
    first.engine.ingest(flows('dexuan', T0, [10]));
    first.engine.advanceWatermark(T0);
    await first.engine.flush();
    await first.store.close();

    const other = rule({ id: 'other', scope: 'station', when: { signal: 'flow2', op: 'gt', value: 500 } });
    const second = await boot(dir, [other]);
    const live = await second.store.listAlerts({ states: ['open'] });
    expect(second.engine.restore(live, [])).toEqual({ restored: 0, retired: 1 });
    await second.engine.flush();
    expect(await second.store.countAlerts({ states: ['cleared'] })).toBe(1);
    second.engine.ingest(flows('dexuan', T0 + MIN, [90]));
    expect(() => second.engine.restore([], [])).toThrowError(/before the first ingest/);
    await second.store.close();
  });
});
