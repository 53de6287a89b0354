import { describe, expect, it } from 'vitest';
import { decodeWorkload, encodeWorkload, sample } from './workload-file';

describe('workload file', () => {
  const messages = [
    { topic: 'heat/v1/station/dexuan', payload: Buffer.from('{"ts":1,"values":{"t1_supply":90}}') },
    { topic: 'heat/v1/compound/龙湖', payload: Buffer.from('') },
    { topic: 'heat/v1/weather/jyg', payload: Buffer.from('{"ts":2,"values":{"t_outdoor":-9.5}}') },
  ];

  it('round-trips topics (UTF-8) and payload bytes in order', () => {
    const back = decodeWorkload(encodeWorkload(messages));
    expect(back.map((m) => m.topic)).toEqual(messages.map((m) => m.topic));
    expect(back.map((m) => m.payload.toString())).toEqual(messages.map((m) => m.payload.toString()));
  });

  it('refuses a truncated file instead of returning part of it', () => {
    const buf = encodeWorkload(messages);
    expect(() => decodeWorkload(buf.subarray(0, buf.length - 3))).toThrow(/truncated/);
  });

  it('samples every k-th message', () => {
    expect(sample([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([0, 3, 6]);
    expect(sample([0, 1], 1)).toEqual([0, 1]);
    expect(() => sample([0], 0)).toThrow(/stride/);
  });
});
