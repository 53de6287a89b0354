import { describe, expect, it } from 'vitest';
import { AckQueue } from './ack-queue';
import { pubackPacket, writePuback } from './puback';

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
    expect(writePuback({ write: (c) => (written.push(c), true), destroyed: true }, 7)).toBe(false);
    expect(writePuback({ write: (c) => (written.push(c), true), destroyed: false }, 7)).toBe(true);
    expect(written).toHaveLength(1);
  });
});
