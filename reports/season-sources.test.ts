import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../domain/network-loader';
import { createMemoryAlertStore } from '../rules/alert-store-memory';
import { MemoryStore } from '../store/memory-store';
import { makeAlert } from '../tickets/testing/alert-factory';
import { makeRecord, T0 } from '../tickets/testing/ticket-factory';
import type { Correlation } from '../tickets/ticket-model';
import { MemoryTicketStore } from '../tickets/memory-ticket-store';
import type { Visit } from '../visits/visit-model';
import type { VisitStore } from '../visits/visit-store';
import { analyseSeason } from './season-analysis';

const network = loadNetwork('fixtures/networks/mini.json');
const H = 3_600_000;
const FROM = T0 - 24 * H;
const TO = T0 + 48 * H;

const corr = (verdict: Correlation['verdict']): Correlation => ({ verdict, also: [], suggestion: 'none', windowFrom: 0, windowTo: 0, evaluatedAt: 0 });

describe('season analysis: tickets, alerts and visits', () => {
  it('counts heating tickets per 1,000 households, repeat callers, explained share, alert hours and visits', async () => {
    const store = new MemoryStore();
    await store.connect();
    const tickets = new MemoryTicketStore();
    await tickets.connect();
    await tickets.add([
      { ...makeRecord(1, { callerPhone: '13800000001' }), correlation: corr('explained') },
      { ...makeRecord(2, { callerPhone: '13800000001' }), correlation: corr('explained') },
      { ...makeRecord(3, { callerPhone: '13800000002' }), correlation: corr('unexplained') },
      makeRecord(4, { callerPhone: '13800000003', category: 'non-heating' }),
      makeRecord(5, { callerPhone: '13800000004', receivedAt: TO + H }),
    ]);
    const alerts = createMemoryAlertStore();
    await alerts.open();
    await alerts.putAlert(makeAlert({ entity: 'longhu-huating', category: 'underheating', openedAt: T0, endedAt: T0 + 5 * H }));
    await alerts.putAlert(makeAlert({ entity: 'dexuan', kind: 'station', category: 'equipment', openedAt: FROM - 2 * H, endedAt: FROM + 3 * H }));
    const visit = { compoundId: 'longhu-huating', stationId: 'dexuan' } as Visit;
    const visits: Pick<VisitStore, 'list'> = { list: async () => ({ items: [visit, visit], total: 2 }) };
    const r = await analyseSeason({ network, store, tickets, alerts, visits }, FROM, TO);
    const longhu = r.compounds.find((c) => c.id === 'longhu-huating');
    expect(longhu?.heatingTickets).toBe(3);
    expect(longhu?.ticketsPer1000Households).toBeCloseTo((3 * 1000) / 240, 2);
    expect(longhu?.repeatCallers).toBe(1);
    expect(longhu?.explainedShare).toBeCloseTo(2 / 3, 3);
    expect(longhu?.alertHours['underheating']).toBe(5);
    expect(longhu?.proactiveVisits).toBe(2);
    expect(longhu?.indoorMethod).toBe('none');
    const dexuan = r.stations.find((s) => s.id === 'dexuan');
    expect(dexuan?.heatingTickets).toBe(3);
    expect(dexuan?.alertHours['equipment']).toBe(3);
    expect(dexuan?.explainedShare).toBeCloseTo(2 / 3, 3);
    expect(r.notes.some((n) => n.includes('repeat'))).toBe(false);
    // No telemetry at all: every compound is a sensor-coverage candidate, none hidden.
    expect(r.candidates.find((c) => c.compoundId === 'jianshe')?.cause).toBe('sensor-coverage');
  });

  it('without a caller phone, repeat callers are omitted and said so', async () => {
    const store = new MemoryStore();
    await store.connect();
    const tickets = new MemoryTicketStore();
    await tickets.connect();
    const { callerPhone: _p, ...noPhone } = makeRecord(1);
    await tickets.add([noPhone]);
    const r = await analyseSeason({ network, store, tickets }, FROM, TO);
    expect(r.compounds.find((c) => c.id === 'longhu-huating')?.repeatCallers).toBeUndefined();
    expect(r.notes.some((n) => n.includes('repeat callers are not counted'))).toBe(true);
    expect(r.compounds[0]?.proactiveVisits).toBeUndefined();
  });
});
