import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadNetwork, parseNetwork } from './network-loader';
import { tailEndCount } from './network';
import { HeatError } from './errors';
import { CompoundSchema, NetworkFileSchema } from './network-schema';

const miniPath = new URL('../fixtures/networks/mini.json', import.meta.url).pathname;
const mini = () => JSON.parse(readFileSync(miniPath, 'utf8')) as Record<string, unknown[]> & { stations: Record<string, unknown>[]; compounds: Record<string, unknown>[] };

describe('network model', () => {
  it('loads the mini network and knows 德轩 tail end', () => {
    const net = loadNetwork(miniPath);
    expect(net.stations).toHaveLength(3);
    const tail = net.tailEndCompounds('dexuan').map((c) => c.name);
    expect(tail).toEqual(['龙湖华庭', '东湖怡园']);
    expect(net.compound('dexuan-xq')?.tailEnd).toBe(false);
    expect(net.compound('donghu-yiyuan')?.rankFromEnd).toBe(1);
    expect(net.compoundsOf('dexuan').map((c) => c.order)).toEqual([1, 2, 3, 4, 5]);
    expect(net.entity('compound', 'longhu-huating')?.kind).toBe('compound');
    expect(net.entity('station', 'longhu-huating')).toBeUndefined();
    // kinds can come from outside (HTTP paths): an inherited property name is no kind
    expect(net.entity('constructor' as 'station', 'x')).toBeUndefined();
    expect(net.entity('weather', 'constructor')).toBeUndefined();
  });

  it('a compound view keeps every field of its file entry, whatever the schema adds (the view is built field by field)', () => {
    const file = NetworkFileSchema.parse(mini());
    const net = parseNetwork(mini());
    expect(file.compounds.length).toBeGreaterThan(0);
    for (const c of file.compounds) {
      const v = net.compound(c.id);
      const { tailEnd, rankFromEnd, ...rest } = v ?? { tailEnd: undefined, rankFromEnd: undefined };
      expect(typeof tailEnd).toBe('boolean');
      expect(typeof rankFromEnd).toBe('number');
      // JSON drops the optional fields a file leaves out, as the API sends them.
      expect(JSON.parse(JSON.stringify(rest))).toEqual(JSON.parse(JSON.stringify(c)));
      for (const key of Object.keys(CompoundSchema.shape)) expect(Object.keys(rest)).toContain(key);
      for (const key of Object.keys(c.hydraulics)) expect(Object.keys(v?.hydraulics ?? {})).toContain(key);
    }
  });

  it('tail end is the farthest third, none for a single compound', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(tailEndCount)).toEqual([0, 1, 1, 1, 2, 2, 3]);
  });

  it('names the entity and field of a schema error', () => {
    const raw = mini();
    (raw.stations[1] as { curve: { minC: unknown } }).curve.minC = 'cold';
    expect(() => parseNetwork(raw)).toThrowError(/stations\[1\] \(id xingfu\): field curve\.minC/);
  });

  it('names the entity and field of a broken reference', () => {
    const raw = mini();
    raw.compounds[2]!.stationId = 'nowhere';
    try {
      parseNetwork(raw);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HeatError);
      expect((e as HeatError).code).toBe('NETWORK_INVALID');
      expect((e as HeatError).detail).toMatch(/compound changsheng: field stationId: no station nowhere/);
    }
  });

  it('rejects duplicate hydraulic order at one station', () => {
    const raw = mini();
    raw.compounds[1]!.order = 1;
    expect(() => parseNetwork(raw)).toThrowError(/compound jianshe: field order/);
  });

  it('says which file cannot be read', () => {
    expect(() => loadNetwork('/nope/net.json')).toThrowError(/HEAT_NETWORK=\/nope\/net.json/);
  });
});
