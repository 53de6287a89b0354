// One echarts chart over time for fields that share a unit: lines (bucket means or raw points),
// an optional min–max band per line for downsampled data, reference lines (18 °C), shaded spans
// (pump stopped) and event markers (tickets, visits, alerts) on the same time axis. Charts of one
// page share a `group`, so their axis pointers move together.
// Times are shifted to the network's wall clock inside the chart (useUTC), so that ticks fall on
// local hours and midnights in any browser zone; everything outside speaks epoch ms.

import { COLOURS } from './palette';
import { echarts, initChart } from './echarts-setup';
import { dateTime, hourMinute, monthDay, numberIn, zoneOffsetMs } from './format';
import { el } from './element';
import { insertPoint, pruneWindow, type Point } from './sorted-points';

/** [time, min, max] of one bucket. */
export type Band = [number, number, number];

export interface TimeLine {
  /** Key into the data maps (field, or field.sensor). */
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** Draw as steps (set-points, states). */
  readonly step?: boolean;
}

export interface TimeMark {
  readonly time: number;
  /** Short text on the marker ("工单"). */
  readonly label: string;
  readonly color: string;
}

export interface TimeSpan {
  readonly from: number;
  readonly to: number;
  readonly color: string;
  readonly label?: string;
}

export interface RefLine {
  readonly value: number;
  readonly label: string;
  readonly color: string;
}

export interface TimeChartOptions {
  readonly unit: string;
  readonly lines: readonly TimeLine[];
  /** Shared with the page's state, so a re-render keeps the points. */
  readonly points: Map<string, Point[]>;
  readonly bands?: Map<string, Band[]>;
  readonly from: number;
  readonly to: number;
  /** Live mode: keep this much history before the newest point. */
  readonly windowMs?: number;
  readonly refLines?: readonly RefLine[];
  readonly group?: string;
  /** Smaller text for phones and side panels. */
  readonly compact?: boolean;
  readonly yMin?: number;
  readonly yMax?: number;
}

export class TimeChart {
  private readonly handle: ReturnType<typeof initChart>;
  private readonly shift: number;
  private frame = 0;
  private from: number;
  private to: number;
  private marks: readonly TimeMark[] = [];
  private spans: readonly TimeSpan[] = [];

  constructor(
    box: HTMLElement,
    private readonly o: TimeChartOptions,
  ) {
    this.from = o.from;
    this.to = o.to;
    this.shift = zoneOffsetMs(o.to);
    this.handle = initChart(box);
    if (o.group !== undefined) {
      this.handle.chart.group = o.group;
      echarts.connect(o.group);
    }
    this.handle.chart.setOption(this.option());
  }

  has(key: string): boolean {
    return this.o.lines.some((l) => l.key === key);
  }

  /** A live reading: inserted in time order; the window slides when the chart is live. */
  append(key: string, time: number, value: number): void {
    const pts = this.o.points.get(key);
    if (pts === undefined) return;
    insertPoint(pts, [time, value]);
    if (this.o.windowMs !== undefined) {
      pruneWindow(pts, this.o.windowMs);
      if (time > this.to) {
        this.to = time;
        this.from = time - this.o.windowMs;
      }
    }
    this.schedule();
  }

  setEvents(marks: readonly TimeMark[], spans: readonly TimeSpan[] = this.spans): void {
    this.marks = marks;
    this.spans = spans;
    this.schedule();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.handle.dispose();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.handle.chart.setOption(this.dynamic());
    });
  }

  private shifted(pts: readonly Point[] | undefined): [number, number][] {
    const s = this.shift;
    return (pts ?? []).map((p) => [p[0] + s, p[1]]);
  }

  /** What changes with data: axis range and series data (merged into the option by id). */
  private dynamic(): echarts.EChartsCoreOption {
    const s = this.shift;
    const series: Record<string, unknown>[] = [];
    this.o.lines.forEach((l, i) => {
      const band = this.o.bands?.get(l.key) ?? [];
      series.push({ id: `band-lo:${l.key}`, data: band.map((b) => [b[0] + s, b[1]]) });
      series.push({ id: `band-hi:${l.key}`, data: band.map((b) => [b[0] + s, b[2] - b[1]]) });
      series.push({ id: l.key, data: this.shifted(this.o.points.get(l.key)), ...(i === 0 ? this.decorations() : {}) });
    });
    return { xAxis: { min: this.from + s, max: this.to + s }, series };
  }

  /** Reference lines, event markers and spans ride on the first line series. */
  private decorations(): Record<string, unknown> {
    const s = this.shift;
    const fontSize = this.o.compact ? 12 : 14;
    return {
      markLine: {
        silent: false,
        symbol: ['none', 'none'],
        animation: false,
        data: [
          ...(this.o.refLines ?? []).map((r) => ({
            yAxis: r.value,
            lineStyle: { color: r.color, type: 'dashed', width: 1.5 },
            label: { formatter: r.label, color: r.color, position: 'insideEndTop', fontSize },
          })),
          ...this.marks.map((m) => ({
            xAxis: m.time + s,
            lineStyle: { color: m.color, type: 'solid', width: 2, opacity: 0.9 },
            label: { formatter: m.label, color: '#0a111c', backgroundColor: m.color, padding: [2, 5], borderRadius: 3, position: 'end', fontSize: fontSize - 1, fontWeight: 'bold' },
          })),
        ],
      },
      markArea: {
        silent: true,
        data: this.spans.map((sp) => [
          { xAxis: sp.from + s, itemStyle: { color: sp.color, opacity: 0.22 }, label: { show: sp.label !== undefined, formatter: sp.label ?? '', color: sp.color, position: 'insideTop', fontSize } },
          { xAxis: sp.to + s },
        ]),
      },
    };
  }

  private option(): echarts.EChartsCoreOption {
    const unit = this.o.unit;
    const s = this.shift;
    const compact = this.o.compact ?? false;
    const fs = compact ? 12 : 14;
    const series: Record<string, unknown>[] = [];
    for (const l of this.o.lines) {
      const stack = `band:${l.key}`;
      const common = { type: 'line', stack, symbol: 'none', silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false }, animation: false };
      series.push({ ...common, id: `band-lo:${l.key}`, name: `band-lo:${l.key}` });
      series.push({ ...common, id: `band-hi:${l.key}`, name: `band-hi:${l.key}`, areaStyle: { color: l.color, opacity: 0.16 } });
      series.push({
        id: l.key,
        name: l.label,
        type: 'line',
        showSymbol: false,
        sampling: 'lttb',
        color: l.color,
        step: l.step ? 'end' : false,
        lineStyle: { width: l.dashed ? 1.5 : 2.5, type: l.dashed ? 'dashed' : 'solid' },
        endLabel: {
          show: !l.dashed && !compact,
          color: l.color,
          fontSize: 15,
          fontWeight: 'bold',
          formatter: (p: { value?: unknown }) => {
            const v = p.value as Point | undefined;
            return v === undefined ? '' : numberIn(unit, v[1]);
          },
        },
      });
    }
    const bandOf = (key: string, time: number): Band | undefined => this.o.bands?.get(key)?.find((b) => b[0] === time);
    return {
      animation: false,
      useUTC: true,
      backgroundColor: 'transparent',
      textStyle: { color: COLOURS.text, fontFamily: 'inherit' },
      grid: { left: compact ? 44 : 58, right: compact ? 16 : 70, top: compact ? 34 : 40, bottom: 28 },
      legend: {
        top: 4,
        right: 8,
        itemWidth: 20,
        itemHeight: 10,
        textStyle: { color: COLOURS.text, fontSize: fs },
        data: this.o.lines.map((l) => l.label),
      },
      tooltip: {
        trigger: 'axis',
        backgroundColor: '#0d1726',
        borderColor: COLOURS.grid,
        textStyle: { color: COLOURS.text, fontSize: fs },
        formatter: (params: unknown) => {
          // DOM built with textContent: nothing here is parsed as HTML.
          const list = (Array.isArray(params) ? params : [params]) as { seriesId?: string; seriesName?: string; color?: unknown; value?: unknown }[];
          const rows = list.filter((p) => !(p.seriesId ?? '').startsWith('band-'));
          const first = rows[0]?.value as Point | undefined;
          return el('div', { class: 'chart-tip' }, [
            el('div', { class: 'tip-time', text: first === undefined ? '' : dateTime(first[0] - s) }),
            ...rows.map((p) => {
              const v = p.value as Point;
              const dot = el('span', { class: 'tip-dot' });
              dot.style.background = String(p.color);
              const b = bandOf(p.seriesId ?? '', v[0] - s);
              const range = b === undefined ? '' : `  (${numberIn(unit, b[1])}–${numberIn(unit, b[2])})`;
              return el('div', { class: 'tip-row' }, [dot, el('span', { text: `${p.seriesName ?? ''}  ` }), el('b', { text: `${numberIn(unit, v[1])} ${unit}` }), el('span', { class: 'tip-range', text: range })]);
            }),
          ]);
        },
      },
      xAxis: {
        type: 'time',
        min: this.from + s,
        max: this.to + s,
        axisLine: { lineStyle: { color: COLOURS.grid } },
        axisLabel: {
          color: COLOURS.axis,
          fontSize: fs,
          hideOverlap: true,
          // Shifted time: a multiple of a day is local midnight.
          formatter: (v: number) => (v % 86_400_000 === 0 ? monthDay(v - s) : hourMinute(v - s)),
        },
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: unit,
        nameTextStyle: { color: COLOURS.axis, fontSize: fs, align: 'right' },
        scale: true,
        ...(this.o.yMin !== undefined ? { min: this.o.yMin } : {}),
        ...(this.o.yMax !== undefined ? { max: this.o.yMax } : {}),
        axisLabel: { color: COLOURS.axis, fontSize: fs },
        splitLine: { lineStyle: { color: COLOURS.grid } },
      },
      series: mergeData(series, this.dynamic().series as Record<string, unknown>[]),
    };
  }
}

function mergeData(base: Record<string, unknown>[], dyn: Record<string, unknown>[]): Record<string, unknown>[] {
  const byId = new Map(dyn.map((d) => [d.id, d]));
  return base.map((b) => ({ ...b, ...(byId.get(b.id) ?? {}) }));
}
