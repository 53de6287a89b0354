import { describe, expect, it } from 'vitest';
import { HOSTILE_IDS } from './telemetry-store.contract';
import { decodeName, encodeName } from './influx-names';

describe('influx storage names', () => {
  it('leaves ordinary ids readable', () => {
    for (const id of ['dexuan', 'longhu-huating-s1', '德轩换热站', 'a b,c=d "e\' f']) expect(encodeName(id)).toBe(id);
  });

  it('encodes only %, backslash and control characters', () => {
    expect(encodeName('a\\b\n%c\t\x7f')).toBe('a%5Cb%0A%25c%09%7F');
  });

  it('round-trips every string, including ones that look encoded already', () => {
    const samples = [...HOSTILE_IDS, '%5C', '%%', '%0a', 'trailing\\', '\u0000', '%25%'];
    for (let c = 0; c < 0x2100; c += 7) samples.push(`x${String.fromCharCode(c)}%${c}\\`);
    for (const s of samples) expect(decodeName(encodeName(s))).toBe(s);
  });

  it('never leaves a backslash or newline in the stored name', () => {
    for (const s of HOSTILE_IDS) expect(encodeName(s)).not.toMatch(/[\\\n\r]/);
  });
});
