// Heating tickets by compound × day (Asia/Shanghai) as an echarts heat map: the compounds with
// the most tickets as rows (tail end marked ▼), days as columns; a click opens the compound.
// Pure counting lives in `ticketGrid` (tested); the chart only draws it.

import { COLOURS } from './palette';
import { echarts, initChart } from './echarts-setup';
import { date } from './format';
import { el } from './element';
import type { Ticket } from './ticket-types';

export interface GridRow {
  readonly compoundId: string;
  readonly name: string;
  readonly tailEnd: boolean;
  /** Tickets per day, same order as `days`. */
  readonly counts: readonly number[];
  readonly total: number;
}

export interface TicketGrid {
  /** Shanghai dates "2025-01-15", oldest first. */
  readonly days: readonly string[];
  readonly rows: readonly GridRow[];
  /** Heating tickets without a compound (waiting in the human queue or unresolved). */
  readonly unplaced: number;
}

const DAY_MS = 86_400_000;

export function ticketGrid(
  tickets: readonly Ticket[],
  from: number,
  days: number,
  compound: (id: string) => { name: string; tailEnd: boolean } | undefined,
  maxRows: number,
): TicketGrid {
  const dayKeys: string[] = [];
  for (let i = 0; i < days; i++) dayKeys.push(date(from + i * DAY_MS + DAY_MS / 2));
  const index = new Map(dayKeys.map((d, i) => [d, i]));
  const byCompound = new Map<string, number[]>();
  let unplaced = 0;
  for (const t of tickets) {
    const i = index.get(date(t.receivedAt));
    if (i === undefined) continue;
    const id = t.resolution.compoundId;
    if (id === undefined) {
      unplaced++;
      continue;
    }
    let row = byCompound.get(id);
    if (row === undefined) {
      row = new Array<number>(days).fill(0);
      byCompound.set(id, row);
    }
    row[i] = (row[i] ?? 0) + 1;
  }
  const rows = [...byCompound.entries()]
    .map(([id, counts]) => ({ compoundId: id, name: compound(id)?.name ?? id, tailEnd: compound(id)?.tailEnd ?? false, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
    .slice(0, maxRows);
  return { days: dayKeys, rows, unplaced };
}

export class TicketHeatmap {
  private readonly handle: ReturnType<typeof initChart>;

  constructor(
    box: HTMLElement,
    private grid: TicketGrid,
    private readonly labels: { tickets: string; tail: string },
    onPick: (compoundId: string) => void,
  ) {
    this.handle = initChart(box);
    this.handle.chart.on('click', (p) => {
      const v = p.value as [number, number, number] | undefined;
      const row = v === undefined ? undefined : this.grid.rows[this.grid.rows.length - 1 - v[1]];
      if (row) onPick(row.compoundId);
    });
    this.draw();
  }

  set(grid: TicketGrid): void {
    this.grid = grid;
    this.draw();
  }

  dispose(): void {
    this.handle.dispose();
  }

  private draw(): void {
    const g = this.grid;
    // Most tickets at the top: echarts draws category 0 at the bottom.
    const rows = [...g.rows].reverse();
    const data: [number, number, number][] = [];
    rows.forEach((r, y) => r.counts.forEach((n, x) => data.push([x, y, n])));
    const option: echarts.EChartsCoreOption = {
      animation: false,
      backgroundColor: 'transparent',
      textStyle: { color: COLOURS.text, fontFamily: 'inherit' },
      grid: { left: 150, right: 20, top: 10, bottom: 74 },
      tooltip: {
        backgroundColor: '#0d1726',
        borderColor: COLOURS.grid,
        textStyle: { color: COLOURS.text, fontSize: 14 },
        formatter: (p: { value?: unknown }) => {
          const v = p.value as [number, number, number];
          const r = rows[v[1]];
          return el('div', { class: 'chart-tip' }, [el('div', { class: 'tip-time', text: g.days[v[0]] ?? '' }), el('div', { text: `${r?.name ?? ''}${r?.tailEnd ? ` · ${this.labels.tail}` : ''}` }), el('b', { text: `${v[2]} ${this.labels.tickets}` })]);
        },
      },
      xAxis: { type: 'category', data: g.days.map((d) => d.slice(5)), axisLabel: { color: COLOURS.axis, fontSize: 13 }, splitArea: { show: false }, axisLine: { lineStyle: { color: COLOURS.grid } } },
      yAxis: {
        type: 'category',
        data: rows.map((r) => (r.tailEnd ? `▼ ${r.name}` : r.name)),
        axisLabel: { color: COLOURS.text, fontSize: 13, formatter: (v: string) => (v.startsWith('▼') ? `{tail|${v}}` : v), rich: { tail: { color: '#ff8f3c', fontWeight: 'bold', fontSize: 13 } } },
        axisLine: { lineStyle: { color: COLOURS.grid } },
      },
      // Counts are small whole numbers: discrete steps read better than a gradient.
      visualMap: {
        type: 'piecewise',
        orient: 'horizontal',
        left: 'center',
        bottom: 6,
        itemGap: 14,
        textStyle: { color: COLOURS.axis, fontSize: 13 },
        pieces: [
          { value: 1, label: '1', color: '#3e8ee8' },
          { value: 2, label: '2', color: '#ffc53d' },
          { min: 3, max: 4, label: '3–4', color: '#ff8f3c' },
          { min: 5, label: '≥ 5', color: '#ff4d6d' },
        ],
        outOfRange: { color: '#0f1a2a' },
      },
      series: [
        {
          type: 'heatmap',
          data: data.map((d) => (d[2] === 0 ? { value: d, itemStyle: { color: '#0f1a2a' } } : { value: d })),
          label: { show: true, color: '#0a111c', fontWeight: 'bold', fontSize: 12, formatter: (p: { value?: unknown }) => ((p.value as number[])[2] ? String((p.value as number[])[2]) : '') },
          itemStyle: { borderColor: '#0a111c', borderWidth: 2, borderRadius: 3 },
          emphasis: { itemStyle: { borderColor: '#ffffff' } },
        },
      ],
    };
    this.handle.chart.setOption(option, { notMerge: true });
  }
}
