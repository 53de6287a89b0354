// The compounds of a station side by side in hydraulic order (nearest → tail end): available
// differential pressure as bars (kPa, left axis), coldest indoor temperature as dots (°C, right
// axis, 18 °C line). Hydraulic imbalance (水力失调) reads as bars shrinking towards the tail end.

import { COLOURS } from './palette';
import { echarts, initChart } from './echarts-setup';
import { numberIn } from './format';
import { el } from './element';
import { tr } from './i18n';

export interface CompoundBar {
  readonly id: string;
  readonly name: string;
  readonly tailEnd: boolean;
  readonly dp?: number;
  readonly indoorMin?: number;
}

const TEXT = {
  zh: { dp: '资用压差', indoor: '最低室温', tail: '末端', min: '18 °C' },
  en: { dp: 'Diff. pressure', indoor: 'Coldest indoor', tail: 'tail end', min: '18 °C' },
} as const;

const TAIL = '#ff8f3c';

export class CompoundBars {
  private readonly handle: ReturnType<typeof initChart>;

  constructor(
    box: HTMLElement,
    bars: readonly CompoundBar[],
    private readonly onPick: (id: string) => void,
  ) {
    this.handle = initChart(box);
    this.handle.chart.on('click', (p) => {
      const id = bars[p.dataIndex]?.id;
      if (id !== undefined) this.onPick(id);
    });
    this.set(bars);
  }

  set(bars: readonly CompoundBar[]): void {
    this.handle.chart.setOption(option(bars), { notMerge: true });
  }

  dispose(): void {
    this.handle.dispose();
  }
}

function option(bars: readonly CompoundBar[]): echarts.EChartsCoreOption {
  const x = tr(TEXT);
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: COLOURS.text, fontFamily: 'inherit' },
    grid: { left: 52, right: 52, top: 40, bottom: 54 },
    legend: { top: 4, right: 8, textStyle: { color: COLOURS.text, fontSize: 14 }, data: [x.dp, x.indoor] },
    tooltip: {
      trigger: 'axis',
      backgroundColor: '#0d1726',
      borderColor: COLOURS.grid,
      textStyle: { color: COLOURS.text, fontSize: 14 },
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as { dataIndex: number }[];
        const b = bars[list[0]?.dataIndex ?? -1];
        if (b === undefined) return '';
        return el('div', { class: 'chart-tip' }, [
          el('div', { class: 'tip-time', text: b.tailEnd ? `${b.name} · ${x.tail}` : b.name }),
          el('div', { text: `${x.dp} ${b.dp === undefined ? '—' : numberIn('kPa', b.dp)} kPa` }),
          el('div', { text: `${x.indoor} ${b.indoorMin === undefined ? '—' : numberIn('°C', b.indoorMin)} °C` }),
        ]);
      },
    },
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.name),
      axisLabel: {
        color: COLOURS.axis,
        fontSize: 13,
        interval: 0,
        rotate: bars.length > 5 ? 25 : 0,
        // Tail-end compounds named in the tail colour.
        formatter: (v: string, i: number) => (bars[i]?.tailEnd ? `{tail|${v}}` : v),
        rich: { tail: { color: TAIL, fontWeight: 'bold', fontSize: 13 } },
      },
      axisLine: { lineStyle: { color: COLOURS.grid } },
    },
    yAxis: [
      { type: 'value', name: 'kPa', nameTextStyle: { color: COLOURS.axis, fontSize: 14 }, axisLabel: { color: COLOURS.axis, fontSize: 13 }, splitLine: { lineStyle: { color: COLOURS.grid } } },
      { type: 'value', name: '°C', scale: true, nameTextStyle: { color: COLOURS.axis, fontSize: 14 }, axisLabel: { color: COLOURS.axis, fontSize: 13 }, splitLine: { show: false } },
    ],
    series: [
      {
        name: x.dp,
        type: 'bar',
        barMaxWidth: 34,
        color: COLOURS.flowSecondary,
        data: bars.map((b) => ({ value: b.dp ?? null, itemStyle: { color: b.tailEnd ? TAIL : COLOURS.flowSecondary, opacity: b.tailEnd ? 0.95 : 0.75 } })),
        label: { show: true, position: 'top', color: COLOURS.text, fontSize: 13, formatter: (p: { value?: unknown }) => (typeof p.value === 'number' ? numberIn('kPa', p.value) : '') },
      },
      {
        name: x.indoor,
        type: 'line',
        yAxisIndex: 1,
        color: '#e6eef8',
        symbolSize: 11,
        lineStyle: { width: 1.5, type: 'dotted' },
        data: bars.map((b) => ({ value: b.indoorMin ?? null, itemStyle: { color: b.indoorMin === undefined ? '#8da2bd' : b.indoorMin < 16 ? '#ff4d6d' : b.indoorMin < 18 ? '#ffc53d' : '#3ddc84' } })),
        markLine: { silent: true, symbol: 'none', data: [{ yAxis: 18 }], lineStyle: { color: '#ffc53d', type: 'dashed' }, label: { formatter: x.min, color: '#ffc53d', fontSize: 12, position: 'insideStartTop' } },
      },
    ],
  };
}
