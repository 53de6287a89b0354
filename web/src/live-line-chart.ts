// One echarts line chart of a few fields sharing a unit, fed with history and then live points.
// Points are kept sorted, pruned to the time window, and redrawn at most once per frame.

import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { COLOURS } from './palette';
import { dateTime, hourMinute, numberIn } from './format';
import { el } from './element';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface LineSpec {
  readonly field: string;
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
}

import { insertPoint, pruneWindow, type Point } from './sorted-points';

export class LiveLineChart {
  private readonly chart: echarts.ECharts;
  private readonly resize: ResizeObserver;
  private frame = 0;

  constructor(
    container: HTMLElement,
    private readonly unit: string,
    private readonly lines: readonly LineSpec[],
    /** Shared with the view's state, so a re-render after a language switch keeps the data. */
    private readonly data: Map<string, Point[]>,
    private readonly windowMs: number,
  ) {
    this.chart = echarts.init(container, undefined, { renderer: 'canvas' });
    this.chart.setOption(this.option());
    this.resize = new ResizeObserver(() => this.chart.resize());
    this.resize.observe(container);
  }

  append(field: string, time: number, value: number): void {
    const pts = this.data.get(field);
    if (pts === undefined) return;
    insertPoint(pts, [time, value]);
    pruneWindow(pts, this.windowMs);
    this.schedule();
  }

  has(field: string): boolean {
    return this.lines.some((l) => l.field === field);
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.chart.dispose();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.chart.setOption({ series: this.lines.map((l) => ({ id: l.field, data: this.data.get(l.field) ?? [] })) });
    });
  }

  private option(): Option {
    const unit = this.unit;
    return {
      animation: false,
      // Ticks aligned in UTC, labels formatted in Asia/Shanghai: whole hours there (UTC+8, no DST)
      // whatever zone the browser is set to.
      useUTC: true,
      backgroundColor: 'transparent',
      textStyle: { color: COLOURS.text, fontFamily: 'inherit' },
      grid: { left: 64, right: 78, top: 40, bottom: 34 },
      legend: { top: 4, right: 8, itemWidth: 22, itemHeight: 10, textStyle: { color: COLOURS.text, fontSize: 15 } },
      tooltip: {
        trigger: 'axis',
        backgroundColor: '#0d1726',
        borderColor: COLOURS.grid,
        textStyle: { color: COLOURS.text, fontSize: 15 },
        formatter: (params) => {
          // DOM built with textContent: nothing here is parsed as HTML.
          const list = Array.isArray(params) ? params : [params];
          const first = list[0];
          const head = first === undefined ? '' : dateTime((first.value as Point)[0]);
          return el('div', { class: 'chart-tip' }, [
            el('div', { class: 'tip-time', text: head }),
            ...list.map((p) => {
              const dot = el('span', { class: 'tip-dot' });
              dot.style.background = String(p.color);
              return el('div', { class: 'tip-row' }, [dot, el('span', { text: `${p.seriesName ?? ''}  ` }), el('b', { text: `${numberIn(unit, (p.value as Point)[1])} ${unit}` })]);
            }),
          ]);
        },
      },
      xAxis: {
        type: 'time',
        axisLine: { lineStyle: { color: COLOURS.grid } },
        axisLabel: { color: COLOURS.axis, fontSize: 14, formatter: (v: number) => hourMinute(v), hideOverlap: true },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: unit,
        nameTextStyle: { color: COLOURS.axis, fontSize: 14, align: 'right' },
        scale: true,
        axisLabel: { color: COLOURS.axis, fontSize: 14 },
        splitLine: { lineStyle: { color: COLOURS.grid } },
      },
      series: this.lines.map(
        (l): LineSeriesOption => ({
          id: l.field,
          name: l.label,
          type: 'line',
          showSymbol: false,
          sampling: 'lttb',
          color: l.color,
          lineStyle: { width: l.dashed ? 1.5 : 2.5, type: l.dashed ? 'dashed' : 'solid' },
          endLabel: {
            show: !l.dashed,
            color: l.color,
            fontSize: 16,
            fontWeight: 'bold',
            formatter: (p) => numberIn(unit, ((p.value as Point | undefined) ?? [0, NaN])[1]),
          },
          data: this.data.get(l.field) ?? [],
        }),
      ),
    };
  }
}
