// Live push over a real socket.io connection: subscribe (validated), readings reach only the
// subscribed entity's room, ticks reach everyone, unsubscribe stops the flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ReadingEvent, ServerToClientEvents, SubscribeAck, TickEvent } from '../dto';
import { startApi, T0, type ApiHarness } from '../testing/api-harness';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Recorder {
  readonly socket: Client;
  readonly readings: ReadingEvent[];
  readonly ticks: TickEvent[];
}

async function client(h: ApiHarness): Promise<Recorder> {
  const socket: Client = connect(h.base, { transports: ['websocket'], reconnection: false, forceNew: true });
  const r: Recorder = { socket, readings: [], ticks: [] };
  socket.on('reading', (x) => r.readings.push(x));
  socket.on('tick', (x) => r.ticks.push(x));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return r;
}

function request(c: Recorder, event: 'subscribe' | 'unsubscribe', entity: unknown): Promise<SubscribeAck> {
  return new Promise((resolve) => c.socket.emit(event, { entity } as { entity: string }, resolve));
}

/** Resolves with the next tick this client receives (ticks follow the readings of their window). */
function nextTick(c: Recorder): Promise<TickEvent> {
  return new Promise((resolve) => c.socket.once('tick', resolve));
}

describe('live push (socket.io)', () => {
  let h: ApiHarness;
  let a: Recorder;
  let b: Recorder;
  beforeAll(async () => {
    h = await startApi({ api: { live: { windowMs: 20 } } });
    a = await client(h);
    b = await client(h);
  });
  afterAll(async () => {
    a.socket.disconnect();
    b.socket.disconnect();
    await h.close();
  });

  it('validates subscriptions against the network model', async () => {
    expect(await request(a, 'subscribe', 'station:dexuan')).toEqual({ ok: true, entity: 'station:dexuan' });
    expect(await request(b, 'subscribe', 'station:xingfu')).toEqual({ ok: true, entity: 'station:xingfu' });
    const unknown = await request(a, 'subscribe', 'station:nowhere');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ENTITY' } });
    const malformed = await request(a, 'subscribe', 42);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', detail: expect.stringMatching(/^message\.entity: /) } });
  });

  it("delivers a reading published on the bus to its entity's subscribers only", async () => {
    const tickA = nextTick(a);
    const tickB = nextTick(b);
    h.bus.publish([
      { measurement: 'station', tags: { id: 'xingfu' }, fields: { t2_supply: 41.3 }, time: T0 },
      { measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 47.5, pump_state: 'run' }, time: T0 },
      { measurement: 'compound', tags: { id: 'longhu-huating' }, fields: { t_supply: 42 }, time: T0 },
    ]);
    // socket.io keeps order per connection: by the tick, every reading of that window has arrived.
    const [ta] = await Promise.all([tickA, tickB]);
    expect(ta).toEqual({ now: T0, metrics: 3, fieldValues: 4, entities: 3, newestTime: T0 });
    expect(a.readings).toEqual([{ entity: 'station:dexuan', time: T0, fields: { t2_supply: 47.5, pump_state: 'run' } }]);
    expect(b.readings).toEqual([{ entity: 'station:xingfu', time: T0, fields: { t2_supply: 41.3 } }]);
  });

  it('stops delivering after unsubscribe; counts what it pushed in /metrics', async () => {
    a.readings.length = 0;
    expect(await request(a, 'unsubscribe', 'station:dexuan')).toEqual({ ok: true, entity: 'station:dexuan' });
    const tick = nextTick(a);
    h.bus.publish([{ measurement: 'station', tags: { id: 'dexuan' }, fields: { t2_supply: 48 }, time: T0 + 60_000 }]);
    await tick;
    expect(a.readings).toEqual([]);
    const text = await (await fetch(`${h.base}/metrics`)).text();
    expect(text).toMatch(/^heat_live_readings_emitted_total 2$/m);
    expect(text).toMatch(/^heat_live_clients 2$/m);
    expect(text).toMatch(/^heat_live_subscribe_rejected_total\{code="UNKNOWN_ENTITY"\} 1$/m);
  });

  it('caps the subscriptions of one connection', async () => {
    const h2 = await startApi({ api: { live: { maxSubscriptions: 2 } } });
    const c = await client(h2);
    try {
      expect((await request(c, 'subscribe', 'station:dexuan')).ok).toBe(true);
      expect((await request(c, 'subscribe', 'station:xingfu')).ok).toBe(true);
      expect((await request(c, 'subscribe', 'station:dexuan')).ok).toBe(true); // already joined: no new room
      expect(await request(c, 'subscribe', 'station:xiyu')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', detail: expect.stringContaining('at most 2') } });
    } finally {
      c.socket.disconnect();
      await h2.close();
    }
  });
});
