// The AlertStore contract as a test suite (aedes-persistence's abstract tests are the model):
// every implementation's test file calls `alertStoreContract(name, factory)` and nothing else.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from './alert';
import type { AlertStore } from './alert-store';
import type { Incident } from './incident';

export function sampleAlert(over: Partial<Alert> & { id: string }): Alert {
  return {
    version: 1,
    ruleId: 'underheat-indoor',
    ruleName: { zh: '室温不达标', en: 'Under-heating' },
    category: 'underheating',
    role: 'symptom',
    entity: { kind: 'compound', id: 'longhu-huating', name: '龙湖华庭' },
    route: { stationId: 'dexuan', primaryNetworkId: 'pn1', crew: 'crew-gangcheng' },
    state: 'open',
    active: true,
    severity: 'low',
    peakSeverity: 'low',
    openedAt: 1_000,
    lastSeenAt: 1_000,
    count: 1,
    value: 17.2,
    evidence: { from: 0, to: 1_000, items: [{ signal: 'indoor', of: 'self', agg: 'mean', windowMs: 1_800_000, op: 'lt', threshold: 18, value: 17.2, result: 'true' }], show: [] },
    history: [{ action: 'opened', by: 'system', at: 1_000 }],
    historyDropped: 0,
    ...over,
  };
}

export function sampleIncident(over: Partial<Incident> & { id: string }): Incident {
  return {
    version: 1,
    root: { kind: 'primary', id: 'pn1', name: '一次网1号线' },
    state: 'open',
    openedAt: 1_000,
    updatedAt: 1_000,
    severity: 'high',
    causeAlertIds: ['a'],
    alertIds: ['a', 'b'],
    liveAlertIds: ['a', 'b'],
    stationIds: ['dexuan', 'xingfu'],
    compoundIds: [],
    route: { primaryNetworkId: 'pn1', crews: ['crew-gangcheng'] },
    ...over,
  };
}

export function alertStoreContract(name: string, make: () => AlertStore | Promise<AlertStore>): void {
  describe(`AlertStore contract: ${name}`, () => {
    let store: AlertStore;
    beforeEach(async () => {
      store = await make();
      await store.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('round-trips an alert with its evidence and history', async () => {
      const a = sampleAlert({ id: 'a1' });
      await store.putAlert(a);
      expect(await store.getAlert('a1')).toEqual(a);
      expect(await store.getAlert('missing')).toBeUndefined();
    });

    it('upserts by id and ignores an older version', async () => {
      await store.putAlert(sampleAlert({ id: 'a1', version: 2, state: 'acknowledged' }));
      await store.putAlert(sampleAlert({ id: 'a1', version: 1, state: 'open' }));
      expect((await store.getAlert('a1'))?.state).toBe('acknowledged');
      await store.putAlert(sampleAlert({ id: 'a1', version: 3, state: 'cleared', clearedAt: 5_000 }));
      expect((await store.getAlert('a1'))?.state).toBe('cleared');
      expect(await store.listAlerts()).toHaveLength(1);
    });

    it('does not share mutable records with the caller', async () => {
      const a = sampleAlert({ id: 'a1' });
      await store.putAlert(a);
      a.state = 'cleared';
      const got = await store.getAlert('a1');
      expect(got?.state).toBe('open');
      if (got !== undefined) got.count = 99;
      expect((await store.getAlert('a1'))?.count).toBe(1);
    });

    it('lists newest first and filters by state, rule, entity, station, crew and time', async () => {
      await store.putAlert(sampleAlert({ id: 'old', openedAt: 1_000, state: 'cleared', clearedAt: 2_000 }));
      await store.putAlert(sampleAlert({ id: 'mid', openedAt: 3_000, ruleId: 'pump-trip', entity: { kind: 'station', id: 'dexuan', name: '德轩' } }));
      await store.putAlert(sampleAlert({ id: 'new', openedAt: 5_000, route: { stationId: 'xiyu', primaryNetworkId: 'pn2', crew: 'crew-xiongguan' } }));
      expect((await store.listAlerts()).map((a) => a.id)).toEqual(['new', 'mid', 'old']);
      expect((await store.listAlerts({ states: ['open'] })).map((a) => a.id)).toEqual(['new', 'mid']);
      expect((await store.listAlerts({ ruleId: 'pump-trip' })).map((a) => a.id)).toEqual(['mid']);
      expect((await store.listAlerts({ entityId: 'dexuan' })).map((a) => a.id)).toEqual(['mid']);
      expect((await store.listAlerts({ stationId: 'xiyu' })).map((a) => a.id)).toEqual(['new']);
      expect((await store.listAlerts({ crew: 'crew-gangcheng' })).map((a) => a.id)).toEqual(['mid', 'old']);
      expect((await store.listAlerts({ from: 2_500, to: 4_000 })).map((a) => a.id)).toEqual(['mid']);
      expect((await store.listAlerts({ from: 1_500, to: 2_500 })).map((a) => a.id)).toEqual(['old']);
      expect((await store.listAlerts({ limit: 2 })).map((a) => a.id)).toEqual(['new', 'mid']);
    });

    it('filters by severity, category and primary network, and counts without the limit', async () => {
      await store.putAlert(sampleAlert({ id: 'a', openedAt: 1_000, severity: 'critical', category: 'equipment' }));
      await store.putAlert(sampleAlert({ id: 'b', openedAt: 2_000, severity: 'low' }));
      await store.putAlert(sampleAlert({ id: 'c', openedAt: 3_000, severity: 'high', route: { stationId: 'xiyu', primaryNetworkId: 'pn2' } }));
      expect((await store.listAlerts({ severities: ['critical', 'high'] })).map((a) => a.id)).toEqual(['c', 'a']);
      expect((await store.listAlerts({ category: 'equipment' })).map((a) => a.id)).toEqual(['a']);
      expect((await store.listAlerts({ primaryNetworkId: 'pn1' })).map((a) => a.id)).toEqual(['b', 'a']);
      expect(await store.countAlerts({ primaryNetworkId: 'pn1', limit: 1 })).toBe(2);
      expect(await store.countAlerts({ states: ['cleared'] })).toBe(0);
      expect(await store.countAlerts()).toBe(3);
    });

    it('round-trips a record whose optional parts are absent', async () => {
      const a = sampleAlert({ id: 'x', value: null, route: {} });
      await store.putAlert(a);
      expect(await store.getAlert('x')).toEqual(a);
    });

    it('round-trips and lists incidents, ignoring older versions', async () => {
      await store.putIncident(sampleIncident({ id: 'i1', openedAt: 1_000 }));
      await store.putIncident(sampleIncident({ id: 'i2', openedAt: 2_000, state: 'resolved', resolvedAt: 3_000, version: 2 }));
      await store.putIncident(sampleIncident({ id: 'i2', openedAt: 2_000, version: 1 }));
      expect((await store.getIncident('i2'))?.state).toBe('resolved');
      expect((await store.listIncidents()).map((i) => i.id)).toEqual(['i2', 'i1']);
      expect((await store.listIncidents({ states: ['open'] })).map((i) => i.id)).toEqual(['i1']);
      expect(await store.getIncident('nope')).toBeUndefined();
    });
  });
}
