import { describe, expect, it } from 'vitest';
import { NetworkModel } from '../domain/network';
import { miniNetwork } from '../rules/test-fixtures';
import { homesFirst } from './homes-first';

describe('homesFirst', () => {
  it('sends the crew to the far buildings\' top-floor end units first, then the tallest, then the ground floor', () => {
    const c = miniNetwork().compound('longhu-huating');
    if (c === undefined) throw new Error('mini network has longhu-huating');
    const homes = homesFirst(c);
    // four buildings, three units, six floors, 60 households: about 3 flats a landing
    expect(homes.map((h) => [h.buildingId, h.unit, h.floor, h.rooms.join('/')])).toEqual([
      ['longhu-huating-b4', 3, 6, '601/604'],
      ['longhu-huating-b4', 1, 6, '601/604'],
      ['longhu-huating-b4', 3, 1, '101/104'],
      ['longhu-huating-b4', 1, 1, '101/104'],
      ['longhu-huating-b3', 3, 6, '601/604'],
      ['longhu-huating-b3', 1, 6, '601/604'],
    ]);
    expect(homes[0]?.reasons).toEqual(['far-building', 'top-floor', 'end-unit']);
    expect(homes[2]?.reasons).toEqual(['far-building', 'ground-floor', 'end-unit']);
    expect(homes[4]?.reasons).toEqual(['top-floor', 'end-unit']);
    expect(homes.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('prefers the tallest building when it is taller than the far ones, and copes with a single small building', () => {
    const net = new NetworkModel({
      ...miniFile(),
      compounds: [
        {
          ...miniFile().compounds[0],
          households: 100,
          buildings: [
            { id: 'a-b1', name: '1号楼', units: 2, floors: 11, households: 44 },
            { id: 'a-b2', name: '2号楼', units: 1, floors: 6, households: 12 },
            { id: 'a-b3', name: '3号楼', units: 2, floors: 6, households: 24 },
            { id: 'a-b4', name: '4号楼', units: 2, floors: 5, households: 20 },
          ],
        },
      ],
    } as never);
    const c = net.compounds[0];
    if (c === undefined) throw new Error('one compound');
    expect(homesFirst(c, 4).map((h) => [h.buildingId, h.unit, h.floor])).toEqual([
      ['a-b4', 2, 5],
      ['a-b4', 1, 5],
      ['a-b1', 2, 11],
      ['a-b1', 1, 11],
    ]);
    const single = new NetworkModel({
      ...miniFile(),
      compounds: [{ ...miniFile().compounds[0], households: 6, buildings: [{ id: 's-b1', name: '1号楼', units: 1, floors: 3, households: 6 }] }],
    } as never).compounds[0];
    if (single === undefined) throw new Error('one compound');
    expect(homesFirst(single).map((h) => [h.floor, h.rooms.join('/'), h.reasons.join(',')])).toEqual([
      [3, '301/302', 'top-floor'],
      [1, '101/102', 'ground-floor'],
    ]);
  });
});

function miniFile() {
  const net = miniNetwork();
  const c = net.compound('dexuan-xq');
  return {
    version: 1 as const,
    city: net.city,
    timezone: net.timezone,
    designOutdoorC: net.designOutdoorC,
    plants: net.plants,
    weatherSites: net.weatherSites,
    primaryNetworks: net.primaryNetworks,
    stations: net.stations,
    compounds: [{ ...c, id: 'a', order: 1 }],
  };
}
