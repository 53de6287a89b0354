// Loads rule files (YAML or JSON; one rule, a list, or { rules: [...] } per file) and validates
// them. Errors are HeatError CONFIG_INVALID naming the file, the rule id and the field path.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { HeatError } from '../domain/errors';
import { RuleSchema, type RuleDef } from './rule-schema';

export const BUILTIN_PACK_DIR = fileURLToPath(new URL('./pack', import.meta.url));

const RULE_FILE = /\.(ya?ml|json)$/i;
const YAML_FILE = /\.ya?ml$/i;

/** Validate raw rule objects from one source (a file name, for errors). */
export function parseRules(raw: unknown, source: string): RuleDef[] {
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'object' && raw !== null && 'rules' in raw && Array.isArray(raw.rules)
      ? (raw.rules as unknown[])
      : [raw];
  const out: RuleDef[] = [];
  const problems: string[] = [];
  list.forEach((item, i) => {
    const r = RuleSchema.safeParse(item);
    if (r.success) out.push(r.data);
    else problems.push(`${ruleName(item, i)}: ${describe(r.error)}`);
  });
  if (problems.length > 0) throw new HeatError('CONFIG_INVALID', `${source}: ${problems.join('; ')}`);
  checkUnique(out.map((r) => ({ id: r.id, source })));
  return out;
}

/** Read every rule file of a folder in name order; rule ids must be unique across files. */
export function loadRuleDir(dir: string): RuleDef[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => RULE_FILE.test(n)).sort();
  } catch (e) {
    throw new HeatError('CONFIG_INVALID', `rules folder ${dir}: cannot read it (${(e as Error).message})`, { cause: e });
  }
  const all: { rule: RuleDef; source: string }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    for (const rule of parseRules(readRuleFile(path), path)) all.push({ rule, source: path });
  }
  checkUnique(all.map((x) => ({ id: x.rule.id, source: x.source })));
  return all.map((x) => x.rule);
}

export function loadBuiltinRules(): RuleDef[] {
  return loadRuleDir(BUILTIN_PACK_DIR);
}

function readRuleFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HeatError('CONFIG_INVALID', `${path}: cannot read the rule file (${(e as Error).message})`, { cause: e });
  }
  const yaml = YAML_FILE.test(path);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new HeatError('CONFIG_INVALID', `${path}: not valid ${yaml ? 'YAML' : 'JSON'} (${(e as Error).message})`, { cause: e });
  }
}

function checkUnique(items: readonly { id: string; source: string }[]): void {
  const seen = new Map<string, string>();
  for (const { id, source } of items) {
    const first = seen.get(id);
    if (first !== undefined) throw new HeatError('CONFIG_INVALID', `rule ${id}: field id: defined twice (${first} and ${source})`);
    seen.set(id, source);
  }
}

function ruleName(item: unknown, index: number): string {
  const id = typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined;
  return typeof id === 'string' && id.length > 0 ? `rule ${id}` : `rule #${index + 1} (no id)`;
}

type Issue = z.core.$ZodIssue;

/** "field when.all[2].op: Invalid option…" for up to five issues; unions report their closest branch. */
function describe(err: z.ZodError): string {
  const flat = err.issues.flatMap((i) => flatten(i, []));
  const text = flat.slice(0, 5).map(({ path, message }) => `field ${formatPath(path) || '(rule)'}: ${message}`);
  return text.join('; ') + (flat.length > 5 ? `; and ${flat.length - 5} more` : '');
}

function flatten(issue: Issue, prefix: PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path, message: issue.message }];
  // The branch that got furthest (deepest issue path, then fewest issues) is the one the author meant.
  const score = (branch: readonly Issue[]): number =>
    Math.max(...branch.map((i) => i.path.length + (i.code === 'invalid_union' ? 1 : 0))) * 100 - branch.length;
  const best = issue.errors.reduce((a, b) => (score(b) > score(a) ? b : a));
  return best.flatMap((i) => flatten(i, path));
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
