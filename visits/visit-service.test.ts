import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock';
import { HeatError } from '../domain/errors';
import { MemoryVisitStore } from './memory-visit-store';
import { makeVisit, T0 } from './testing/visit-factory';
import { VisitService } from './visit-service';

const H = 3_600_000;
const deadlines = { dispatched: 0.5 * H, resolved: 24 * H, supervised: 48 * H, 'followed-up': 72 * H };

describe('VisitService', () => {
  let store: MemoryVisitStore;
  let clock: ManualClock;
  let svc: VisitService;
  const v = makeVisit(0); // issued at T0, due at T0 + 8 h
  beforeEach(async () => {
    store = new MemoryVisitStore();
    await store.connect();
    await store.create(v);
    clock = new ManualClock(T0 + H);
    svc = new VisitService(store, clock, deadlines);
  });

  it('flags a visit overdue against its own deadline, not the tickets\' one', async () => {
    expect(svc.timeliness(v, T0 + 7 * H).overdue).toEqual(['dispatched']);
    expect(svc.timeliness(v, T0 + 9 * H).overdue).toEqual(['dispatched', 'resolved']);
    expect(svc.timeliness(v).dueAt.resolved).toBe(T0 + 8 * H);
  });

  it('records the outcome now by default, by the user, and refuses nonsense', async () => {
    const after = await svc.recordOutcome(v.id, { indoorC: 17.1, cause: 'in-home', result: 'fixed', comment: '放气后恢复' }, 'crew-li');
    expect(after.outcome).toEqual({ indoorC: 17.1, cause: 'in-home', result: 'fixed', comment: '放气后恢复', by: 'crew-li', at: T0 + H });
    expect(after.loop.stage).toBe('resolved');
    const w = makeVisit(1);
    await store.create(w);
    await expect(svc.recordOutcome(w.id, { cause: 'none', result: 'fixed' }, 'x')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(svc.recordOutcome(w.id, { cause: 'none', result: 'nothing-to-fix', at: T0 + 10 * H }, 'x')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('resolves only through the outcome; other moves go ahead', async () => {
    const d = await svc.advance(v.id, 'dispatched', { by: 'crew-li', comment: '出发' });
    expect(d.loop).toMatchObject({ stage: 'dispatched', at: { dispatched: T0 + H }, by: { dispatched: 'crew-li' } });
    const e = await svc.advance(v.id, 'supervised', { by: 'boss' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HeatError);
    expect((e as HeatError).code).toBe('CONFLICT');
    await svc.recordOutcome(v.id, { cause: 'network', result: 'escalated' }, 'crew-li');
    clock.set(T0 + 30 * H);
    expect((await svc.advance(v.id, 'supervised', { by: 'boss' })).loop.stage).toBe('supervised');
    await expect(svc.advance('v-none', 'dispatched', { by: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
