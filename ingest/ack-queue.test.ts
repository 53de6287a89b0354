import { describe, expect, it } from 'vitest';
import { AckQueue } from './ack-queue';
import { PubackBatcher, pubackPacket } from './puback';

describe('AckQueue', () => {
  it('releases in arrival order, each item once, only when all earlier ones are complete', () => {
    const out: number[] = [];
    const q = new AckQueue<number>((n) => out.push(n));
    const e = [1, 2, 3, 4].map((n) => q.enqueue(n));
    q.complete(e[1]!);
    q.complete(e[3]!);
    expect(out).toEqual([]);
    q.complete(e[0]!);
    expect(out).toEqual([1, 2]);
    expect(q.size).toBe(2);
    q.complete(e[2]!);
    expect(out).toEqual([1, 2, 3, 4]);
    expect(q.size).toBe(0);
  });

  it('stays correct across compaction of a long queue', () => {
    const out: number[] = [];
    const q = new AckQueue<number>((n) => out.push(n));
    for (let i = 0; i < 5000; i++) q.complete(q.enqueue(i));
    const late = q.enqueue(5000);
    const later = q.enqueue(5001);
    q.complete(later);
    expect(q.count(() => true)).toBe(2);
    q.complete(late);
    expect(out.length).toBe(5002);
    expect(out.slice(-2)).toEqual([5000, 5001]);
  });
});

describe('puback', () => {
  it('encodes PUBACK as 0x40 0x02 and the packet id, big-endian', () => {
    expect([...pubackPacket(1)]).toEqual([0x40, 2, 0, 1]);
    expect([...pubackPacket(0x1234)]).toEqual([0x40, 2, 0x12, 0x34]);
    expect(() => pubackPacket(0)).toThrow(RangeError);
    expect(() => pubackPacket(65536)).toThrow(RangeError);
  });
  it('does not write to a closed connection', () => {
    const written: Uint8Array[] = [];
    const acks = new PubackBatcher();
    expect(acks.add({ write: (c) => (written.push(c), true), destroyed: true }, 7)).toBe(false);
    expect(acks.add({ write: (c) => (written.push(c), true), destroyed: false }, 7)).toBe(true);
    acks.flush();
    expect(written).toHaveLength(1);
  });
  it('coalesces the PUBACKs of one turn into one write per connection, in order', async () => {
    const a: number[][] = [];
    const b: number[][] = [];
    const sa = { write: (c: Uint8Array) => (a.push([...c]), true), destroyed: false };
    const sb = { write: (c: Uint8Array) => (b.push([...c]), true), destroyed: false };
    const acks = new PubackBatcher();
    expect(acks.add(sa, 1)).toBe(true);
    acks.add(sa, 0x1234);
    acks.add(sb, 3); // another connection: what sa had queued goes out first
    acks.add(sb, 4);
    expect(a).toEqual([[0x40, 2, 0, 1, 0x40, 2, 0x12, 0x34]]);
    expect(b).toEqual([]);
    await Promise.resolve(); // the microtask flush
    expect(b).toEqual([[0x40, 2, 0, 3, 0x40, 2, 0, 4]]);
    expect(() => acks.add(sb, 0)).toThrow(RangeError);
    expect(acks.add({ write: () => true, destroyed: true }, 5)).toBe(false);
    sb.destroyed = true; // closed before the flush: nothing is written, the broker redelivers
    acks.add({ write: () => true, destroyed: false }, 6);
    acks.add(sb as { write: (c: Uint8Array) => boolean; destroyed: boolean }, 7);
    acks.flush();
    expect(b).toHaveLength(1);
  });
});
