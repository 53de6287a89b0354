// Where each node of the overview schematic goes: the plant at the left, one row per primary
// network, its stations along the row in trunk order (nearest the plant first), and under each
// station its compounds in hydraulic order, so the tail end (末端) is always at the bottom of the
// column. Pure (pixels in, positions out), so it is tested without a browser.

import type { NetworkDto } from '../../api/dto';

export type NodeKind = 'plant' | 'network' | 'station' | 'compound';

export interface LayoutNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly x: number;
  readonly y: number;
  /** The entity's id in the network model (node ids are prefixed by kind). */
  readonly ref: string;
  readonly tailEnd?: boolean;
  readonly stationId?: string;
}

export interface LayoutEdge {
  readonly source: string;
  readonly target: string;
  readonly kind: 'feed' | 'trunk' | 'secondary';
}

export interface Layout {
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
  /** Width of one station column and height of one network row, px. */
  readonly colW: number;
  readonly rowH: number;
  /** Vertical step between compounds of a column, px. */
  readonly compoundDy: number;
}

export const LABEL_W = 170;
const PLANT_X = 40;
/** Room above the first row for the station boxes, and to the right of the last column. */
const TOP = 16;
const RIGHT = 50;

export function layoutOverview(net: Pick<NetworkDto, 'plants' | 'primaryNetworks' | 'stations'>, width: number, height: number): Layout {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const byId = new Map(net.stations.map((s) => [s.id, s]));
  const rows = net.primaryNetworks;
  const rowH = (height - TOP) / Math.max(1, rows.length);
  const maxStations = Math.max(1, ...rows.map((r) => r.stationIds.length));
  const x0 = LABEL_W + 40;
  const colW = (width - x0 - RIGHT) / maxStations;
  const maxCompounds = Math.max(1, ...net.stations.map((s) => s.compounds.length));
  // The station box takes the top of the row; compounds share what is left.
  const stationDy = Math.min(14, rowH * 0.1);
  const compoundDy = Math.max(6, Math.min(18, (rowH - stationDy - 30) / maxCompounds));

  // The plant level with the trunks of the middle rows, so its name falls between two row labels.
  const plantY = TOP + stationDy + ((rows.length - 1) / 2) * rowH;
  for (const p of net.plants) nodes.push({ id: `plant:${p.id}`, kind: 'plant', x: PLANT_X, y: plantY, ref: p.id });
  rows.forEach((n, i) => {
    const top = TOP + i * rowH;
    const yStation = top + stationDy;
    nodes.push({ id: `network:${n.id}`, kind: 'network', x: LABEL_W, y: yStation, ref: n.id });
    edges.push({ source: `plant:${n.plantId}`, target: `network:${n.id}`, kind: 'feed' });
    let prev = `network:${n.id}`;
    n.stationIds.forEach((sid, j) => {
      const s = byId.get(sid);
      if (s === undefined) return;
      const x = x0 + (j + 0.5) * colW + RIGHT / 2;
      const id = `station:${s.id}`;
      nodes.push({ id, kind: 'station', x, y: yStation, ref: s.id });
      edges.push({ source: prev, target: id, kind: 'trunk' });
      prev = id;
      let up = id;
      s.compounds.forEach((c, k) => {
        const cid = `compound:${c.id}`;
        nodes.push({ id: cid, kind: 'compound', x, y: yStation + 24 + (k + 0.5) * compoundDy, ref: c.id, tailEnd: c.tailEnd, stationId: s.id });
        edges.push({ source: up, target: cid, kind: 'secondary' });
        up = cid;
      });
    });
  });
  return { nodes, edges, colW, rowH, compoundDy };
}
