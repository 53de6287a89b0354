// The backtest report as text tables (what `npm run backtest` prints): per rule, per fault
// class, and the prediction lead. Pure: a BacktestReport in, lines out.

import type { BacktestReport } from './backtest';

const HOUR = 3_600_000;

function pct(v: number | undefined): string {
  return v === undefined ? '—' : v.toFixed(2);
}

function dur(ms: number | undefined): string {
  if (ms === undefined) return '—';
  const sign = ms < 0 ? '−' : '';
  const m = Math.round(Math.abs(ms) / 60_000);
  return m < 120 ? `${sign}${m} min` : `${sign}${(m / 60).toFixed(1)} h`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function shanghai(t: number | undefined): string {
  if (t === undefined || !Number.isFinite(t)) return '—';
  return new Date(t + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
}

export function formatReport(r: BacktestReport, window: { from: number; to: number }): string[] {
  const out: string[] = [];
  out.push(`window ${shanghai(window.from)} → ${shanghai(window.to)} (Asia/Shanghai); readings replayed ${shanghai(r.from)} → ${shanghai(r.to)}`);
  out.push(`engine: ${r.stats.accepted} readings, ${r.stats.instants} instants, ${r.stats.evaluations} evaluations, late ${r.stats.late}, unknown ${r.stats.unknownEntity + r.stats.unknownField}`);
  const inWindow = r.alerts.filter((a) => a.openedAt >= window.from && a.openedAt < window.to);
  out.push(`alerts opened in the window: ${inWindow.length}; incidents: ${r.incidents.filter((i) => i.openedAt >= window.from && i.openedAt < window.to).length}`);
  out.push('');
  const score = r.score;
  if (score === undefined) {
    const counts = new Map<string, number>();
    for (const a of inWindow) counts.set(a.ruleId, (counts.get(a.ruleId) ?? 0) + 1);
    out.push(...table(['rule', 'alerts'], Object.keys(r.alertsPerRule).map((id) => [id, String(counts.get(id) ?? 0)])));
    return out;
  }
  out.push('per rule');
  out.push(...table(['rule', 'alerts', 'true', 'precision', 'median delay'], score.byRule.map((x) => [x.ruleId, String(x.alerts), x.truePositives === undefined ? '—' : String(x.truePositives), pct(x.precision), dur(x.medianDelayMs)])));
  out.push('');
  out.push('per fault class (scored: faults and episodes starting in the window)');
  out.push(
    ...table(
      ['class', 'faults', 'detected', 'recall', 'alerts', 'true', 'precision', 'median delay'],
      score.byClass.map((c) => [c.faultClass, String(c.faults), String(c.detected), pct(c.recall), String(c.alerts), String(c.truePositives), pct(c.precision), dur(c.medianDelayMs)]),
    ),
  );
  out.push('');
  const so = score.sensorOnly;
  out.push(`sensor faults alone: ${so.faults} sensor faults; non-sensor alerts only a sensor fault explains: ${so.alerts} (under-heating: ${so.underheatingAlerts})${so.ruleIds.length > 0 ? ` — ${so.ruleIds.join(', ')}` : ''}`);
  const p = score.prediction;
  out.push(`prediction: ${p.warned} of ${p.episodes} under-heating episodes warned before they began; ≥ 6 h ahead: ${pct(p.shareAtLeast6h)}; median lead ${dur(p.medianLeadMs)}`);
  const wd = p.weatherDriven;
  out.push(`  weather-driven episodes (no abrupt fault acting): ${wd.warned} of ${wd.episodes} warned; ≥ 6 h ahead: ${pct(wd.shareAtLeast6h)}; median lead ${dur(wd.medianLeadMs)}`);
  const cs = p.coldSnap;
  if (cs !== undefined) {
    out.push(`  cold-snap episodes (24-h mean ≥ 4 K below the week before): ${cs.warned} of ${cs.episodes} warned; ≥ 6 h ahead: ${pct(cs.shareAtLeast6h)}; median lead ${dur(cs.medianLeadMs)}`);
    for (const l of cs.leads) out.push(`    ${l.compoundId.padEnd(22)} crosses 18 °C ${shanghai(l.start)}  lead ${dur(l.leadMs)}`);
  }
  return out;
}
