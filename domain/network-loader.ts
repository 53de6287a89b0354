// Loads the network file named by HEAT_NETWORK (JSON or YAML) and validates it.
// Errors name the entity (by its id where it has one) and the field.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { HeatError } from './errors';
import { NetworkModel } from './network';
import { NetworkFileSchema } from './network-schema';

export function parseNetwork(raw: unknown, source = 'network'): NetworkModel {
  const r = NetworkFileSchema.safeParse(raw);
  if (!r.success) throw new HeatError('NETWORK_INVALID', `${source}: ${describeIssues(r.error, raw)}`);
  return new NetworkModel(r.data);
}

export function loadNetwork(path: string): NetworkModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new HeatError('NETWORK_INVALID', `HEAT_NETWORK=${path}: cannot read the file (${(e as Error).message})`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new HeatError('NETWORK_INVALID', `${path}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'} (${(e as Error).message})`, { cause: e });
  }
  return parseNetwork(raw, path);
}

/** "stations[3] (id dexuan): field curve.minC: expected number" — the entity by id, then the field. */
function describeIssues(err: z.ZodError, raw: unknown): string {
  return err.issues
    .slice(0, 5)
    .map((iss) => {
      const path = iss.path.map(String);
      const [coll, idx, ...rest] = path;
      let where = path.join('.');
      if (coll !== undefined && idx !== undefined && /^\d+$/.test(idx)) {
        const item = (raw as Record<string, unknown[]> | null)?.[coll]?.[Number(idx)] as { id?: unknown } | undefined;
        const idText = typeof item?.id === 'string' ? ` (id ${item.id})` : '';
        where = `${coll}[${idx}]${idText}: field ${rest.join('.') || '(whole entry)'}`;
      }
      return `${where}: ${iss.message}`;
    })
    .join('; ') + (err.issues.length > 5 ? `; and ${err.issues.length - 5} more` : '');
}
