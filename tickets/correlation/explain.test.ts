import { describe, expect, it } from 'vitest';
import { miniNetwork } from '../../rules/test-fixtures';
import { makeAlert } from '../testing/alert-factory';
import { makeRecord, T0 } from '../testing/ticket-factory';
import { spanOf } from './alert-span';
import { explainTicket, placeOf } from './explain';

const H = 3_600_000;
const W = { beforeMs: 24 * H, afterMs: 2 * H };
const net = miniNetwork();
const ticket = makeRecord(0, { receivedAt: T0 }); // 龙湖华庭 at 德轩 (pn1)
const place = placeOf(ticket, net);

const compoundAlert = (openedAt: number, endedAt?: number, entity = 'longhu-huating') =>
  spanOf(makeAlert({ entity, stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt, ...(endedAt !== undefined ? { endedAt } : {}) }));
const stationAlert = (openedAt: number, ruleId = 'pump-trip', category: 'equipment' | 'efficiency' | 'sensor' | 'leak' = 'equipment', endedAt?: number) =>
  spanOf(makeAlert({ ruleId, category, role: 'cause', kind: 'station', entity: 'dexuan', stationId: 'dexuan', primaryNetworkId: 'pn1', openedAt, ...(endedAt !== undefined ? { endedAt } : {}) }));

describe('explainTicket', () => {
  it('places a ticket only when its compound is confidently known', () => {
    expect(place).toEqual({ compoundId: 'longhu-huating', stationId: 'dexuan', primaryNetworkId: 'pn1' });
    expect(placeOf(makeRecord(1, { resolution: { review: 'needs-review' } }), net)).toBeUndefined();
    expect(placeOf(makeRecord(1, { resolution: { compoundId: 'not-there' } }), net)).toBeUndefined();
  });

  it('is explained by an alert of its compound active in the window, unexplained without one', () => {
    const c = explainTicket(ticket, place, [compoundAlert(T0 - 5 * H)], W, T0);
    expect(c).toMatchObject({ verdict: 'explained', suggestion: 'network', alert: { ruleId: 'underheat-indoor', level: 'compound' }, windowFrom: T0 - 24 * H, windowTo: T0 + 2 * H });
    expect(explainTicket(ticket, place, [], W, T0)).toMatchObject({ verdict: 'unexplained', suggestion: 'visit-flat', also: [] });
  });

  it('takes alerts active anywhere in [−24 h, +2 h] and nothing outside it', () => {
    expect(explainTicket(ticket, place, [compoundAlert(T0 - 30 * H, T0 - 23 * H)], W, T0).verdict).toBe('explained');
    expect(explainTicket(ticket, place, [compoundAlert(T0 - 30 * H, T0 - 25 * H)], W, T0).verdict).toBe('unexplained');
    expect(explainTicket(ticket, place, [compoundAlert(T0 + 1.5 * H)], W, T0).verdict).toBe('explained');
    expect(explainTicket(ticket, place, [compoundAlert(T0 + 3 * H)], W, T0).verdict).toBe('unexplained');
  });

  it('ignores alerts of other compounds and rule categories that do not make rooms cold', () => {
    const spans = [compoundAlert(T0 - H, undefined, 'donghu-yiyuan'), stationAlert(T0 - H, 'small-dt', 'efficiency'), stationAlert(T0 - H, 'sensor-stale', 'sensor')];
    expect(explainTicket(ticket, place, spans, W, T0).verdict).toBe('unexplained');
  });

  it('explains at the station and the primary network too', () => {
    expect(explainTicket(ticket, place, [stationAlert(T0 - H)], W, T0).alert).toMatchObject({ level: 'station', entity: { kind: 'station', id: 'dexuan' } });
    const net1 = spanOf(makeAlert({ ruleId: 'network-supply-drop', category: 'supply', role: 'cause', kind: 'primary', entity: 'pn1', primaryNetworkId: 'pn1', openedAt: T0 - H }));
    expect(explainTicket(ticket, place, [net1], W, T0).alert?.level).toBe('network');
  });

  it('prefers an alert active at the call, then the nearest level, and lists the others', () => {
    const early = compoundAlert(T0 - 20 * H, T0 - 10 * H);
    const trip = stationAlert(T0 - H);
    const c = explainTicket(ticket, place, [early, trip], W, T0);
    expect(c.alert?.alertId).toBe(trip.id);
    expect(c.also.map((a) => a.alertId)).toEqual([early.id]);
    const now = compoundAlert(T0 - 2 * H);
    expect(explainTicket(ticket, place, [trip, now], W, T0).alert?.alertId).toBe(now.id);
  });

  it('explains a leak complaint by a leak alert only, and leaves fees and non-heating matters alone', () => {
    const leakTicket = makeRecord(2, { receivedAt: T0, category: 'heating-leak' });
    expect(explainTicket(leakTicket, place, [compoundAlert(T0 - H)], W, T0).verdict).toBe('unexplained');
    expect(explainTicket(leakTicket, place, [stationAlert(T0 - H, 'leak', 'leak')], W, T0).verdict).toBe('explained');
    for (const category of ['heating-other', 'non-heating'] as const) {
      expect(explainTicket(makeRecord(3, { receivedAt: T0, category }), place, [compoundAlert(T0 - H)], W, T0)).toMatchObject({ verdict: 'not-applicable', suggestion: 'none' });
    }
    expect(explainTicket(ticket, undefined, [compoundAlert(T0 - H)], W, T0).verdict).toBe('unplaced');
  });
});
