// The whole VisitStore contract as one test suite; each implementation's test file calls
// describeVisitStoreContract with a factory. Each test gets a fresh, empty store.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import { makeEpisode, makeVisit, T0 } from './testing/visit-factory';
import { MAX_LINKED, MAX_REASONS, type Visit } from './visit-model';
import { MAX_VISIT_PAGE, type VisitQuery, type VisitStore } from './visit-store';

export interface VisitStoreUnderTest {
  readonly store: VisitStore;
  /** Opens a new store on the same data (durable stores only). */
  reopen?(): Promise<VisitStore>;
  cleanup(): Promise<void>;
}

const H = 3_600_000;

async function rejection(p: Promise<unknown>): Promise<HeatError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HeatError) return e;
    throw e;
  }
  throw new Error('expected a HeatError, but the call resolved');
}

export function describeVisitStoreContract(name: string, make: () => Promise<VisitStoreUnderTest>): void {
  describe(`VisitStore contract: ${name}`, () => {
    let sut: VisitStoreUnderTest;
    let store: VisitStore;
    beforeEach(async () => {
      sut = await make();
      store = sut.store;
      await store.connect();
    });
    afterEach(async () => {
      await store.close();
      await sut.cleanup();
    });

    it('creates a visit once and gives it back unchanged', async () => {
      const v = makeVisit(1);
      expect(await store.create(v)).toEqual({ outcome: 'created', visit: v });
      expect(await store.create({ ...v, severity: 'critical' })).toEqual({ outcome: 'duplicate', visit: v });
      expect(await store.get(v.id)).toEqual(v);
      expect(await store.get('v-none')).toBeUndefined();
    });

    it('filters by crew, station, compound, stages, stations in scope and time; pages newest first', async () => {
      const vs = [
        makeVisit(1),
        makeVisit(2, { compoundId: 'donghu-yiyuan' }),
        makeVisit(3, { compoundId: 'xiyu-huayuan', stationId: 'xiyu', crew: 'crew-xiongguan' }),
        makeVisit(4, { loop: { stage: 'dispatched', at: { received: T0 + 4 * H, dispatched: T0 + 5 * H } } }),
      ];
      for (const v of vs) await store.create(v);
      const ids = async (q: Omit<VisitQuery, 'limit'>): Promise<string[]> => (await store.list({ ...q, limit: 10 })).items.map((v) => v.id);
      expect(await ids({})).toEqual([vs[3], vs[2], vs[1], vs[0]].map((v) => v?.id));
      expect(await ids({ crew: 'crew-xiongguan' })).toEqual([vs[2]?.id]);
      expect(await ids({ stationId: 'dexuan', compoundId: 'donghu-yiyuan' })).toEqual([vs[1]?.id]);
      expect(await ids({ stages: ['dispatched'] })).toEqual([vs[3]?.id]);
      expect(await ids({ stages: ['received', 'dispatched'], stationIds: ['xiyu'] })).toEqual([vs[2]?.id]);
      expect(await ids({ from: T0 + 2 * H, to: T0 + 4 * H })).toEqual([vs[2]?.id, vs[1]?.id]);
      const first = await store.list({ limit: 3 });
      expect(first.total).toBe(4);
      expect(first.next).toBeDefined();
      const second = await store.list({ limit: 3, ...(first.next ? { after: first.next } : {}) });
      expect(second.items.map((v) => v.id)).toEqual([vs[0]?.id]);
      expect(second.next).toBeUndefined();
      for (const limit of [0, MAX_VISIT_PAGE + 1, 2.5]) expect((await rejection(store.list({ limit }))).code).toBe('BAD_REQUEST');
    });

    it('adds evidence: refreshes a reason by alert id, raises the severity, brings the deadline forward only', async () => {
      const v = makeVisit(1);
      await store.create(v);
      const r0 = v.reasons[0];
      if (r0 === undefined) throw new Error('factory gives a reason');
      const fresh = { ...r0, severity: 'high' as const, value: 15.1 };
      const other = { ...r0, alertId: 'underheat-predicted@compound/longhu-huating@1', ruleId: 'underheat-predicted', category: 'prediction' };
      const a = await store.addEvidence(v.id, [fresh, other], 'high', v.dueAt - 4 * H);
      expect(a.reasons.map((r) => [r.alertId, r.value])).toEqual([
        [r0.alertId, 15.1],
        [other.alertId, r0.value],
      ]);
      expect(a.severity).toBe('high');
      expect(a.dueAt).toBe(v.dueAt - 4 * H);
      const b = await store.addEvidence(v.id, [], 'low', v.dueAt + 10 * H);
      expect([b.severity, b.dueAt]).toEqual(['high', v.dueAt - 4 * H]);
      const many = Array.from({ length: MAX_REASONS + 3 }, (_, i) => ({ ...r0, alertId: `a${i}` }));
      const c = await store.addEvidence(v.id, many, 'low', v.dueAt);
      expect(c.reasons).toHaveLength(MAX_REASONS);
      expect(c.reasons[MAX_REASONS - 1]?.alertId).toBe(`a${MAX_REASONS + 2}`);
      expect(await store.get(v.id)).toEqual(c);
      expect((await rejection(store.addEvidence('v-none', [], 'low', 0))).code).toBe('NOT_FOUND');
    });

    it('records the outcome once and moves the visit to resolved, noting who', async () => {
      const v = makeVisit(1);
      await store.create(v);
      await store.advance(v.id, 'dispatched', v.receivedAt + H, { by: 'crew-zhang' });
      const o = { indoorC: 16.4, cause: 'network' as const, result: 'escalated' as const, comment: '末端阀门开度小', by: 'crew-zhang', at: v.receivedAt + 3 * H };
      const after = await store.recordOutcome(v.id, o);
      expect(after.outcome).toEqual(o);
      expect(after.loop).toMatchObject({ stage: 'resolved', at: { resolved: v.receivedAt + 3 * H }, by: { dispatched: 'crew-zhang', resolved: 'crew-zhang' } });
      expect(after.loop.notes).toEqual([{ stage: 'resolved', at: o.at, by: 'crew-zhang', comment: '末端阀门开度小' }]);
      expect((await rejection(store.recordOutcome(v.id, o))).code).toBe('CONFLICT');
      expect((await store.list({ limit: 5, stages: ['resolved'] })).total).toBe(1);
      // an outcome before the current stage's time is refused
      const w = makeVisit(2, { loop: { stage: 'dispatched', at: { received: T0 + 2 * H, dispatched: T0 + 4 * H } } });
      await store.create(w);
      expect((await rejection(store.recordOutcome(w.id, { ...o, at: T0 + 3 * H }))).code).toBe('CONFLICT');
      expect((await store.get(w.id))?.outcome).toBeUndefined();
      expect((await rejection(store.recordOutcome('v-none', o))).code).toBe('NOT_FOUND');
    });

    it('moves along the loop forward only', async () => {
      const v = makeVisit(1);
      await store.create(v);
      await store.advance(v.id, 'dispatched', v.receivedAt + H, { by: 'wang', comment: '已出发' });
      expect((await rejection(store.advance(v.id, 'received', v.receivedAt + 2 * H))).code).toBe('CONFLICT');
      expect((await rejection(store.advance(v.id, 'resolved', v.receivedAt))).code).toBe('CONFLICT');
      expect((await rejection(store.advance('v-none', 'dispatched', T0))).code).toBe('NOT_FOUND');
      expect((await store.get(v.id))?.loop.notes).toEqual([{ stage: 'dispatched', at: v.receivedAt + H, by: 'wang', comment: '已出发' }]);
    });

    it('links complaints once each, bounded', async () => {
      const v = makeVisit(1);
      await store.create(v);
      await store.linkTicket(v.id, 'ta');
      await store.linkTicket(v.id, 'ta');
      expect((await store.linkTicket(v.id, 'tb')).ticketIds).toEqual(['ta', 'tb']);
      for (let i = 0; i < MAX_LINKED + 5; i++) await store.linkTicket(v.id, `t${i}`);
      expect((await store.get(v.id))?.ticketIds).toHaveLength(MAX_LINKED);
      expect((await rejection(store.linkTicket('v-none', 'ta'))).code).toBe('NOT_FOUND');
    });

    it('keeps episodes: upsert by id, filters, oldest first', async () => {
      const a = makeEpisode(1);
      const b = makeEpisode(2, { compoundId: 'donghu-yiyuan' });
      const c = makeEpisode(3, { compoundId: 'xiyu-huayuan', stationId: 'xiyu', end: T0 + 10 * H });
      for (const e of [c, a, b]) await store.putEpisode(e);
      await store.putEpisode({ ...a, visitId: 'v1', visitAt: T0 + 2 * H, lastAlertAt: T0 + 3 * H });
      expect(await store.getEpisode(a.id)).toEqual({ ...a, visitId: 'v1', visitAt: T0 + 2 * H, lastAlertAt: T0 + 3 * H });
      expect((await store.listEpisodes({ limit: 10 })).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
      expect((await store.listEpisodes({ limit: 10, open: true })).map((e) => e.id)).toEqual([a.id, b.id]);
      expect((await store.listEpisodes({ limit: 10, open: false })).map((e) => e.id)).toEqual([c.id]);
      expect((await store.listEpisodes({ limit: 10, from: T0 + 2 * H, stationId: 'dexuan' })).map((e) => e.id)).toEqual([b.id]);
      expect((await store.listEpisodes({ limit: 10, compoundId: 'xiyu-huayuan', to: T0 + 3 * H })).map((e) => e.id)).toEqual([]);
      expect((await store.listEpisodes({ limit: 1 })).map((e) => e.id)).toEqual([a.id]);
      expect(await store.getEpisode('nope')).toBeUndefined();
      expect((await rejection(store.listEpisodes({ limit: 0 }))).code).toBe('BAD_REQUEST');
    });

    it('hands out copies', async () => {
      const v = makeVisit(1);
      await store.create(v);
      const got = (await store.get(v.id)) as Visit & { ticketIds: string[] };
      got.ticketIds.push('x');
      expect(await store.get(v.id)).toEqual(v);
    });

    it('keeps everything across a reopen (durable stores)', async () => {
      if (sut.reopen === undefined) return;
      const v = makeVisit(1);
      await store.create(v);
      await store.recordOutcome(v.id, { cause: 'in-home', result: 'fixed', by: 'li', at: v.receivedAt + H });
      await store.putEpisode(makeEpisode(1));
      const before = await store.get(v.id);
      await store.close();
      store = await sut.reopen();
      await store.connect();
      expect(await store.get(v.id)).toEqual(before);
      expect(await store.listEpisodes({ limit: 5 })).toHaveLength(1);
    });

    it('refuses calls after close', async () => {
      await store.close();
      await expect(store.get('x')).rejects.toBeInstanceOf(HeatError);
      const first = sut;
      const again = await make();
      sut = { store: again.store, cleanup: async () => (await again.cleanup(), await first.cleanup()) };
      store = again.store;
      await store.connect();
    });
  });
}
