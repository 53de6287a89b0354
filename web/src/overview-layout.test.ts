import { describe, expect, it } from 'vitest';
import { networkDto } from '../../api/network-dto';
import { loadNetwork } from '../../domain/network-loader';
import { layoutOverview } from './overview-layout';

const mini = networkDto(loadNetwork(new URL('../../fixtures/networks/mini.json', import.meta.url).pathname));
const city = networkDto(loadNetwork(new URL('../../fixtures/networks/jiayuguan.json', import.meta.url).pathname));

describe('overview schematic layout', () => {
  it('places every plant, network, station and compound once, inside the box', () => {
    const l = layoutOverview(city, 1400, 860);
    expect(l.nodes.filter((n) => n.kind === 'station')).toHaveLength(city.stations.length);
    expect(l.nodes.filter((n) => n.kind === 'compound')).toHaveLength(city.stations.reduce((a, s) => a + s.compounds.length, 0));
    expect(l.nodes.filter((n) => n.kind === 'network')).toHaveLength(city.primaryNetworks.length);
    expect(new Set(l.nodes.map((n) => n.id)).size).toBe(l.nodes.length);
    for (const n of l.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(1400);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(860);
    }
  });

  it('hangs compounds under their station in hydraulic order, the tail end lowest', () => {
    const l = layoutOverview(mini, 1000, 500);
    const dexuan = l.nodes.find((n) => n.id === 'station:dexuan');
    const col = l.nodes.filter((n) => n.stationId === 'dexuan');
    expect(col.map((n) => n.ref)).toEqual(['dexuan-xq', 'jianshe', 'changsheng', 'longhu-huating', 'donghu-yiyuan']);
    for (const n of col) expect(n.x).toBe(dexuan?.x);
    const ys = col.map((n) => n.y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    expect(col.filter((n) => n.tailEnd).map((n) => n.ref)).toEqual(['longhu-huating', 'donghu-yiyuan']);
    // the secondary pipe runs station → 1st → … → tail end
    expect(l.edges.filter((e) => e.kind === 'secondary' && e.source === 'station:dexuan').map((e) => e.target)).toEqual(['compound:dexuan-xq']);
  });

  it('strings the stations of a network along one trunk in trunk order', () => {
    const l = layoutOverview(mini, 1000, 500);
    const pn = mini.primaryNetworks[0];
    const trunk = l.edges.filter((e) => e.kind === 'trunk' && e.source.startsWith('network:' + (pn?.id ?? '')));
    expect(trunk.map((e) => e.target)).toEqual([`station:${pn?.stationIds[0]}`]);
    const xs = (pn?.stationIds ?? []).map((id) => l.nodes.find((n) => n.id === `station:${id}`)?.x ?? NaN);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});
