// The whole TicketStore contract as one test suite (aedes-persistence's abstract.js style):
// each implementation's test file calls describeTicketStoreContract with a factory.
// Each test gets a fresh, empty store; the suite calls connect() and close(), then cleanup().

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import { makeRecord, T0 } from './testing/ticket-factory';
import type { Correlation, TicketRecord } from './ticket-model';
import { MAX_PAGE, type TicketQuery, type TicketStore } from './ticket-store';

export interface TicketStoreUnderTest {
  readonly store: TicketStore;
  /** Closes nothing; opens a new store on the same data (durable stores only). */
  reopen?(): Promise<TicketStore>;
  cleanup(): Promise<void>;
}

export type MakeTicketStore = () => Promise<TicketStoreUnderTest>;

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

async function allPages(store: TicketStore, q: Omit<TicketQuery, 'after'>): Promise<TicketRecord[]> {
  const out: TicketRecord[] = [];
  let page = await store.list(q);
  out.push(...page.items);
  for (let guard = 0; page.next !== undefined && guard < 1000; guard++) {
    page = await store.list({ ...q, after: page.next });
    out.push(...page.items);
  }
  return out;
}

export function describeTicketStoreContract(name: string, make: MakeTicketStore): void {
  describe(`TicketStore contract: ${name}`, () => {
    let sut: TicketStoreUnderTest;
    let store: TicketStore;
    beforeEach(async () => {
      sut = await make();
      store = sut.store;
      await store.connect();
    });
    afterEach(async () => {
      await store.close();
      await sut.cleanup();
    });

    it('stores a ticket and gives it back unchanged, phone included', async () => {
      const t = makeRecord(1);
      expect(await store.add([t])).toEqual([{ id: t.id, externalId: t.externalId, outcome: 'created' }]);
      expect(await store.get(t.id)).toEqual(t);
      expect(await store.get('t-nothing-here')).toBeUndefined();
    });

    it('keeps hostile and markup text verbatim, as data', async () => {
      const texts = ['<img src=x onerror=alert(1)>', "x'); DROP TABLE tickets; --", '暖气不热\n第二行\t"引号" \\ 反斜杠', '🔥 emoji 𠀀 ext-B', '$1 $2 ?'];
      const ts = texts.map((text, i) => makeRecord(10 + i, { text, address: text }));
      await store.add(ts);
      for (const t of ts) expect((await store.get(t.id))?.text).toBe(t.text);
      expect((await store.list({ limit: 50 })).total).toBe(texts.length);
    });

    it('is idempotent on the external id: duplicates and conflicts change nothing', async () => {
      const t = makeRecord(1);
      await store.add([t]);
      const changed = makeRecord(1, { text: '改过的内容' });
      expect(changed.id).toBe(t.id);
      expect(await store.add([t, changed])).toEqual([
        { id: t.id, externalId: t.externalId, outcome: 'duplicate' },
        { id: t.id, externalId: t.externalId, outcome: 'conflict' },
      ]);
      expect(await store.get(t.id)).toEqual(t);
      expect((await store.list({ limit: 10 })).total).toBe(1);
    });

    it('judges a repeated external id within one call against the first of them', async () => {
      const a = makeRecord(2);
      const b = makeRecord(2, { address: '东湖怡园1号楼' });
      const results = await store.add([a, a, b]);
      expect(results.map((r) => r.outcome)).toEqual(['created', 'duplicate', 'conflict']);
      expect((await store.get(a.id))?.address).toBe(a.address);
    });

    it('adds a large batch in one call', async () => {
      const batch = Array.from({ length: 1200 }, (_, i) => makeRecord(100 + i));
      const results = await store.add(batch);
      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1200);
      expect((await store.list({ limit: 1 })).total).toBe(1200);
      expect((await store.add(batch)).every((r) => r.outcome === 'duplicate')).toBe(true);
    });

    it('filters by time, compound, station, category, stage, review and spelling', async () => {
      await store.add([
        makeRecord(1),
        makeRecord(2, { category: 'heating-leak' }),
        makeRecord(3, { resolution: { compoundId: 'donghu-yiyuan', spelling: '东湖怡园' } }),
        makeRecord(4, { resolution: { compoundId: 'x1', stationId: 'xingfu' } }),
        makeRecord(5, { resolution: { review: 'needs-review', spelling: '龙湖花亭', confidence: 0.4 } }),
      ]);
      const ids = async (q: Omit<TicketQuery, 'limit'>): Promise<number[]> =>
        (await store.list({ ...q, limit: 100 })).items.map((t) => Number(t.externalId.slice(-6))).sort((a, b) => a - b);
      expect(await ids({ from: T0 + 2 * H, to: T0 + 4 * H })).toEqual([2, 3]);
      expect(await ids({ compoundId: 'donghu-yiyuan' })).toEqual([3]);
      expect(await ids({ stationId: 'xingfu' })).toEqual([4]);
      expect(await ids({ stationId: 'dexuan' })).toEqual([1, 2, 3, 5]);
      expect(await ids({ stationIds: ['xingfu'] })).toEqual([4]);
      expect(await ids({ stationIds: ['xingfu', 'dexuan'] })).toEqual([1, 2, 3, 4, 5]);
      expect(await ids({ stationIds: [] })).toEqual([]);
      // Many stations (a crew of a large city): more placeholders than one digit.
      expect(await ids({ stationIds: [...Array.from({ length: 12 }, (_, i) => `s${i}`), 'xingfu'], category: 'heating-not-warm' })).toEqual([4]);
      expect(await ids({ stationIds: ["x' OR 1=1 --"] })).toEqual([]);
      expect(await ids({ category: 'heating-leak' })).toEqual([2]);
      expect(await ids({ review: 'needs-review' })).toEqual([5]);
      expect(await ids({ spelling: '龙湖花亭' })).toEqual([5]);
      expect(await ids({ stage: 'received', category: 'heating-not-warm', stationId: 'dexuan' })).toEqual([1, 3, 5]);
      expect(await ids({ stage: 'dispatched' })).toEqual([]);
    });

    it('pages newest or oldest first, each ticket once, with the total', async () => {
      // Same receipt time for several tickets: the id breaks the tie, so paging is stable.
      const batch = Array.from({ length: 23 }, (_, i) => makeRecord(i, { receivedAt: T0 + Math.floor(i / 3) * H }));
      await store.add(batch);
      const newest = await allPages(store, { limit: 5 });
      expect(newest).toHaveLength(23);
      expect(new Set(newest.map((t) => t.id)).size).toBe(23);
      for (let i = 1; i < newest.length; i++) {
        const a = newest[i - 1] as TicketRecord;
        const b = newest[i] as TicketRecord;
        expect(a.receivedAt > b.receivedAt || (a.receivedAt === b.receivedAt && a.id > b.id)).toBe(true);
      }
      const oldest = await allPages(store, { limit: 4, order: 'oldest' });
      expect(oldest.map((t) => t.id)).toEqual([...newest].reverse().map((t) => t.id));
      const first = await store.list({ limit: 5 });
      expect(first.total).toBe(23);
      expect(first.items).toHaveLength(5);
      const last = await store.list({ limit: 50 });
      expect(last.next).toBeUndefined();
    });

    it('bounds the page size', async () => {
      for (const limit of [0, -1, MAX_PAGE + 1, 1.5]) expect((await rejection(store.list({ limit }))).code).toBe('BAD_REQUEST');
      expect((await rejection(store.list({ limit: 10, from: T0, to: T0 }))).code).toBe('BAD_REQUEST');
    });

    it('replaces a resolution and the category; queries see the change', async () => {
      const t = makeRecord(1, { resolution: { review: 'needs-review', confidence: 0.3, compoundId: 'donghu-yiyuan' } });
      await store.add([t]);
      const confirmed = { ...t.resolution, review: 'confirmed' as const, compoundId: 'longhu-huating', buildingId: 'longhu-huating-b3', unit: 2, confidence: 1, method: 'human' as const, confirmedAt: T0 + 48 * H };
      const after = await store.setResolution(t.id, confirmed, 'heating-no-circulation');
      expect(after.resolution).toEqual(confirmed);
      expect(after.category).toBe('heating-no-circulation');
      expect(await store.get(t.id)).toEqual(after);
      expect((await store.list({ limit: 10, review: 'needs-review' })).total).toBe(0);
      expect((await store.list({ limit: 10, compoundId: 'longhu-huating', category: 'heating-no-circulation' })).total).toBe(1);
      expect((await rejection(store.setResolution('t-missing', confirmed))).code).toBe('NOT_FOUND');
    });

    it('moves a ticket forward along the loop, keeping each stage time', async () => {
      const t = makeRecord(1);
      await store.add([t]);
      const d = await store.advance(t.id, 'dispatched', t.receivedAt + 600_000);
      expect(d.loop).toEqual({ stage: 'dispatched', at: { received: t.receivedAt, dispatched: t.receivedAt + 600_000 } });
      // supervision may be skipped
      const f = await store.advance(t.id, 'resolved', t.receivedAt + H);
      await store.advance(t.id, 'followed-up', t.receivedAt + 2 * H);
      const stored = await store.get(t.id);
      expect(stored?.loop).toEqual({ stage: 'followed-up', at: { ...f.loop.at, 'followed-up': t.receivedAt + 2 * H } });
      expect((await store.list({ limit: 5, stage: 'followed-up' })).total).toBe(1);
    });

    it('refuses moves backwards, repeats, or back in time, and unknown tickets', async () => {
      const t = makeRecord(1);
      await store.add([t]);
      await store.advance(t.id, 'dispatched', t.receivedAt + H);
      expect((await rejection(store.advance(t.id, 'dispatched', t.receivedAt + 2 * H))).code).toBe('CONFLICT');
      expect((await rejection(store.advance(t.id, 'received', t.receivedAt + 2 * H))).code).toBe('CONFLICT');
      expect((await rejection(store.advance(t.id, 'resolved', t.receivedAt + H - 1))).code).toBe('CONFLICT');
      expect((await rejection(store.advance('t-missing', 'resolved', T0))).code).toBe('NOT_FOUND');
      expect((await store.get(t.id))?.loop.stage).toBe('dispatched');
    });

    it('notes who moved a ticket and their comment, and keeps them along the loop', async () => {
      const t = makeRecord(1);
      await store.add([t]);
      await store.advance(t.id, 'dispatched', t.receivedAt + 600_000, { by: 'wang', comment: '派给钢城班组' });
      await store.advance(t.id, 'resolved', t.receivedAt + H, { by: 'li' });
      await store.advance(t.id, 'supervised', t.receivedAt + 2 * H);
      const loop = (await store.get(t.id))?.loop;
      expect(loop?.by).toEqual({ dispatched: 'wang', resolved: 'li' });
      expect(loop?.notes).toEqual([{ stage: 'dispatched', at: t.receivedAt + 600_000, by: 'wang', comment: '派给钢城班组' }]);
      expect(loop?.at.supervised).toBe(t.receivedAt + 2 * H);
    });

    it('keeps a correlation and a visit link; queries filter on the verdict and the visit', async () => {
      const [a, b, c] = [makeRecord(1), makeRecord(2), makeRecord(3)];
      await store.add([a, b, c]);
      const corr: Correlation = {
        verdict: 'explained',
        alert: { alertId: 'underheat-indoor@compound/longhu-huating@1', ruleId: 'underheat-indoor', category: 'underheating', level: 'compound', entity: { kind: 'compound', id: 'longhu-huating' }, openedAt: T0 },
        also: [],
        suggestion: 'network',
        windowFrom: a.receivedAt - 24 * H,
        windowTo: a.receivedAt + 2 * H,
        evaluatedAt: a.receivedAt,
      };
      await store.setCorrelation(a.id, corr);
      await store.setCorrelation(b.id, { ...corr, verdict: 'unexplained', suggestion: 'visit-flat', alert: undefined });
      await store.linkVisit(c.id, 'v-longhu-huating-1');
      expect((await store.get(a.id))?.correlation).toEqual(corr);
      expect((await store.get(c.id))?.visitId).toBe('v-longhu-huating-1');
      const ids = async (q: Omit<TicketQuery, 'limit'>): Promise<string[]> => (await store.list({ ...q, limit: 10 })).items.map((t) => t.id);
      expect(await ids({ verdict: 'explained' })).toEqual([a.id]);
      expect(await ids({ verdict: 'unexplained' })).toEqual([b.id]);
      expect(await ids({ visitId: 'v-longhu-huating-1' })).toEqual([c.id]);
      // A later correlation replaces the earlier one.
      await store.setCorrelation(a.id, { ...corr, verdict: 'unexplained', suggestion: 'visit-flat', alert: undefined });
      expect(await ids({ verdict: 'explained' })).toEqual([]);
      expect((await rejection(store.setCorrelation('t-missing', corr))).code).toBe('NOT_FOUND');
      expect((await rejection(store.linkVisit('t-missing', 'v'))).code).toBe('NOT_FOUND');
    });

    it('records learned aliases; a later lesson for the same spelling replaces the earlier', async () => {
      await store.learnAlias({ spelling: '龙湖花亭', compoundId: 'donghu-yiyuan', learnedAt: T0 });
      await store.learnAlias({ spelling: '东湖一园', compoundId: 'donghu-yiyuan', learnedAt: T0 + 1, ticketId: 'tabc' });
      await store.learnAlias({ spelling: '龙湖花亭', compoundId: 'longhu-huating', learnedAt: T0 + 2, ticketId: 'tdef' });
      const all = (await store.aliases()).sort((a, b) => a.spelling.localeCompare(b.spelling));
      expect(all).toEqual(
        [
          { spelling: '东湖一园', compoundId: 'donghu-yiyuan', learnedAt: T0 + 1, ticketId: 'tabc' },
          { spelling: '龙湖花亭', compoundId: 'longhu-huating', learnedAt: T0 + 2, ticketId: 'tdef' },
        ].sort((a, b) => a.spelling.localeCompare(b.spelling)),
      );
    });

    it('hands out copies: changing a result changes nothing stored', async () => {
      const t = makeRecord(1);
      await store.add([t]);
      const got = (await store.get(t.id)) as TicketRecord & { text: string };
      got.text = 'changed';
      (got.resolution.evidence as { kind: string; detail: string }[]).push({ kind: 'x', detail: 'y' });
      expect(await store.get(t.id)).toEqual(t);
    });

    it('keeps everything across a reopen (durable stores)', async () => {
      if (sut.reopen === undefined) return;
      const t = makeRecord(1);
      await store.add([t]);
      await store.advance(t.id, 'dispatched', t.receivedAt + H, { by: 'wang', comment: 'ok' });
      await store.setCorrelation(t.id, { verdict: 'unexplained', also: [], suggestion: 'visit-flat', windowFrom: 0, windowTo: 1, evaluatedAt: 2 });
      await store.linkVisit(t.id, 'v1');
      await store.learnAlias({ spelling: '龙湖花亭', compoundId: 'longhu-huating', learnedAt: T0 });
      const before = await store.get(t.id);
      await store.close();
      store = await sut.reopen();
      await store.connect();
      expect((await store.get(t.id))?.loop.stage).toBe('dispatched');
      expect(await store.get(t.id)).toEqual(before);
      expect((await store.get(t.id))?.callerPhone).toBe(t.callerPhone);
      expect(await store.aliases()).toHaveLength(1);
      expect((await store.add([t]))[0]?.outcome).toBe('duplicate');
    });

    it('refuses calls after close', async () => {
      await store.close();
      await expect(store.get('x')).rejects.toBeInstanceOf(HeatError);
      await expect(store.add([makeRecord(1)])).rejects.toBeInstanceOf(HeatError);
      // afterEach closes and cleans up a fresh one, and this one's leftovers too.
      const first = sut;
      const again = await make();
      sut = { store: again.store, cleanup: async () => (await again.cleanup(), await first.cleanup()) };
      store = again.store;
      await store.connect();
    });
  });
}
