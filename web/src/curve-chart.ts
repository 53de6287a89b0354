// The weather-compensation check of a station: its curve (set-point over outdoor temperature, from
// the network model) as a line, and what the station actually delivered as a scatter of secondary
// supply over outdoor temperature; newer points are brighter, the newest one ringed. A station that
// does not follow its curve shows as a cloud away from the line.

import type { CurveDto } from '../../api/routes/overview-dto';
import { COLOURS } from './palette';
import { echarts, initChart } from './echarts-setup';
import { dateTime, numberIn } from './format';
import { el } from './element';
import { tr } from './i18n';

const TEXT = {
  zh: { curve: '补偿曲线', actual: '实际供水', outdoor: '室外温度', supply: '二次供水温度', at: '时间' },
  en: { curve: 'Compensation curve', actual: 'Actual supply', outdoor: 'Outdoor temp.', supply: 'Secondary supply temp.', at: 'Time' },
} as const;

export class CurveChart {
  private readonly handle: ReturnType<typeof initChart>;

  constructor(box: HTMLElement, data: CurveDto, compact = false) {
    this.handle = initChart(box);
    this.handle.chart.setOption(option(data, compact));
  }

  dispose(): void {
    this.handle.dispose();
  }
}

function option(d: CurveDto, compact: boolean): echarts.EChartsCoreOption {
  const x = tr(TEXT);
  const fs = compact ? 12 : 14;
  const newest = d.points.reduce<(typeof d.points)[number] | undefined>((a, p) => (a === undefined || p[2] > a[2] ? p : a), undefined);
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: COLOURS.text, fontFamily: 'inherit' },
    grid: { left: 58, right: 24, top: 40, bottom: 46 },
    legend: { top: 4, right: 8, textStyle: { color: COLOURS.text, fontSize: fs }, data: [x.curve, x.actual] },
    tooltip: {
      trigger: 'item',
      backgroundColor: '#0d1726',
      borderColor: COLOURS.grid,
      textStyle: { color: COLOURS.text, fontSize: fs },
      formatter: (p: { seriesId?: string; value?: unknown }) => {
        const v = p.value as readonly number[];
        const rows = [
          el('div', { text: `${x.outdoor} ${numberIn('°C', v[0] ?? NaN)} °C` }),
          el('div', { text: `${p.seriesId === 'curve' ? x.curve : x.supply} ${numberIn('°C', v[1] ?? NaN)} °C` }),
        ];
        if (v[2] !== undefined) rows.unshift(el('div', { class: 'tip-time', text: dateTime(v[2]) }));
        return el('div', { class: 'chart-tip' }, rows);
      },
    },
    visualMap: {
      show: false,
      seriesIndex: 1,
      dimension: 2,
      min: d.from,
      max: d.to,
      inRange: { opacity: [0.15, 0.9] },
    },
    xAxis: {
      type: 'value',
      name: `${x.outdoor} °C`,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: COLOURS.axis, fontSize: fs },
      scale: true,
      axisLabel: { color: COLOURS.axis, fontSize: fs },
      axisLine: { lineStyle: { color: COLOURS.grid } },
      splitLine: { lineStyle: { color: COLOURS.grid } },
    },
    yAxis: {
      type: 'value',
      name: '°C',
      nameTextStyle: { color: COLOURS.axis, fontSize: fs, align: 'right' },
      scale: true,
      axisLabel: { color: COLOURS.axis, fontSize: fs },
      splitLine: { lineStyle: { color: COLOURS.grid } },
    },
    series: [
      { id: 'curve', name: x.curve, type: 'line', data: d.line.map((p) => [p[0], p[1]]), symbol: 'none', color: COLOURS.setpoint, lineStyle: { width: 2.5, type: 'dashed' }, z: 3 },
      { id: 'actual', name: x.actual, type: 'scatter', data: d.points.map((p) => [p[0], p[1], p[2]]), symbolSize: compact ? 5 : 6, color: COLOURS.supply, large: d.points.length > 1500, z: 2 },
      {
        id: 'newest',
        name: x.actual,
        type: 'scatter',
        data: newest ? [[newest[0], newest[1], newest[2]]] : [],
        symbolSize: 16,
        itemStyle: { color: 'transparent', borderColor: '#ffffff', borderWidth: 2.5 },
        z: 4,
      },
    ],
  };
}
