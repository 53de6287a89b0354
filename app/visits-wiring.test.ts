// The closed loop's wiring into the app: alert events from the rules reach the planner and the
// correlator, weather readings reach the surge baseline, the visit store lives in the data dir,
// and stop() unsubscribes and closes it.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { ManualClock } from '../domain/clock';
import { createTelemetryBus } from '../domain/telemetry-bus';
import { createMemoryAlertStore } from '../rules/alert-store-memory';
import type { RulesEngine } from '../rules/engine';
import type { RulesEvent } from '../rules/events';
import { MemoryTicketStore } from '../tickets/memory-ticket-store';
import { makeAlert } from '../tickets/testing/alert-factory';
import { jiayuguan, NOW } from '../tickets/testing/ticket-api-harness';
import { TicketService } from '../tickets/ticket-service';
import { openClosedLoop } from './visits-wiring';

describe('openClosedLoop', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('turns alert events into visits, feeds weather to the surge baseline, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heat-loop-'));
    dirs.push(dir);
    const network = jiayuguan();
    const clock = new ManualClock(NOW);
    const logger = pino({ level: 'silent' });
    const ticketStore = new MemoryTicketStore();
    await ticketStore.connect();
    const tickets = await TicketService.open({ network, store: ticketStore, clock, logger });
    const listeners = new Set<(e: RulesEvent) => void>();
    const alertStore = createMemoryAlertStore();
    await alertStore.open();
    const bus = createTelemetryBus();
    const registry = new Registry();
    const running = await openClosedLoop({
      config: loadConfig({ HEAT_DATA_DIR: dir }),
      network,
      tickets,
      ticketStore,
      bus,
      clock,
      logger,
      registry,
      auth: false,
      rules: {
        subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)),
        engine: { alerts: () => [] } as unknown as RulesEngine,
        store: alertStore,
      },
    });
    expect(existsSync(join(dir, 'visits.duckdb'))).toBe(true);
    expect(running.routes).toHaveLength(3);
    const alert = makeAlert({ entity: 'longhu-huating', stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt: NOW - 600_000 });
    for (const l of listeners) l({ type: 'alert.opened', alert, reason: 'opened' });
    await running.loop.drain();
    expect((await running.loop.visits.list({ limit: 10 })).items.map((v) => v.compoundId)).toEqual(['longhu-huating']);
    const mild = running.loop.correlator.surgeExpectation('compound', 'longhu-huating', NOW + 3_600_000)?.expected ?? 0;
    bus.publish([{ measurement: 'weather', tags: { id: 'jyg' }, fields: { t_outdoor: -20 }, time: NOW }]);
    const cold = running.loop.correlator.surgeExpectation('compound', 'longhu-huating', NOW + 3_600_000)?.expected ?? 0;
    expect(cold).toBeGreaterThan(mild * 2); // 38 K of heating deficit instead of the 15 K assumed before any reading
    expect(await registry.metrics()).toMatch(/heat_visits_issued_total 1\b/);
    expect(await registry.metrics()).toMatch(/heat_correlation_failures_total 0\b/);
    await running.stop();
    expect(listeners.size).toBe(0);
    await expect(running.loop.visits.list({ limit: 1 })).rejects.toThrow();
    await ticketStore.close();
  });
});
