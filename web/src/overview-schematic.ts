// The overview schematic: plant → 6 primary networks → stations → compounds (echarts graph with
// fixed positions from overview-layout.ts). Every station and compound is filled with the colour
// of its worst open alert (calm = dark green); tail-end compounds are diamonds. Click a station or
// compound to open its page, a network to see its alerts.

import type { NetworkDto, StationSummaryDto } from '../../api/dto';
import type { OverviewDto } from '../../api/routes/overview-dto';
import type { Severity } from './alert-types';
import { COLOURS } from './palette';
import { echarts, initChart } from './echarts-setup';
import { numberIn } from './format';
import { el } from './element';
import { localName, tr } from './i18n';
import { layoutOverview, type Layout, type LayoutNode } from './overview-layout';
import { severityColour, severityLabel } from './severity-style';

const TEXT = {
  zh: { tail: '末端', noAlert: '无告警', supply: '二次供/回水', flow: '二次流量', indoor: '最低室温', households: '户', pump: '循环泵', stop: '停止', fault: '故障', run: '运行', noData: '暂无数据' },
  en: { tail: 'tail end', noAlert: 'no alert', supply: 'Secondary supply/return', flow: 'Secondary flow', indoor: 'Coldest indoor', households: 'households', pump: 'Pump', stop: 'stopped', fault: 'fault', run: 'running', noData: 'no data yet' },
} as const;

const CALM_STATION = '#17402f';
const CALM_COMPOUND = '#2a7a59';
const TRUNK = '#ffa048';
const SECONDARY = '#3b5878';

export interface SchematicState {
  overview(): OverviewDto | undefined;
  stationSeverity(id: string): Severity | undefined;
  compoundSeverity(id: string): Severity | undefined;
}

export type SchematicPick = { kind: 'station' | 'compound' | 'network'; id: string };

/** Station names without the 换热站 suffix: four characters fit a column on a big screen. */
function shortName(s: StationSummaryDto, zh: boolean): string {
  return zh ? s.name.replace(/换热站$/, '') : (s.nameEn ?? s.name).replace(/ station$/i, '');
}

export class OverviewSchematic {
  private readonly handle: ReturnType<typeof initChart>;
  private layout: Layout | undefined;
  private drawnW = 0;
  private drawnH = 0;
  private readonly stations: Map<string, StationSummaryDto>;
  private readonly compounds = new Map<string, { name: string; nameEn?: string; households: number; tailEnd: boolean }>();

  constructor(
    private readonly box: HTMLElement,
    private readonly network: NetworkDto,
    private readonly state: SchematicState,
    onPick: (p: SchematicPick) => void,
  ) {
    this.stations = new Map(network.stations.map((s) => [s.id, s]));
    for (const s of network.stations) for (const c of s.compounds) this.compounds.set(c.id, c);
    this.handle = initChart(box);
    this.handle.chart.on('click', (p) => {
      const d = p.data as { kind?: string; ref?: string } | undefined;
      if (d?.ref !== undefined && (d.kind === 'station' || d.kind === 'compound' || d.kind === 'network')) onPick({ kind: d.kind, id: d.ref });
    });
    // Positions are pixels of the box: lay out again when it changes size (the observer also
    // reports the size it starts with: drawing the same layout twice costs the first view ~0.2 s).
    const ro = new ResizeObserver(() => {
      if (this.box.clientWidth !== this.drawnW || this.box.clientHeight !== this.drawnH) this.draw();
    });
    ro.observe(box);
    this.disconnect = () => ro.disconnect();
    this.draw();
  }

  private readonly disconnect: () => void;

  /** Colours and tooltips from the current state (alerts changed, new latest values). */
  refresh(): void {
    if (this.layout === undefined) return this.draw();
    this.handle.chart.setOption({ series: [{ id: 'net', data: [...this.nodes(this.layout), ...anchors(this.box.clientWidth - 16, this.box.clientHeight - 16)] }] });
  }

  dispose(): void {
    this.disconnect();
    this.handle.dispose();
  }

  private draw(): void {
    const w = this.box.clientWidth;
    const h = this.box.clientHeight;
    if (w < 50 || h < 50) return;
    this.drawnW = w;
    this.drawnH = h;
    const pad = 8;
    this.layout = layoutOverview(this.network, w - 2 * pad, h - 2 * pad);
    this.handle.chart.setOption(this.option(this.layout, pad), { notMerge: true });
  }

  private nodes(l: Layout): Record<string, unknown>[] {
    const zh = tr(TEXT) === TEXT.zh;
    const boxW = Math.max(34, Math.min(92, l.colW - 6));
    const boxH = Math.max(18, Math.min(26, l.rowH * 0.2));
    const dot = Math.max(5, Math.min(12, l.compoundDy * 0.85));
    return l.nodes.map((n) => {
      const base = { id: n.id, name: n.id, x: n.x, y: n.y, kind: n.kind, ref: n.ref };
      switch (n.kind) {
        case 'plant': {
          const p = this.network.plants.find((x) => x.id === n.ref);
          return {
            ...base,
            symbol: 'roundRect',
            symbolSize: [46, 46],
            itemStyle: { color: '#3a1f14', borderColor: TRUNK, borderWidth: 2 },
            label: { show: true, position: 'bottom', formatter: p ? localName(p) : n.ref, color: COLOURS.text, fontSize: 14, fontWeight: 'bold', width: 80, overflow: 'break' },
          };
        }
        case 'network': {
          const net = this.network.primaryNetworks.find((x) => x.id === n.ref);
          return {
            ...base,
            symbol: 'circle',
            symbolSize: 12,
            itemStyle: { color: TRUNK },
            label: { show: true, position: 'left', formatter: net ? localName(net) : n.ref, color: COLOURS.text, fontSize: 15, fontWeight: 'bold' },
          };
        }
        case 'station': {
          const sev = this.state.stationSeverity(n.ref);
          const s = this.stations.get(n.ref);
          return {
            ...base,
            symbol: 'roundRect',
            symbolSize: [boxW, boxH],
            itemStyle: sev ? { color: severityColour(sev), borderColor: '#0a111c', borderWidth: 1 } : { color: CALM_STATION, borderColor: '#3ddc84', borderWidth: 1 },
            label: { show: true, position: 'inside', formatter: s ? shortName(s, zh) : n.ref, color: sev ? '#0a111c' : COLOURS.text, fontSize: boxW < 56 ? 12 : 14, fontWeight: 'bold', overflow: 'truncate', width: boxW - 4 },
            severity: sev,
          };
        }
        case 'compound': {
          const sev = this.state.compoundSeverity(n.ref);
          return {
            ...base,
            symbol: n.tailEnd ? 'diamond' : 'circle',
            symbolSize: n.tailEnd ? dot + 5 : dot,
            itemStyle: { color: sev ? severityColour(sev) : CALM_COMPOUND, borderColor: n.tailEnd ? '#ffffff' : 'transparent', borderWidth: n.tailEnd ? 1.5 : 0 },
            label: { show: false },
            severity: sev,
          };
        }
        default: {
          const never: never = n.kind;
          throw new Error(`unknown node kind ${String(never)}`);
        }
      }
    });
  }

  private option(l: Layout, pad: number): echarts.EChartsCoreOption {
    const w = this.box.clientWidth;
    const h = this.box.clientHeight;
    return {
      animation: false,
      backgroundColor: 'transparent',
      tooltip: {
        trigger: 'item',
        backgroundColor: '#0d1726',
        borderColor: COLOURS.grid,
        textStyle: { color: COLOURS.text, fontSize: 15 },
        formatter: (p: { dataType?: string; data?: unknown }) => (p.dataType === 'node' ? this.tip(p.data as LayoutNode & { severity?: Severity }) : ''),
      },
      series: [
        {
          id: 'net',
          type: 'graph',
          layout: 'none',
          coordinateSystem: null,
          // Pixel positions: the graph's box is the chart's box, without rescaling.
          left: pad,
          top: pad,
          width: w - 2 * pad,
          height: h - 2 * pad,
          roam: false,
          silent: false,
          emphasis: { scale: 1.25, focus: 'none' },
          edgeSymbol: ['none', 'none'],
          data: [...this.nodes(l), ...anchors(w - 2 * pad, h - 2 * pad)],
          links: l.edges.map((e) => ({
            source: e.source,
            target: e.target,
            lineStyle:
              e.kind === 'secondary'
                ? { color: SECONDARY, width: 1.5, opacity: 0.9 }
                : e.kind === 'trunk'
                  ? { color: TRUNK, width: 2.5, opacity: 0.55 }
                  : { color: TRUNK, width: 2, opacity: 0.45, curveness: 0.15 },
          })),
          z: 2,
        },
      ],
    };
  }

  private tip(n: LayoutNode & { severity?: Severity }): HTMLElement | string {
    const x = tr(TEXT);
    const ov = this.state.overview();
    const sev = n.severity;
    const sevRow = el('div', { class: 'tip-sev' }, [el('span', { class: 'tip-dot' }), el('span', { text: sev ? severityLabel(sev) : x.noAlert })]);
    (sevRow.firstChild as HTMLElement).style.background = severityColour(sev);
    if (n.kind === 'station') {
      const s = this.stations.get(n.ref);
      const g = ov?.stations[n.ref];
      const pump = g?.pump_state === 'stop' ? x.stop : g?.pump_state === 'fault' ? x.fault : g?.pump_state === 'run' ? x.run : '—';
      return el('div', { class: 'chart-tip' }, [
        el('div', { class: 'tip-title', text: s ? localName(s) : n.ref }),
        sevRow,
        g?.t2_supply !== undefined ? el('div', { text: `${x.supply} ${numberIn('°C', g.t2_supply)} / ${g.t2_return === undefined ? '—' : numberIn('°C', g.t2_return)} °C` }) : el('div', { text: x.noData }),
        g?.flow2 !== undefined ? el('div', { text: `${x.flow} ${numberIn('m³/h', g.flow2)} m³/h` }) : null,
        el('div', { text: `${x.pump} ${pump}` }),
      ]);
    }
    if (n.kind === 'compound') {
      const c = this.compounds.get(n.ref);
      const g = ov?.compounds[n.ref];
      return el('div', { class: 'chart-tip' }, [
        el('div', { class: 'tip-title', text: `${c ? localName(c) : n.ref}${n.tailEnd ? ` · ${x.tail}` : ''}` }),
        sevRow,
        el('div', { text: `${x.indoor} ${g?.indoorMin === undefined ? '—' : `${numberIn('°C', g.indoorMin)} °C`}` }),
        c ? el('div', { text: `${c.households} ${x.households}` }) : null,
      ]);
    }
    return '';
  }
}

/**
 * Two invisible nodes at the box's corners: echarts fits the nodes' bounding box into the series
 * box, so with these the layout's pixels stay pixels.
 */
function anchors(w: number, h: number): Record<string, unknown>[] {
  const hidden = { symbolSize: 0, itemStyle: { opacity: 0 }, label: { show: false }, tooltip: { show: false }, silent: true };
  return [
    { id: 'anchor:0', name: 'anchor:0', x: 0, y: 0, ...hidden },
    { id: 'anchor:1', name: 'anchor:1', x: w, y: h, ...hidden },
  ];
}
