// Scoring rules that the season backtest leans on: an alert is explained only by truth of its
// own kind (sensor vs physical), and an episode right after an abrupt fault is not weather-driven.
import { describe, expect, it } from 'vitest';
import type { Alert } from './alert';
import { DEFAULT_SCORE_OPTIONS, scoreAlerts } from './backtest-score';
import { loadBuiltinRules } from './rule-loader';
import type { Scope } from './scope';
import { HOUR, miniNetwork, MIN, T0 } from './test-fixtures';
import { parseTruth } from './truth';

const rules = loadBuiltinRules();
const net = miniNetwork();

function alert(ruleId: string, kind: Scope, id: string, openedAt: number): Alert {
  const rule = rules.find((r) => r.id === ruleId);
  if (rule === undefined) throw new Error(`no rule ${ruleId}`);
  return {
    id: `${ruleId}@${kind}/${id}@${openedAt}`,
    version: 1,
    ruleId,
    ruleName: rule.name,
    category: rule.category,
    role: 'independent',
    entity: { kind, id, name: id },
    route: {},
    state: 'open',
    active: true,
    severity: 'low',
    peakSeverity: 'low',
    openedAt,
    lastSeenAt: openedAt,
    count: 1,
    value: null,
    evidence: { from: openedAt, to: openedAt, items: [], show: [] },
    history: [],
    historyDropped: 0,
  };
}

const byClass = (s: ReturnType<typeof scoreAlerts>, cls: string) => s.byClass.find((c) => c.faultClass === cls);

describe('backtest scoring: who explains an alert', () => {
  const truth = parseTruth({
    faults: [
      { id: 'clog', type: 'strainer-clogged', entity: 'longhu-huating', start: T0, end: T0 + 10 * HOUR },
      { id: 'frozen', type: 'sensor-flatline', entity: 'xingfu', start: T0, end: T0 + 10 * HOUR },
      { id: 'gone', type: 'sensor-dropout', entity: 'xiyu-huayuan', start: T0, end: T0 + 10 * HOUR },
    ],
  });

  it('a flat-line alert on a compound whose strainer is clogged is a false alarm: a clog freezes no gauge', () => {
    const s = scoreAlerts([alert('sensor-flatline', 'station', 'xingfu', T0 + 45 * MIN), alert('sensor-flatline', 'compound', 'longhu-huating', T0 + 2 * HOUR)], truth, rules, net);
    expect(byClass(s, 'sensor-flatline')).toMatchObject({ faults: 1, detected: 1, alerts: 2, truePositives: 1, precision: 0.5 });
    expect(s.byRule.find((r) => r.ruleId === 'sensor-flatline')).toMatchObject({ alerts: 2, truePositives: 1 });
  });

  it('an under-heating alert that only a sensor fault could explain is counted apart and as a false alarm', () => {
    const s = scoreAlerts([alert('underheat-estimated', 'compound', 'xiyu-huayuan', T0 + HOUR), alert('flow-starved', 'compound', 'longhu-huating', T0 + HOUR)], truth, rules, net);
    expect(s.sensorOnly).toEqual({ faults: 2, alerts: 1, underheatingAlerts: 1, ruleIds: ['underheat-estimated'] });
    // underheat-estimated also claims strainer-clogged: its unexplained alert counts against it.
    expect(byClass(s, 'strainer-clogged')).toMatchObject({ detected: 1, alerts: 2, truePositives: 1, precision: 0.5 });
    // No episode is in the truth, so the class is not scored; the rule's own precision shows the miss.
    expect(s.byRule.find((r) => r.ruleId === 'underheat-estimated')).toMatchObject({ alerts: 1, truePositives: 0, precision: 0 });
  });
});

describe('backtest scoring: weather-driven episodes', () => {
  it('an episode beginning just after a pump trip ended is its aftermath, not the weather', () => {
    const trip = { id: 'trip', type: 'pump-trip', entity: 'dexuan', start: T0, end: T0 + 3 * HOUR };
    const truth = parseTruth({
      faults: [trip],
      episodes: [
        { compoundId: 'longhu-huating', start: T0 + 3 * HOUR + 10 * MIN, end: T0 + 7 * HOUR, cause: 'cold-weather' },
        { compoundId: 'donghu-yiyuan', start: T0 + 10 * HOUR, end: T0 + 12 * HOUR, cause: 'cold-weather' },
      ],
    });
    const s = scoreAlerts([], truth, rules, net, DEFAULT_SCORE_OPTIONS);
    expect(s.prediction.episodes).toBe(2);
    expect(s.prediction.weatherDriven.leads.map((l) => l.compoundId)).toEqual(['donghu-yiyuan']);
  });
});
