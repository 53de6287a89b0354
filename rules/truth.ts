// Ground truth for backtests, read tolerantly: the simulator's truth.json, or a hand-made file.
//   faults:   [{ id, type, entity, start, end, ...anything }]
//   episodes: [{ compoundId, start, end, minIndoorC?, cause?, faultId? }]   (under-heating)
// Times are epoch ms or ISO-8601 strings; `entity` is an id or { kind, id }; fault types are
// compared lower-case with '_' read as '-'. Unknown keys are ignored.

import { z } from 'zod';
import { HeatError } from '../domain/errors';

const Time = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `not a time: ${JSON.stringify(v)} (epoch ms or ISO-8601)` });
    return z.NEVER;
  }
  return ms;
});

const Entity = z.union([z.string().min(1), z.object({ id: z.string().min(1) }).loose().transform((e) => e.id)]);

const FaultSchema = z
  .object({ id: z.union([z.string(), z.number()]).transform(String), type: z.string().min(1).transform(normalizeClass), entity: Entity, start: Time, end: Time })
  .loose()
  .transform((f) => ({
    id: f.id,
    type: f.type,
    entity: f.entity,
    start: f.start,
    end: f.end,
    ...(typeof f['field'] === 'string' ? { field: f['field'] } : {}),
    ...(typeof f['sensor'] === 'string' ? { sensor: f['sensor'] } : {}),
  }));

const EpisodeSchema = z
  .object({ compoundId: z.string().min(1), start: Time, end: Time, minIndoorC: z.number().optional(), cause: z.string().optional(), faultId: z.string().optional() })
  .loose()
  .transform((e) => ({
    compoundId: e.compoundId,
    start: e.start,
    end: e.end,
    ...(e.minIndoorC === undefined ? {} : { minIndoorC: e.minIndoorC }),
    ...(e.cause === undefined ? {} : { cause: e.cause }),
    ...(e.faultId === undefined ? {} : { faultId: e.faultId }),
  }));

const TruthSchema = z.object({ faults: z.array(FaultSchema).default([]), episodes: z.array(EpisodeSchema).default([]) }).loose();

export type TruthFault = z.infer<typeof FaultSchema>;
export type TruthEpisode = z.infer<typeof EpisodeSchema>;
export interface GroundTruth {
  readonly faults: readonly TruthFault[];
  readonly episodes: readonly TruthEpisode[];
}

/** The class under-heating episodes are scored as. */
export const UNDERHEATING_CLASS = 'underheating';

export function normalizeClass(type: string): string {
  return type.trim().toLowerCase().replaceAll('_', '-');
}

export function parseTruth(raw: unknown, source = 'truth'): GroundTruth {
  const r = TruthSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues[0];
    throw new HeatError('BAD_REQUEST', `${source}: field ${iss?.path.join('.') ?? '?'}: ${iss?.message ?? 'invalid'}`);
  }
  return { faults: r.data.faults, episodes: r.data.episodes };
}
