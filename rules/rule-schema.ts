// The rule file format: one zod schema gives validation and the static types. Semantic checks
// (signal names per scope, relations, operator/operand kinds) run in the same pass, so every
// error names the rule id and the field path at fault.

import { z } from 'zod';
import { FIELDS } from '../domain/fields';
import { ACROSS_NAMES, AGG_NAMES } from './aggregators';
import { parseDuration } from './duration';
import { OPERAND_KIND, OPERATOR_NAMES } from './operators';
import { RELATION_NAMES, RELATIONS, relationTarget, type RelationDef } from './relations';
import { SCOPES, type Scope } from './scope';
import { SEVERITIES } from './severity';
import { signalDef, signalNames } from './signals';

export const CATEGORIES = ['underheating', 'prediction', 'equipment', 'supply', 'hydraulic', 'efficiency', 'leak', 'sensor'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Role in root-cause grouping: a `cause` on a station or network groups the alerts below it;
 * a `symptom` joins the incident of a cause above it; `independent` alerts stand alone.
 */
export const ROLES = ['cause', 'symptom', 'independent'] as const;
export type Role = (typeof ROLES)[number];

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const Duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (write 30s, 15m, 2h, 3d or milliseconds)` });
    return z.NEVER;
  }
  return ms;
});

export const SignalRefSchema = z
  .object({
    signal: z.string().min(1),
    of: z.enum(RELATION_NAMES).default('self'),
    agg: z.enum(AGG_NAMES).default('last'),
    window: Duration.optional(),
    across: z.enum(ACROSS_NAMES).optional(),
    /** The window must hold at least this much history (baselines). */
    minSpan: Duration.optional(),
  })
  .strict();
export type SignalRef = z.infer<typeof SignalRefSchema>;

const Scalar = z.union([z.number(), z.string(), z.boolean()]);

const ThresholdSchema = z.union([
  Scalar,
  z.array(Scalar).min(1),
  /** Piecewise-linear in the outdoor temperature: [[outdoorC, value], …], clamped at the ends. */
  z.object({ byOutdoor: z.array(z.tuple([z.number(), z.number()])).min(2) }).strict(),
  /** Relative to another signal: ref · times + plus. */
  z.object({ ref: SignalRefSchema, times: z.number().default(1), plus: z.number().default(0) }).strict(),
]);
export type Threshold = z.infer<typeof ThresholdSchema>;

const LeafSchema = SignalRefSchema.extend({
  op: z.enum(OPERATOR_NAMES),
  value: ThresholdSchema,
  /** Overrides the rule's hysteresis for this comparison. */
  hysteresis: z.number().nonnegative().optional(),
}).strict();
export type Leaf = z.infer<typeof LeafSchema>;

export type Condition = Leaf | { readonly all: readonly Condition[] } | { readonly any: readonly Condition[] };

const ConditionSchema: z.ZodType<Condition, unknown> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    LeafSchema,
  ]),
);

const BandSchema = z
  .object({ below: z.number().optional(), atLeast: z.number().optional(), level: z.enum(SEVERITIES) })
  .strict()
  .refine((b) => b.below !== undefined || b.atLeast !== undefined, { message: 'a band needs `below` or `atLeast`' });

const SeveritySchema = z.union([
  z.enum(SEVERITIES),
  z.object({ by: SignalRefSchema, bands: z.array(BandSchema).min(1), otherwise: z.enum(SEVERITIES) }).strict(),
]);
export type SeveritySpec = z.infer<typeof SeveritySchema>;

const common = {
  id: z.string().regex(RULE_ID, 'rule ids are lowercase letters, digits and -'),
  name: z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict(),
  /** What the rule finds and the physics behind it, for operators and reviewers. */
  doc: z.string().min(20),
  category: z.enum(CATEGORIES),
  role: z.enum(ROLES).default('independent'),
  /** A station cause that can come from the primary side: several on one network make one network incident. */
  upstream: z.boolean().default(false),
  /** Ground-truth fault classes this rule is meant to find (backtest). */
  detects: z.array(z.string().min(1)).default([]),
  enabled: z.boolean().default(true),
  /** Evaluate only inside the heating season. */
  season: z.boolean().default(false),
  /** The condition must hold this long before the alert opens. */
  for: Duration.default(0),
  /** The condition must stay released this long before the alert returns to normal. */
  clearFor: Duration.default(0),
  /** An unacknowledged alert that returned to normal clears itself after this (engine default when absent). */
  autoClear: Duration.optional(),
  /** Chattering: this many activations within the window suppress the alert. */
  chatter: z.object({ transitions: z.number().int().min(2), window: Duration }).strict().optional(),
  /** Raw fields this rule's active alert marks untrustworthy ('*' = the whole entity). */
  marksUntrusted: z.array(z.string().min(1)).default([]),
  severity: SeveritySchema,
  /** Extra signals captured as evidence when the alert opens. */
  show: z.array(SignalRefSchema).default([]),
};

const ConditionRuleSchema = z
  .object({
    type: z.literal('condition'),
    scope: z.enum(SCOPES),
    when: ConditionSchema,
    /** Explicit release condition; default: `when` with hysteresis must stop holding. */
    clear: ConditionSchema.optional(),
    hysteresis: z.number().nonnegative().default(0),
    ...common,
  })
  .strict();

const QUALITY_KINDS = ['station', 'compound', 'weather'] as const;

const QualityCheckSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stale'), after: Duration }).strict(),
  z.object({ kind: z.literal('range'), ranges: z.record(z.string(), z.tuple([z.number(), z.number()])) }).strict(),
  z
    .object({
      kind: z.literal('flatline'),
      fields: z.array(z.string()).min(1),
      after: Duration,
      tolerance: z.number().nonnegative().default(0),
      minSamples: z.number().int().min(2).default(4),
    })
    .strict(),
  z
    .object({
      kind: z.literal('spike'),
      steps: z.record(z.string(), z.number().positive()),
      count: z.number().int().min(1).default(3),
      window: Duration,
    })
    .strict(),
]);
export type QualityCheck = z.infer<typeof QualityCheckSchema>;

const QualityRuleSchema = z
  .object({
    type: z.literal('quality'),
    scope: z.array(z.enum(QUALITY_KINDS)).min(1),
    check: QualityCheckSchema,
    ...common,
  })
  .strict();

export const RuleSchema = z
  .preprocess(
    (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !('type' in v) ? { ...v, type: 'condition' } : v),
    z.discriminatedUnion('type', [ConditionRuleSchema, QualityRuleSchema]),
  )
  .superRefine((rule, ctx) => checkSemantics(rule, ctx));

export type RuleDef = z.infer<typeof RuleSchema>;
export type ConditionRuleDef = z.infer<typeof ConditionRuleSchema>;
export type QualityRuleDef = z.infer<typeof QualityRuleSchema>;

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

function checkSemantics(rule: RuleDef, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  for (const [i, f] of rule.marksUntrusted.entries()) {
    const kinds: readonly Scope[] = rule.type === 'quality' ? rule.scope : [rule.scope];
    if (f !== '*' && !kinds.some((k) => k !== 'primary' && f in FIELDS[k])) report(['marksUntrusted', i], `unknown field ${f} for ${kinds.join('/')}`);
  }
  if (rule.type === 'quality') {
    if (typeof rule.severity !== 'string') report(['severity'], 'quality rules take a fixed severity');
    checkQuality(rule, report);
    return;
  }
  checkCondition(rule.when, rule.scope, ['when'], report);
  if (rule.clear !== undefined) checkCondition(rule.clear, rule.scope, ['clear'], report);
  if (typeof rule.severity !== 'string') checkRef(rule.severity.by, rule.scope, ['severity', 'by'], report, true);
  rule.show.forEach((r, i) => checkRef(r, rule.scope, ['show', i], report, false));
}

function checkQuality(rule: QualityRuleDef, report: Report): void {
  const known = (f: string): boolean => rule.scope.some((k) => f in FIELDS[k]);
  /** Unknown field names; `at(i, f)` gives the path of entry i (list index or record key). */
  const fields = (keys: readonly string[], at: (i: number, f: string) => Path): void =>
    keys.forEach((f, i) => {
      if (!known(f)) report(at(i, f), `unknown field ${f} for ${rule.scope.join('/')}`);
    });
  const c = rule.check;
  switch (c.kind) {
    case 'stale':
      return;
    case 'range':
      fields(Object.keys(c.ranges), (_, f) => ['check', 'ranges', f]);
      for (const [f, [lo, hi]] of Object.entries(c.ranges)) if (!(lo < hi)) report(['check', 'ranges', f], `range ${lo}..${hi} is empty`);
      return;
    case 'flatline':
      fields(c.fields, (i) => ['check', 'fields', i]);
      return;
    case 'spike':
      fields(Object.keys(c.steps), (_, f) => ['check', 'steps', f]);
      return;
    default: {
      const never: never = c;
      throw new Error(`unhandled quality check ${JSON.stringify(never)}`);
    }
  }
}

function checkCondition(c: Condition, scope: Scope, path: Path, report: Report): void {
  if ('all' in c) return c.all.forEach((x, i) => checkCondition(x, scope, [...path, 'all', i], report));
  if ('any' in c) return c.any.forEach((x, i) => checkCondition(x, scope, [...path, 'any', i], report));
  const type = checkRef(c, scope, path, report, false);
  const kind = OPERAND_KIND[c.op];
  const v = c.value;
  if (type === 'string' && kind === 'number') report([...path, 'op'], `operator ${c.op} needs a numeric signal; ${c.signal} is a state`);
  if (kind === 'list' && !Array.isArray(v)) report([...path, 'value'], `operator ${c.op} needs a list`);
  if (kind !== 'list' && Array.isArray(v)) report([...path, 'value'], `operator ${c.op} needs a single value, not a list`);
  if (kind === 'number' && typeof v !== 'number' && (typeof v !== 'object' || Array.isArray(v))) report([...path, 'value'], `operator ${c.op} needs a number`);
  if (typeof v === 'object' && !Array.isArray(v)) {
    if (kind !== 'number') report([...path, 'value'], `operator ${c.op} cannot take a computed threshold`);
    if ('byOutdoor' in v && scope === 'primary') report([...path, 'value', 'byOutdoor'], 'a primary network has no weather site; byOutdoor needs station, compound or weather scope');
    if ('ref' in v) checkRef(v.ref, scope, [...path, 'value', 'ref'], report, true);
  }
}

/** Checks one signal reference; returns its type when the signal is known. */
function checkRef(ref: SignalRef, scope: Scope, path: Path, report: Report, mustBeNumber: boolean): 'number' | 'string' | undefined {
  const rel: RelationDef = RELATIONS[ref.of];
  if (!rel.from.includes(scope)) {
    report([...path, 'of'], `relation ${ref.of} cannot be read from a ${scope} rule (it reads ${rel.doc})`);
    return undefined;
  }
  const target = relationTarget(ref.of, scope);
  const def = signalDef(target, ref.signal);
  if (def === undefined) {
    const known = signalNames(target);
    report([...path, 'signal'], `unknown signal ${ref.signal} for ${target}${known.length > 0 ? ` (known: ${known.join(', ')})` : ' (it has no signals of its own; read its relatives)'}`);
    return undefined;
  }
  if (rel.multi && ref.across === undefined) report([...path, 'across'], `relation ${ref.of} has several entities; say how to combine them (across: median, mean, min, max, count)`);
  if (!rel.multi && ref.across !== undefined) report([...path, 'across'], `relation ${ref.of} is a single entity; remove across`);
  if (ref.agg !== 'last' && ref.window === undefined) report([...path, 'window'], `aggregation ${ref.agg} needs a window`);
  if (ref.window !== undefined && ref.window <= 0) report([...path, 'window'], 'window must be positive');
  if (ref.minSpan !== undefined && (ref.window === undefined || ref.minSpan > ref.window)) report([...path, 'minSpan'], 'minSpan must not exceed the window');
  if (def.type === 'string' && (ref.agg !== 'last' || ref.window !== undefined || ref.across !== undefined)) report([...path, 'agg'], `${ref.signal} is a state: read its newest value only (agg last, no window)`);
  if (def.type === 'string' && mustBeNumber) report([...path, 'signal'], `${ref.signal} is a state; a number is needed here`);
  return def.type;
}
