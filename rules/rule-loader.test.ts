import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import { loadBuiltinRules, loadRuleDir, parseRules } from './rule-loader';

const base = { name: { zh: '测试', en: 'test' }, doc: 'a rule written for a unit test', category: 'equipment', severity: 'high' };
const ok = { ...base, id: 'ok', scope: 'station', when: { signal: 'flow2', op: 'lt', value: 10 } };

function errorOf(raw: unknown): HeatError {
  try {
    parseRules(raw, 'test.yaml');
  } catch (e) {
    if (e instanceof HeatError) return e;
    throw e;
  }
  throw new Error('expected a HeatError');
}

describe('rule validation', () => {
  it('accepts a minimal rule and fills defaults', () => {
    const [r] = parseRules(ok, 'test.yaml');
    expect(r?.type).toBe('condition');
    expect(r?.for).toBe(0);
    expect(r?.enabled).toBe(true);
  });

  it.each([
    ['unknown signal', { ...ok, id: 'r1', when: { signal: 'flw2', op: 'lt', value: 1 } }, /rule r1: field when\.signal: unknown signal flw2 for station/],
    ['unknown operator', { ...ok, id: 'r2', when: { all: [{ signal: 'flow2', op: 'lt', value: 1 }, { signal: 'flow2', op: 'lx', value: 1 }] } }, /rule r2: field when\.all\[1\]\.op/],
    ['numeric operator on a state', { ...ok, id: 'r3', when: { signal: 'pump_state', op: 'lt', value: 1 } }, /rule r3: field when\.op: operator lt needs a numeric signal/],
    ['list operator without a list', { ...ok, id: 'r4', when: { signal: 'pump_state', op: 'in', value: 'stop' } }, /rule r4: field when\.value: operator in needs a list/],
    ['relation from the wrong scope', { ...ok, id: 'r5', when: { signal: 't_supply', of: 'siblings', across: 'median', op: 'lt', value: 1 } }, /rule r5: field when\.of: relation siblings cannot be read from a station rule/],
    ['several relatives without across', { ...ok, id: 'r6', scope: 'compound', when: { signal: 't_supply', of: 'siblings', op: 'lt', value: 1 } }, /rule r6: field when\.across/],
    ['aggregation without a window', { ...ok, id: 'r7', when: { signal: 'flow2', agg: 'mean', op: 'lt', value: 1 } }, /rule r7: field when\.window: aggregation mean needs a window/],
    ['bad duration', { ...ok, id: 'r8', for: '10 minutes' }, /rule r8: field for: not a duration/],
    ['outdoor threshold on a network', { ...ok, id: 'r9', scope: 'primary', when: { signal: 't1_gap', of: 'stations', across: 'median', op: 'lt', value: { byOutdoor: [[-15, 1], [10, 2]] } } }, /rule r9: field when\.value\.byOutdoor/],
    ['unknown quality field', { ...base, id: 'r10', type: 'quality', scope: ['station'], check: { kind: 'range', ranges: { t9: [0, 1] } } }, /rule r10: field check\.ranges\.t9: unknown field t9/],
    ['bad id', { ...ok, id: 'Bad Id' }, /rule Bad Id: field id/],
    ['missing doc', { ...ok, id: 'r12', doc: undefined }, /rule r12: field doc/],
  ])('names the rule and the field: %s', (_what, raw, want) => {
    const e = errorOf(raw);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.detail).toMatch(/^test\.yaml: /);
    expect(e.detail).toMatch(want);
  });

  it('names a rule without an id by its position', () => {
    expect(errorOf([ok, { ...ok, id: undefined }]).detail).toMatch(/rule #2 \(no id\): field id/);
  });

  it('refuses duplicate ids across files, naming both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(ok));
    writeFileSync(join(dir, 'b.yaml'), `id: ok\nname: { zh: 测试, en: test }\ndoc: a rule written for a unit test\ncategory: equipment\nseverity: high\nscope: station\nwhen: { signal: flow2, op: lt, value: 3 }\n`);
    expect(() => loadRuleDir(dir)).toThrowError(/rule ok: field id: defined twice \(.*a\.json and .*b\.yaml\)/);
  });

  it('says which file is not valid YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(dir, 'bad.yaml'), 'id: [unclosed\n');
    expect(() => loadRuleDir(dir)).toThrowError(/bad\.yaml: not valid YAML/);
  });

  it('loads the built-in pack: every rule documented, ids unique', () => {
    const rules = loadBuiltinRules();
    expect(rules.length).toBeGreaterThanOrEqual(14);
    for (const r of rules) expect(r.doc.length).toBeGreaterThan(60);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    const ids = rules.map((r) => r.id);
    for (const want of ['underheat-indoor', 'underheat-hydraulic', 'underheat-predicted', 'compensation-low', 'pump-trip', 'primary-heat-lost', 'small-dt', 'leak', 'sensor-stale', 'sensor-flatline', 'sensor-range', 'sensor-spike', 'meter-energy-balance']) {
      expect(ids).toContain(want);
    }
  });
});
