// The echarts parts the dashboard uses, registered once (tree-shaken: only these are bundled).

import { BarChart, GraphChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  ScatterChart,
  BarChart,
  GraphChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  MarkPointComponent,
  MarkAreaComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };

/** A chart that follows its box's size and can be disposed with the page. */
export function initChart(box: HTMLElement): { chart: echarts.ECharts; dispose(): void } {
  const chart = echarts.init(box, undefined, { renderer: 'canvas' });
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(box);
  return {
    chart,
    dispose() {
      ro.disconnect();
      chart.dispose();
    },
  };
}
